package dev.lockstep.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A connector's life cycle through the Connect REST API, as an operator drives it: stop and resume
 * ({@code PUT /connectors/<name>/stop|resume}), read, alter and reset its offsets ({@code GET|PATCH|DELETE
 * /connectors/<name>/offsets}), its status, and the plugin metrics its tasks register in the worker's JMX (the
 * embedded workers share the test's JVM).
 */
public final class ConnectorControl {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ConnectClusterExtension connect;

    public ConnectorControl(ConnectClusterExtension connect) {
        this.connect = connect;
    }

    /** An answer of the REST API: status and body. */
    public record Reply(int status, String body) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }
    }

    /** {@code PUT /connectors/<name>/stop}, then waits until the connector is STOPPED with no tasks. */
    public void stop(String name) throws InterruptedException {
        Reply reply = send("PUT", "connectors/" + name + "/stop", null);
        if (reply.status() / 100 != 2) {
            throw new IllegalStateException("Stopping " + name + " answered " + reply);
        }
        connect.cluster().assertions().assertConnectorIsStopped(name, "Connector " + name + " did not stop");
    }

    /** {@code PUT /connectors/<name>/resume}; call {@link ConnectClusterExtension#awaitRunning} to wait. */
    public void resume(String name) {
        Reply reply = send("PUT", "connectors/" + name + "/resume", null);
        if (reply.status() / 100 != 2) {
            throw new IllegalStateException("Resuming " + name + " answered " + reply);
        }
    }

    /** {@code GET /connectors/<name>/status}. */
    public JsonNode status(String name) {
        return connect.rest("connectors/" + name + "/status");
    }

    /** The state of task {@code task} ({@code RUNNING}, {@code FAILED}, ...), or null when it has none. */
    public String taskState(String name, int task) {
        for (JsonNode t : status(name).path("tasks")) {
            if (t.path("id").asInt() == task) {
                return t.path("state").asText();
            }
        }
        return null;
    }

    /** {@code GET /connectors/<name>/offsets}: {@code {"offsets": [{"partition": ..., "offset": ...}]}}. */
    public JsonNode offsets(String name) {
        return connect.rest("connectors/" + name + "/offsets");
    }

    /** The stored offset of the partition of {@code object}, or null. */
    public JsonNode offsetOf(String name, String object) {
        for (JsonNode entry : offsets(name).path("offsets")) {
            if (object.equals(entry.path("partition").path("object").asText())) {
                return entry.path("offset");
            }
        }
        return null;
    }

    /** {@code PATCH /connectors/<name>/offsets} with {@code body} (JSON text); the answer, whatever its status. */
    public Reply alterOffsets(String name, String body) {
        return send("PATCH", "connectors/" + name + "/offsets", body);
    }

    /** {@code DELETE /connectors/<name>/offsets}: resets every partition. */
    public Reply resetOffsets(String name) {
        return send("DELETE", "connectors/" + name + "/offsets", null);
    }

    private Reply send(String method, String resource, String body) {
        URI uri = URI.create(connect.cluster().endpointForResource(resource));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + resource, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + resource, e);
        }
    }

    /**
     * A plugin metric of the source connector's reader for {@code object} (group {@code plugins}, tags
     * {@code connector}, {@code task}, {@code object}), summed over the tasks that report it; 0 when none does.
     */
    public static long pluginMetric(String connector, String object, String metric) {
        return PluginMetricsJmx.values(connector, object, metric).stream()
                .mapToLong(v -> v instanceof Number n ? n.longValue() : 0).sum();
    }

    /** A text plugin metric (such as {@code phase}) of the reader for {@code object}, or null when none reports it. */
    public static String pluginMetricText(String connector, String object, String metric) {
        return PluginMetricsJmx.values(connector, object, metric).stream().findFirst().map(String::valueOf)
                .orElse(null);
    }

    /** Waits until the reader of {@code object} streams (its {@code phase} metric says {@code streaming}). */
    public static void awaitStreaming(String connector, String object, Duration bound) {
        Eventually.until(connector + " to stream " + object, bound,
                () -> "streaming".equals(pluginMetricText(connector, object, "phase")));
    }
}
