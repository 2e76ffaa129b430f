package dev.lockstep.emulator.cometd;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.auth.Session;
import dev.lockstep.emulator.auth.Sessions;
import dev.lockstep.emulator.cdc.ChangeEventBus;
import dev.lockstep.emulator.cdc.ChannelNotFoundException;
import dev.lockstep.emulator.cdc.InvalidReplayIdException;
import dev.lockstep.emulator.cdc.ReplayFrom;
import dev.lockstep.emulator.cdc.StreamRegistry;
import dev.lockstep.emulator.http.ApiVersions;
import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.OrgException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streaming API: Bayeux 1.0 over HTTP long polling at {@code POST /cometd/<version>} (37.0 and later), the
 * protocol Salesforce's EMP-Connector and the CometD clients speak (reference §7), delivering Change Data Capture
 * events from the {@link ChangeEventBus}.
 *
 * <p>Supported: {@code /meta/handshake} (with the replay extension and the {@code BAYEUX_BROWSER} cookie),
 * {@code /meta/subscribe} with {@code ext.replay} positions (-1 tip, -2 every retained event, or a replay id to
 * start after), {@code /meta/unsubscribe}, {@code /meta/connect} long polls and {@code /meta/disconnect}, with
 * Salesforce's error texts. A connect is held on its request thread until an event arrives for one of the
 * client's channels or the long-poll timeout passes; the bus's append callback wakes held connects, so nothing
 * polls. A client that does not reconnect within the reconnect window is forgotten ({@code 403::Unknown client}).
 *
 * <p>Timers and caps are settable at run time (also through {@code PUT /__emulator/cometd}): long-poll timeout
 * (110 s), reconnect window (40 s), events per response (1,000), bytes per response (1,000,000: the CometD Java
 * client buffers 1 MiB by default), concurrent clients (2,000).
 */
public final class CometdServer implements AutoCloseable {

    /** The transport name in the stream registry and in delivered-event counts. */
    public static final String TRANSPORT = "cometd";
    /** The API kind of counters and faults. */
    public static final String KIND = "cometd";
    /** The oldest API version served on {@code /cometd/}; older ones used {@code /cometd/replay/}. */
    public static final int OLDEST_VERSION = 37;
    /** Salesforce's largest request body. */
    public static final int MAX_REQUEST_BYTES = 32_768;
    public static final String COOKIE = "BAYEUX_BROWSER";
    static final String LONG_POLLING = "long-polling";

