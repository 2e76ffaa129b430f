package dev.lockstep.cli.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kafka Connect REST API as the command line uses it: create or update connectors idempotently, read their
 * status and offsets. Failures name the request and carry Connect's own error message.
 */
public final class ConnectRest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;

    /** @param url the worker's REST URL, e.g. {@code http://localhost:8083} */
    public ConnectRest(String url) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public URI url() {
        return base;
    }

    /** What {@link #putConfig} did. */
    public enum Outcome {
        CREATED, UPDATED, UNCHANGED;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Creates the connector, or updates it when its configuration differs ({@code PUT /connectors/{name}/config});
     * leaves it alone when it is the same, so deploying twice restarts nothing.
     */
    public Outcome putConfig(String name, Map<String, String> config) {
        Outcome outcome = compare(name, config);
        if (outcome != Outcome.UNCHANGED) {
            ObjectNode body = JSON.createObjectNode();
            withName(name, config).forEach(body::put);
            send("PUT", "connectors/" + encode(name) + "/config", body, false);
        }
        return outcome;
    }

    /** What {@link #putConfig} would do, without doing it: CREATED when there is no such connector. */
    public Outcome compare(String name, Map<String, String> config) {
        JsonNode current = config(name);
        if (current == null) {
            return Outcome.CREATED;
        }
        Map<String, String> existing = new TreeMap<>();
        current.properties().forEach(e -> existing.put(e.getKey(), e.getValue().asText()));
        return existing.equals(withName(name, config)) ? Outcome.UNCHANGED : Outcome.UPDATED;
    }

    private static Map<String, String> withName(String name, Map<String, String> config) {
        Map<String, String> named = new TreeMap<>(config);
        named.put("name", name);
        return named;
    }

    /** The names of the connectors. */
    public List<String> connectors() {
        List<String> names = new ArrayList<>();
        send("GET", "connectors", null, false).forEach(n -> names.add(n.asText()));
        return names;
    }

    /** {@code GET /connectors/{name}/status}, or null when there is no such connector. */
    public JsonNode status(String name) {
        return send("GET", "connectors/" + encode(name) + "/status", null, true);
    }

    /** {@code GET /connectors/{name}/config}, or null when there is no such connector. */
    public JsonNode config(String name) {
        return send("GET", "connectors/" + encode(name) + "/config", null, true);
    }

    /** {@code GET /connectors/{name}/offsets}, or null when there is no such connector. */
    public JsonNode offsets(String name) {
        return send("GET", "connectors/" + encode(name) + "/offsets", null, true);
    }

    /**
     * {@code PUT /connector-plugins/{class}/config/validate}: Connect's (and the connector's own) validation of a
     * configuration; the answer lists the errors per key ({@link ConnectorValidation#of} reads it).
     */
    public JsonNode validate(Map<String, String> config) {
        ObjectNode body = JSON.createObjectNode();
        config.forEach(body::put);
        String plugin = config.get("connector.class");
        return send("PUT", "connector-plugins/" + encode(plugin.substring(plugin.lastIndexOf('.') + 1))
                + "/config/validate", body, false);
    }

    /** Deletes a connector; false when there was none. */
    public boolean delete(String name) {
        return send("DELETE", "connectors/" + encode(name), null, true) != null;
    }

    /**
     * {@code PUT /connectors/{name}/stop}: shuts the connector's tasks down and keeps its configuration, the state in
     * which Connect lets its offsets be changed. Connect answers before the tasks are gone: wait for
     * {@code STOPPED} in {@link #status}.
     */
    public void stop(String name) {
        send("PUT", "connectors/" + encode(name) + "/stop", null, false);
    }

    /** {@code PUT /connectors/{name}/resume}: starts a paused or stopped connector again. */
    public void resume(String name) {
        send("PUT", "connectors/" + encode(name) + "/resume", null, false);
    }

    /**
     * {@code PATCH /connectors/{name}/offsets} with {@code {"offsets": [{"partition": ..., "offset": ...}]}}; the
     * connector must be stopped, and a source connector checks the offsets first ({@code alterOffsets}).
     */
    public JsonNode alterOffsets(String name, JsonNode body) {
        return send("PATCH", "connectors/" + encode(name) + "/offsets", body, false);
    }

    private JsonNode send(String method, String resource, JsonNode body, boolean notFoundIsNull) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(resource)).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Kafka Connect at " + base + " did not answer " + method + " /" + resource
                    + " (" + e.getMessage() + "); is the worker running and is the URL right?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " /" + resource, e);
        }
        if (response.statusCode() == 404 && notFoundIsNull) {
            return null;
        }
        if (response.statusCode() / 100 != 2) {
            throw new ConnectRestException(method + " /" + resource + " answered HTTP " + response.statusCode()
                    + ": " + message(response.body()), response.statusCode());
        }
        try {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " /" + resource + " answered something that is not JSON", e);
        }
    }

    private static String message(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            return error.hasNonNull("message") ? error.get("message").asText() : body;
        } catch (IOException e) {
            return body;
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A refusal by the Connect REST API, with its HTTP status. */
    public static final class ConnectRestException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public ConnectRestException(String message, int status) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
