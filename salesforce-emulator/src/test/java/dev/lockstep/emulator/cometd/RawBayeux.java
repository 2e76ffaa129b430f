package dev.lockstep.emulator.cometd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Bayeux client written by hand over {@link HttpClient}, for the exact JSON on the wire: it keeps the
 * {@code BAYEUX_BROWSER} cookie and the client id and numbers its messages, nothing more.
 */
final class RawBayeux {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final URI endpoint;
    private String authorization;
    private String cookie;
    private String clientId;
    private final AtomicInteger ids = new AtomicInteger();

    /** One HTTP exchange: status, Set-Cookie, body text and the body as JSON (null if not JSON). */
    record Reply(int status, String setCookie, String text, JsonNode json) {

        /** The reply to the message on {@code channel} (the first one). */
        JsonNode on(String channel) {
            for (JsonNode message : json) {
                if (channel.equals(message.path("channel").asText())) {
                    return message;
                }
            }
            throw new AssertionError("No message on " + channel + " in " + text);
        }

        /** The delivered events: messages with {@code data}. */
        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            json.forEach(m -> {
                if (m.has("data")) {
                    events.add(m);
                }
            });
            return events;
        }
    }

    RawBayeux(URI base, String version, String token) {
        this.endpoint = URI.create(base + "/cometd/" + version);
        this.authorization = token == null ? null : "Bearer " + token;
    }

    RawBayeux authorization(String headerValue) {
        this.authorization = headerValue;
        return this;
    }

    RawBayeux cookie(String value) {
        this.cookie = value;
        return this;
    }

    String cookie() {
        return cookie;
    }

    String clientId() {
        return clientId;
    }

    RawBayeux clientId(String id) {
        this.clientId = id;
        return this;
    }

    ObjectNode message(String channel) {
        ObjectNode m = JSON.createObjectNode();
        m.put("channel", channel);
        m.put("id", Integer.toString(ids.incrementAndGet()));
        if (clientId != null && !channel.equals("/meta/handshake")) {
            m.put("clientId", clientId);
        }
        return m;
    }

    /** A handshake asking for the replay extension; keeps the client id and cookie it gets. */
    Reply handshake() {
        ObjectNode m = message("/meta/handshake");
        m.put("version", "1.0").put("minimumVersion", "1.0");
        m.putArray("supportedConnectionTypes").add("long-polling");
        m.putObject("ext").put("replay", true);
        Reply reply = send("/handshake", m);
        JsonNode handshake = reply.json() == null ? null : reply.on("/meta/handshake");
        if (handshake != null && handshake.path("successful").asBoolean()) {
            clientId = handshake.get("clientId").asText();
        }
        if (reply.setCookie() != null) {
            cookie = reply.setCookie().split(";")[0].split("=", 2)[1];
        }
        return reply;
    }

    /** Subscribes with {@code ext.replay} mapping the channel to {@code replay} (null: no ext at all). */
    Reply subscribe(String channel, Long replay) {
        ObjectNode m = message("/meta/subscribe");
        m.put("subscription", channel);
        if (replay != null) {
            m.putObject("ext").putObject("replay").put(channel, replay);
        }
        return send("/subscribe", m);
    }

    ObjectNode connectMessage() {
        ObjectNode m = message("/meta/connect");
        m.put("connectionType", "long-polling");
        return m;
    }

    Reply connect() {
        return send("/connect", connectMessage());
    }

    CompletableFuture<Reply> connectAsync() {
        return sendAsync("/connect", connectMessage());
    }

    Reply send(String suffix, JsonNode... messages) {
        ArrayNode array = JSON.createArrayNode();
        for (JsonNode m : messages) {
            array.add(m);
        }
        return sendRaw(suffix, array.toString());
    }

    Reply sendRaw(String suffix, String body) {
        try {
            return sendRawAsync(suffix, body).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    CompletableFuture<Reply> sendAsync(String suffix, JsonNode... messages) {
        ArrayNode array = JSON.createArrayNode();
        for (JsonNode m : messages) {
            array.add(m);
        }
        return sendRawAsync(suffix, array.toString());
    }

    CompletableFuture<Reply> sendRawAsync(String suffix, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + suffix))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (cookie != null) {
            request.header("Cookie", "BAYEUX_BROWSER=" + cookie);
        }
        return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            String text = new String(r.body(), StandardCharsets.UTF_8);
            JsonNode json = null;
            if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
                try {
                    json = JSON.readTree(r.body());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new Reply(r.statusCode(), r.headers().firstValue("Set-Cookie").orElse(null), text, json);
        });
    }
}