    private static final Logger LOG = LoggerFactory.getLogger(CometdServer.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final String URI_FORMAT = "URI format: '/cometd/" + ApiVersions.NEWEST + ".0'";
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final ChangeEventBus bus;
    private final Sessions sessions;
    private final StreamRegistry streams;
    private final EventJson json = new EventJson();
    private final Map<String, CometdClient> clients = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    /** Held connects wait on this; every append, subscription change or client change bumps {@link #wakeups}. */
    private final Object wakeup = new Object();
    private long wakeups;
    private final Runnable onAppend = this::wakeAll;
    private final ScheduledExecutorService sweeper;
    private volatile Duration longPollTimeout = Duration.ofSeconds(110);
    private volatile Duration reconnectWindow = Duration.ofSeconds(40);
    private volatile int maxEventsPerConnect = 1_000;
    private volatile int maxResponseBytes = 1_000_000;
    private volatile int maxClients = 2_000;
    private volatile boolean closed;

    public CometdServer(ChangeEventBus bus, Sessions sessions, StreamRegistry streams) {
        this.bus = bus;
        this.sessions = sessions;
        this.streams = streams;
        bus.onAppend(onAppend);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "emulator-cometd-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        // Forgets clients that went away without a disconnect, so the client table stays bounded. Lookups check
        // the window themselves; the sweep only frees memory and stream registrations.
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /** Registers {@code POST /cometd/...} and the admin resource {@code /__emulator/cometd}. */
    public CometdServer register(Router router) {
        router.add("POST", "/cometd", KIND, Access.OPEN, request -> uriError(request,
                "400::API version in the URI is mandatory. " + URI_FORMAT));
        router.add("POST", "/cometd/{apiVersion}", KIND, Access.OPEN, this::handle);
        // The CometD clients append the meta channel to the URL (/cometd/61.0/handshake, /connect, ...).
        router.add("POST", "/cometd/{apiVersion}/{metaPath...}", KIND, Access.OPEN, this::handle);
        router.add("GET", "/__emulator/cometd", "admin", Access.OPEN, request -> Response.json(200, status()));
        router.add("PUT", "/__emulator/cometd", "admin", Access.OPEN, this::configure);
        return this;
    }

    // ------------------------------------------------------------------------------------------ settings

    public Duration longPollTimeout() {
        return longPollTimeout;
    }

    /** How long a {@code /meta/connect} is held when no event arrives (Salesforce: 110 s). */
    public void setLongPollTimeout(Duration timeout) {
        this.longPollTimeout = positive(timeout, "long-poll timeout");
    }

    public Duration reconnectWindow() {
        return reconnectWindow;
    }

    /** How long after a response the server waits for the next request before it forgets the client (40 s). */
    public void setReconnectWindow(Duration window) {
        this.reconnectWindow = positive(window, "reconnect window");
    }

    public int maxEventsPerConnect() {
        return maxEventsPerConnect;
    }

    /** The most events one connect response carries. */
    public void setMaxEventsPerConnect(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxEventsPerConnect must be at least 1, was " + max);
        }
        this.maxEventsPerConnect = max;
    }

    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    /** The largest connect response, in bytes of JSON; a single larger event is still sent, alone. */
    public void setMaxResponseBytes(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 1, was " + max);
        }
        this.maxResponseBytes = max;
    }

    public int maxClients() {
        return maxClients;
    }

