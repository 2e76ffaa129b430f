package dev.lockstep.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the emulator's tests: real sockets, JSON bodies, the session of one token. */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final URI base;
    private String token;

    public Http(Emulator emulator) {
        this(emulator.baseUri(), emulator.accessToken());
    }

    public Http(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public Http withToken(String newToken) {
        return new Http(base, newToken);
    }

    /** A response: status, headers and the body parsed as JSON (null when empty or not JSON). */
    public record Reply(int status, HttpResponse<byte[]> raw, JsonNode json) {

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String text() {
            return new String(raw.body(), java.nio.charset.StandardCharsets.UTF_8);
        }

        /** The errorCode of a Salesforce error body. */
        public String errorCode() {
            return json != null && json.isArray() && json.size() > 0 ? json.get(0).path("errorCode").asText() : null;
        }
    }

    public Reply get(String path) {
        return send(builder(path).GET());
    }

    public Reply delete(String path) {
        return send(builder(path).DELETE());
    }

    public Reply post(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply patch(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply put(String path, String json) {
        return send(builder(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = null;
            if (response.body().length > 0 && response.headers().firstValue("Content-Type").orElse("")
                    .startsWith("application/json")) {
                json = JSON.readTree(response.body());
            }
            return new Reply(response.statusCode(), response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
