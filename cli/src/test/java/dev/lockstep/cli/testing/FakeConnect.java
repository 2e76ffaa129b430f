package dev.lockstep.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A stand-in for the Kafka Connect REST API, enough for the command line's unit tests: connector configurations are
 * stored and read back ({@code GET/PUT /connectors/{name}/config}, {@code GET /connectors}), and validation
 * ({@code PUT /connector-plugins/{plugin}/config/validate}) answers in Connect's shape, declaring the keys of
 * {@link #SECRET_KEYS} as {@code PASSWORD} and reporting the errors a test scripts. Every request is recorded. The
 * integration tests use a real Connect cluster instead.
 */
public final class FakeConnect implements BeforeAllCallback, AfterAllCallback {

    /** The keys validation declares as PASSWORD. */
    public static final Set<String> SECRET_KEYS = Set.of("salesforce.client.secret", "connection.password");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<String, String>> connectors = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> errors = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.stop(0);
        }
    }

    /** The REST URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Makes validation of the connector named {@code connector} report {@code message} on {@code key}. */
    public void refuse(String connector, String key, String message) {
        errors.computeIfAbsent(connector, c -> new ConcurrentHashMap<>()).put(key, message);
    }

    /** The stored configuration of a connector, or null. */
    public Map<String, String> config(String connector) {
        return connectors.get(connector);
    }

    /** The connectors' names. */
    public Set<String> connectors() {
        return Set.copyOf(connectors.keySet());
    }

    /** Every request so far, as {@code METHOD /path}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The requests that changed something ({@code PUT /connectors/...} and {@code DELETE}). */
    public List<String> changes() {
        return requests.stream().filter(r -> r.startsWith("PUT /connectors/") || r.startsWith("DELETE")).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        requests.add(method + " " + path);
        byte[] body = exchange.getRequestBody().readAllBytes();
        String[] parts = path.substring(1).split("/");
        if (parts.length == 3 && parts[0].equals("connectors") && parts[2].equals("config")) {
            String name = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
            if (method.equals("GET")) {
                Map<String, String> config = connectors.get(name);
                if (config == null) {
                    send(exchange, 404, JSON.createObjectNode().put("error_code", 404)
                            .put("message", "Connector " + name + " not found"));
                } else {
                    send(exchange, 200, JSON.valueToTree(config));
                }
                return;
            }
            Map<String, String> config = new TreeMap<>();
            JSON.readTree(body).properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
            boolean created = connectors.put(name, config) == null;
            send(exchange, created ? 201 : 200, JSON.createObjectNode().put("name", name));
            return;
        }
        if (parts.length == 1 && parts[0].equals("connectors") && method.equals("GET")) {
            ArrayNode names = JSON.createArrayNode();
            connectors.keySet().forEach(names::add);
            send(exchange, 200, names);
            return;
        }
        if (parts.length == 4 && parts[0].equals("connector-plugins") && parts[3].equals("validate")) {
            send(exchange, 200, validation(parts[1], JSON.readTree(body)));
            return;
        }
        send(exchange, 404, JSON.createObjectNode().put("error_code", 404).put("message", "Unknown " + path));
    }

    private JsonNode validation(String plugin, JsonNode config) {
        Map<String, String> refused = errors.getOrDefault(config.path("name").asText(), Map.of());
        ObjectNode answer = JSON.createObjectNode().put("name", plugin).put("error_count", refused.size());
        answer.putArray("groups");
        ArrayNode configs = answer.putArray("configs");
        Map<String, String> values = new LinkedHashMap<>();
        config.properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
        refused.keySet().forEach(key -> values.putIfAbsent(key, null));
        values.forEach((key, value) -> {
            ObjectNode entry = configs.addObject();
            entry.putObject("definition").put("name", key)
                    .put("type", SECRET_KEYS.contains(key) ? "PASSWORD" : "STRING");
            ObjectNode shown = entry.putObject("value").put("name", key)
                    .put("value", SECRET_KEYS.contains(key) ? "[hidden]" : value);
            ArrayNode messages = shown.putArray("errors");
            if (refused.containsKey(key)) {
                messages.add(refused.get(key));
            }
            shown.put("visible", true);
        });
        return answer;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Forgets the requests recorded so far. */
    public void clearRequests() {
        requests.clear();
    }

    /** Forgets every connector, scripted error and request. */
    public void reset() {
        connectors.clear();
        errors.clear();
        requests.clear();
    }

    /** The recorded requests matching a prefix, e.g. {@code PUT /connector-plugins}. */
    public List<String> requests(String prefix) {
        List<String> matching = new ArrayList<>();
        requests.forEach(r -> {
            if (r.startsWith(prefix)) {
                matching.add(r);
            }
        });
        return matching;
    }
}