    /** Concurrent clients (Salesforce: 2,000 in Performance and Unlimited, 20 in Developer Edition). */
    public void setMaxClients(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxClients must be at least 1, was " + max);
        }
        this.maxClients = max;
    }

    private static Duration positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("The " + what + " must be positive, was " + d);
        }
        return d;
    }

    /** The ids of the clients the server knows now. */
    public List<String> clientIds() {
        return List.copyOf(clients.keySet());
    }

    /** How many {@code /meta/connect} requests of a client are being held now (0 for an unknown client). */
    public int heldConnects(String clientId) {
        CometdClient client = clients.get(clientId);
        return client == null ? 0 : client.heldConnects();
    }

    // ------------------------------------------------------------------------------------------ requests

    /** What every message of one HTTP request shares: its token, session and browser cookie. */
    private record Exchange(String token, Optional<Session> session, String browser) {}

    private Response handle(Request request) {
        String version = request.param("apiVersion");
        if (!supported(version)) {
            return uriError(request, "400::Unsupported API version. Only API versions '" + OLDEST_VERSION
                    + ".0' and above are supported. " + URI_FORMAT);
        }
        if (request.body().length > MAX_REQUEST_BYTES) {
            return Response.text(413, "text/plain;charset=UTF-8", "Maximum Request Size Exceeded");
        }
        List<ObjectNode> messages = messages(request);
        if (messages == null) {
            return Response.text(400, "text/plain;charset=UTF-8", "Invalid Bayeux request: a JSON array of "
                    + "messages is expected");
        }
        String token = token(request);
        Exchange exchange = new Exchange(token, token == null ? Optional.empty() : sessions.resolve(token),
                cookie(request));
        List<byte[]> replies = new ArrayList<>();
        List<ObjectNode> connects = new ArrayList<>();
        String setCookie = null;
        for (ObjectNode message : messages) {
            String channel = message.path("channel").asText("");
            switch (channel) {
                case "/meta/handshake" -> {
                    Handshake result = handshake(message, exchange);
                    replies.add(bytes(result.reply()));
                    if (result.cookie() != null) {
                        setCookie = result.cookie();
                    }
                }
                // Bayeux answers the long poll last, so the other messages of a batch are not held up by it.
                case "/meta/connect" -> connects.add(message);
                case "/meta/subscribe" -> replies.add(bytes(subscribe(message, exchange)));
                case "/meta/unsubscribe" -> replies.add(bytes(unsubscribe(message, exchange)));
                case "/meta/disconnect" -> replies.add(bytes(disconnect(message, exchange)));
                case "" -> replies.add(bytes(error(message, "400::Channel name not specified")));
                default -> replies.add(bytes(error(message, channel.startsWith("/meta/")
                        ? "400::Unknown meta channel " + channel : "403::Publish denied")));
            }
        }
        for (ObjectNode message : connects) {
            replies.addAll(connect(message, exchange));
        }
        Response response = Response.bytes(200, Response.JSON_TYPE, array(replies));
        if (setCookie != null) {
            response.header("Set-Cookie", COOKIE + "=" + setCookie + "; Path=/; HttpOnly");
        }
        return response;
    }

    private static boolean supported(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        return major >= OLDEST_VERSION && major <= ApiVersions.NEWEST;
    }

    /** A URI problem: HTTP 400 with the error text as a failed reply to every message, or as text. */
    private static Response uriError(Request request, String error) {
        List<ObjectNode> messages = request.body().length > MAX_REQUEST_BYTES ? null : messages(request);
        if (messages == null || messages.isEmpty()) {
            return Response.text(400, "text/plain;charset=UTF-8", error.substring("400::".length()));
        }
        List<byte[]> replies = new ArrayList<>();
        messages.forEach(m -> replies.add(bytes(error(m, error))));
        return Response.bytes(400, Response.JSON_TYPE, array(replies));
    }

    /** The body's messages (an array, or one object), or null when it is not Bayeux JSON. */
    private static List<ObjectNode> messages(Request request) {
        JsonNode body;
        try {
            body = EventJson.JSON.readTree(request.body());
        } catch (IOException e) {
            return null;
        }
        List<ObjectNode> messages = new ArrayList<>();
        if (body instanceof ObjectNode single) {
            messages.add(single);
        } else if (body instanceof ArrayNode array) {
            for (JsonNode node : array) {
                if (!(node instanceof ObjectNode message)) {
                    return null;
                }
                messages.add(message);
            }
        } else {
            return null;
        }
        return messages.isEmpty() ? null : messages;
    }

    /** {@code Bearer <t>}, {@code OAuth <t>} or the bare token, as EMP-Connector sends it. */
    static String token(Request request) {
        return request.bearerToken().orElseGet(() -> {
            String bare = request.header("Authorization").orElse("").trim();
            return bare.isEmpty() ? null : bare;
        });
    }

    static String cookie(Request request) {
        String header = request.header("Cookie").orElse("");
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                String value = p.substring(COOKIE.length() + 1).trim();
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ handshake

    /** A handshake's reply and the {@code BAYEUX_BROWSER} value to set, or null when it failed. */
    private record Handshake(ObjectNode reply, String cookie) {}

    private Handshake handshake(ObjectNode message, Exchange exchange) {
        if (exchange.token() == null) {
            return new Handshake(handshakeDenied(message, "401::Request requires authentication"), null);
        }
        if (exchange.session().isEmpty()) {
            return new Handshake(handshakeDenied(message, "401::Authentication invalid"), null);
        }
        JsonNode types = message.path("supportedConnectionTypes");
        if (types.isArray() && !contains(types, LONG_POLLING)) {
            ObjectNode reply = error(message, "400::Invalid connection type {"
                    + (types.isEmpty() ? "" : types.get(0).asText()) + "}");
            reply.putArray("supportedConnectionTypes").add(LONG_POLLING);
            reply.putObject("advice").put("reconnect", "none");
            return new Handshake(reply, null);
        }
        if (clients.size() >= maxClients) {
            sweep();
            if (clients.size() >= maxClients) {
                ObjectNode reply = error(message, "403::Organization concurrent user limit exceeded");
                reply.putObject("advice").put("reconnect", "none");
                return new Handshake(reply, null);
            }
        }
        // A browser keeps its cookie across handshakes, as with a CometD server; a new browser gets one.
        String browser = exchange.browser() != null ? exchange.browser() : randomId(20);
        CometdClient client = new CometdClient(randomId(26), exchange.session().get().userId(), browser,
                deadline());
        clients.put(client.id(), client);
        client.registration(streams.register(new ClientStream(client)));
        ObjectNode reply = reply(message);
        reply.put("version", "1.0");
        reply.put("minimumVersion", "1.0");
        reply.put("clientId", client.id());
        reply.putArray("supportedConnectionTypes").add(LONG_POLLING);
        reply.put("successful", true);
        // EMP-Connector's replay extension switches on only when the handshake says replay=true.
        reply.putObject("ext").put("replay", true).put("payload.format", true);
        return new Handshake(reply, browser);
    }

    /** {@code 403::Handshake denied} with the reason in {@code ext.sfdc.failureReason}, as Salesforce sends it. */
    private static ObjectNode handshakeDenied(ObjectNode message, String reason) {
        ObjectNode reply = error(message, "403::Handshake denied");
        reply.putObject("advice").put("reconnect", "none");
        ObjectNode ext = reply.putObject("ext");
        ext.putObject("sfdc").put("failureReason", reason);
        ext.put("replay", true).put("payload.format", true);
        return reply;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.asText())) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ checks

    /** The client a message names, or the failed reply that answers it instead. */
    private record Known(CometdClient client, ObjectNode failure) {}

    /**
     * The checks every message after the handshake passes, in Salesforce's order: a token, a live session, a
     * handshaken and still known client, the browser cookie, and the same user as at the handshake.
     */
    private Known known(ObjectNode message, Exchange exchange) {
        String clientId = message.path("clientId").asText(null);
        CometdClient client = clientId == null ? null : clients.get(clientId);
        if (client != null && client.expired(System.nanoTime())) {
            forget(client, CometdClient.Gone.UNKNOWN);
            client = null;
        }
        if (exchange.token() == null) {
            return new Known(null, failed(message, "401::Request requires authentication", "none"));
        }
        if (exchange.session().isEmpty()) {
            if (client != null) {
                forget(client, CometdClient.Gone.AUTHENTICATION);
            }
            return new Known(null, failed(message, "401::Authentication invalid", "none"));
        }
        if (clientId == null) {
            return new Known(null, failed(message, "403::Client has not completed handshake", "handshake"));
        }
        if (client == null) {
            return new Known(null, failed(message, "403::Unknown client", "handshake"));
        }
        if (!client.browserId().equals(exchange.browser())) {
            return new Known(null, error(message, "400::Client " + clientId + " has established a session, but no "
                    + COOKIE + " cookie present"));
        }
        if (!client.userId().equals(exchange.session().get().userId())) {
            return new Known(null, error(message, "400::Authenticated user id does not match the session's user id"));
        }
        client.touch(deadline());
        return new Known(client, null);
    }

    // ------------------------------------------------------------------------------------------ subscribe

    private ObjectNode subscribe(ObjectNode message, Exchange exchange) {
        Known known = known(message, exchange);
        if (known.failure() != null) {
            return known.failure();
        }
        String channel = message.path("subscription").asText("");
        Optional<ObjectNode> invalid = checkChannel(message, channel);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        JsonNode position = message.path("ext").path("replay").path(channel);
        try {
            ReplayFrom from = replayFrom(position);
            known.client().subscribe(bus.subscribe(channel, from));
        } catch (ChannelNotFoundException | InvalidReplayIdException e) {
            return error(message, "400::" + e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(message, "400::The replayId {" + position.asText() + "} you provided was invalid.  Please "
                    + "provide a valid ID, -2 to replay all events, or -1 to replay only new events.");
        }
        // A held connect may now have events to deliver (replay -2 or from an id).
        wakeAll();
        ObjectNode reply = reply(message);
        reply.put("clientId", known.client().id());
        reply.put("subscription", channel);
        reply.put("successful", true);
        return reply;
    }

    /**
     * The replay position of {@code ext.replay[channel]}: absent or -1 the tip, -2 every retained event, else the
     * id to start after. EMP-Connector sends a JSON number; a numeric string is accepted too.
     */
    static ReplayFrom replayFrom(JsonNode position) {
        if (position.isMissingNode() || position.isNull()) {
            return ReplayFrom.latest();
        }
        long id;
        if (position.isIntegralNumber()) {
            id = position.asLong();
        } else if (position.isTextual() && position.asText().trim().matches("-?\\d{1,19}")) {
            id = Long.parseLong(position.asText().trim());
        } else {
            throw new IllegalArgumentException("not a replay id: " + position);
        }
        if (id == -1) {
            return ReplayFrom.latest();
        }
        if (id == -2) {
            return ReplayFrom.earliest();
        }
        if (id < 0) {
            throw new InvalidReplayIdException(id);
        }
        return ReplayFrom.after(id);
    }

    private static Optional<ObjectNode> checkChannel(ObjectNode message, String channel) {
        if (channel.isBlank()) {
            return Optional.of(error(message, "400::Channel name not specified"));
        }
        if (!channel.startsWith("/")) {
            return Optional.of(error(message, "400::Channel subscriptions must start with a leading '/'"));
        }
        return Optional.empty();
    }

    private ObjectNode unsubscribe(ObjectNode message, Exchange exchange) {
        Known known = known(message, exchange);
        if (known.failure() != null) {
            return known.failure();
        }
        String channel = message.path("subscription").asText("");
        Optional<ObjectNode> invalid = checkChannel(message, channel);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        known.client().unsubscribe(channel);
        ObjectNode reply = reply(message);
        reply.put("clientId", known.client().id());
        reply.put("subscription", channel);
        reply.put("successful", true);
        return reply;
    }

    private ObjectNode disconnect(ObjectNode message, Exchange exchange) {
        Known known = known(message, exchange);
        if (known.failure() != null) {
            return known.failure();
        }
        forget(known.client(), CometdClient.Gone.DISCONNECTED);
        ObjectNode reply = reply(message);
        reply.put("clientId", known.client().id());
        reply.put("successful", true);
        return reply;
    }

    // ------------------------------------------------------------------------------------------ connect

    /** The connect's events followed by its reply, after holding the request as long as the rules say. */
    private List<byte[]> connect(ObjectNode message, Exchange exchange) {
        Known known = known(message, exchange);
        if (known.failure() != null) {
            return List.of(bytes(known.failure()));
        }
        CometdClient client = known.client();
        String type = message.path("connectionType").asText(LONG_POLLING);
        if (!type.equals(LONG_POLLING)) {
            return List.of(bytes(error(message, "400::Invalid connection type {" + type + "}")));
        }
        long timeoutNanos = longPollTimeout.toNanos();
        // A client may ask for a shorter poll (the CometD clients send timeout 0 on their first connect); the
        // first connect after a handshake is answered at once anyway, so the client learns the advice.
        JsonNode asked = message.path("advice").path("timeout");
        if (asked.isNumber() && asked.asLong() >= 0) {
            timeoutNanos = Math.min(timeoutNanos, TimeUnit.MILLISECONDS.toNanos(asked.asLong()));
        }
        if (client.firstConnect()) {
            timeoutNanos = 0;
        }
        long generation = client.beginConnect();
        // A connect still held for this client answers now: the newer one takes over.
        wakeAll();
        try {
            return hold(message, exchange, client, generation, System.nanoTime() + timeoutNanos);
        } finally {
            client.endConnect(deadline());
        }
    }

    private List<byte[]> hold(ObjectNode message, Exchange exchange, CometdClient client, long generation,
            long deadline) {
        while (true) {
            long seen = wakeups();
            CometdClient.Gone gone = client.gone();
            if (gone != null || closed) {
                return List.of(bytes(goneReply(message, client, gone)));
            }
            // The token is checked again when answering: a session ended while the poll was held gets the 401
            // Salesforce sends, and its events stay unread for the client's next subscription to replay.
            if (sessions.resolve(exchange.token()).isEmpty()) {
                forget(client, CometdClient.Gone.AUTHENTICATION);
                return List.of(bytes(failed(message, "401::Authentication invalid", "none")));
            }
            if (client.superseded(generation)) {
                return List.of(bytes(connected(message, client)));
            }
            long now = System.nanoTime();
            long stalled = client.stalledFor(now);
            if (stalled > 0) {
                // A stalled stream sends nothing, not even the reply at the poll's timeout.
                await(seen, stalled);
                continue;
            }
            List<CometdClient.Delivery> taken = new ArrayList<>();
            List<byte[]> events;
            try {
                events = client.take(maxEventsPerConnect, maxResponseBytes, json, taken);
            } catch (InvalidReplayIdException e) {
                // Retention dropped events the client had not read: forget it, so it handshakes again and
                // resubscribes from its last replay id, which then gets the invalid-replay-id error.
                forget(client, CometdClient.Gone.UNKNOWN);
                return List.of(bytes(failed(message, "403::Unknown client", "handshake")));
            }
            if (!events.isEmpty()) {
                count(taken);
                List<byte[]> out = new ArrayList<>(events);
                out.add(bytes(connected(message, client)));
                return out;
            }
            long remaining = deadline - now;
            if (remaining <= 0) {
                return List.of(bytes(connected(message, client)));
            }
            await(seen, remaining);
            if (Thread.currentThread().isInterrupted()) {
                // The listener is closing.
                return List.of(bytes(connected(message, client)));
            }
        }
    }

    private void count(List<CometdClient.Delivery> taken) {
        Map<String, Integer> byChannel = new HashMap<>();
        taken.forEach(d -> byChannel.merge(d.channel(), 1, Integer::sum));
        byChannel.forEach((channel, n) -> bus.countDelivered(channel, TRANSPORT, n));
    }

    private ObjectNode connected(ObjectNode message, CometdClient client) {
        ObjectNode reply = reply(message);
        reply.put("clientId", client.id());
        reply.put("successful", true);
        reply.putObject("advice").put("reconnect", "retry").put("interval", 0)
                .put("timeout", longPollTimeout.toMillis());
        return reply;
    }

    private static ObjectNode goneReply(ObjectNode message, CometdClient client, CometdClient.Gone gone) {
        if (gone == CometdClient.Gone.DISCONNECTED || gone == null) {
            ObjectNode reply = reply(message);
            reply.put("clientId", client.id());
            reply.put("successful", true);
            reply.putObject("advice").put("reconnect", "none").put("interval", 0);
            return reply;
        }
        if (gone == CometdClient.Gone.AUTHENTICATION) {
            return failed(message, "401::Authentication invalid", "none");
        }
        return failed(message, "403::Unknown client", "handshake");
    }

    // ------------------------------------------------------------------------------------------ waking

    private long wakeups() {
        synchronized (wakeup) {
            return wakeups;
        }
    }

    /** Wakes every held connect to look at its client again; cheap enough for the bus's writer thread. */
    private void wakeAll() {
        synchronized (wakeup) {
            wakeups++;
            wakeup.notifyAll();
        }
    }

    /** Waits until something happens after {@code seen} or {@code nanos} pass. */
    private void await(long seen, long nanos) {
        long until = System.nanoTime() + nanos;
        synchronized (wakeup) {
            while (wakeups == seen && !closed) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(wakeup, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ clients

    private long deadline() {
        return System.nanoTime() + reconnectWindow.toNanos();
    }

    private void forget(CometdClient client, CometdClient.Gone reason) {
        AutoCloseable registration = client.forget(reason);
        clients.remove(client.id(), client);
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                LOG.debug("Closing the stream registration of {} failed", client.id(), e);
            }
            wakeAll();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (CometdClient client : clients.values()) {
            if (client.expired(now)) {
                forget(client, CometdClient.Gone.UNKNOWN);
            }
        }
    }

    /** A client as the stream registry sees it: drop forgets it, stall holds its connects. */
    private final class ClientStream implements StreamRegistry.Stream {

        private final CometdClient client;

        ClientStream(CometdClient client) {
            this.client = client;
        }

        @Override
        public String transport() {
            return TRANSPORT;
        }

        @Override
        public String channel() {
            return String.join(",", client.channels());
        }

        @Override
        public void drop() {
            forget(client, CometdClient.Gone.UNKNOWN);
        }

        @Override
        public void stall(Duration duration) {
            client.stall(System.nanoTime() + duration.toNanos());
            wakeAll();
        }
    }

    private String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    // ------------------------------------------------------------------------------------------ replies

    /** A reply to {@code message}: its channel and id. */
    private static ObjectNode reply(ObjectNode message) {
        ObjectNode reply = NODES.objectNode();
        reply.put("channel", message.path("channel").asText(""));
        if (message.has("id")) {
            reply.set("id", message.get("id"));
        }
        return reply;
    }

    /** A failed reply with Salesforce's {@code "<code>::<text>"} error. */
    private static ObjectNode error(ObjectNode message, String error) {
        ObjectNode reply = reply(message);
        if (message.hasNonNull("clientId")) {
            reply.set("clientId", message.get("clientId"));
        }
        if (message.has("subscription")) {
            reply.set("subscription", message.get("subscription"));
        }
        reply.put("error", error);
        reply.put("successful", false);
        return reply;
    }

    /** A failed reply with advice: {@code none} (re-authenticate first) or {@code handshake}. */
    private static ObjectNode failed(ObjectNode message, String error, String reconnect) {
        ObjectNode reply = error(message, error);
        reply.putObject("advice").put("reconnect", reconnect).put("interval", 0);
        return reply;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return EventJson.JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] array(List<byte[]> messages) {
        int size = 2 + messages.size();
        for (byte[] m : messages) {
            size += m.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write('[');
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(messages.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }

    // ------------------------------------------------------------------------------------------ admin

    private ObjectNode status() {
        ObjectNode body = NODES.objectNode();
        body.put("longPollTimeoutMillis", longPollTimeout.toMillis());
        body.put("reconnectWindowMillis", reconnectWindow.toMillis());
        body.put("maxEventsPerConnect", maxEventsPerConnect);
        body.put("maxResponseBytes", maxResponseBytes);
        body.put("maxClients", maxClients);
        ArrayNode list = body.putArray("clients");
        for (CometdClient client : clients.values()) {
            ObjectNode c = list.addObject();
            c.put("clientId", client.id());
            c.put("userId", client.userId());
            c.put("heldConnects", client.heldConnects());
            ObjectNode positions = c.putObject("subscriptions");
            client.positions().forEach(positions::put);
        }
        return body;
    }

    /**
     * {@code {"longPollMillis":..,"reconnectWindowMillis":..,"maxEventsPerConnect":..,"maxResponseBytes":..,
     * "maxClients":..}}, each optional.
     */
    private Response configure(Request request) {
        JsonNode body = request.json();
        try {
            if (body.has("longPollMillis")) {
                setLongPollTimeout(Duration.ofMillis(body.get("longPollMillis").asLong()));
            }
            if (body.has("reconnectWindowMillis")) {
                setReconnectWindow(Duration.ofMillis(body.get("reconnectWindowMillis").asLong()));
            }
            if (body.has("maxEventsPerConnect")) {
                setMaxEventsPerConnect(body.get("maxEventsPerConnect").asInt());
            }
            if (body.has("maxResponseBytes")) {
                setMaxResponseBytes(body.get("maxResponseBytes").asInt());
            }
            if (body.has("maxClients")) {
                setMaxClients(body.get("maxClients").asInt());
            }
        } catch (IllegalArgumentException e) {
            throw new OrgException(400, "INVALID_FIELD", e.getMessage());
        }
        return Response.json(200, status());
    }

    /** Stops the sweeper, detaches from the bus and answers every held connect. */
    @Override
    public void close() {
        closed = true;
        bus.removeAppendListener(onAppend);
        sweeper.shutdownNow();
        wakeAll();
    }
}
