package dev.lockstep.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's HTTP listener on the loopback interface.
 *
 * <p>It serves REST API version discovery ({@code GET /services/data} and {@code GET /services/data/vXX.X}) with
 * Salesforce's paths, headers and error bodies. Salesforce tolerates a trailing slash and a doubled leading slash
 * ({@code //services/data}), so the emulator does too.
 */
public final class EmulatorServer implements AutoCloseable {

    private static final String JSON = "application/json;charset=UTF-8";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer http;
    private final ExecutorService executor;

    private EmulatorServer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    /** Starts listening on 127.0.0.1; port 0 picks a free port (see {@link #baseUri()}). */
    public static EmulatorServer start(int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "emulator-http");
            thread.setDaemon(true);
            return thread;
        });
        EmulatorServer server = new EmulatorServer(http, executor);
        http.createContext("/", server::handle);
        http.setExecutor(executor);
        http.start();
        return server;
    }

    /** The instance URL clients are given, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            List<String> segments = segments(requestPath(exchange.getRequestURI()));
            if (segments.size() < 2 || !segments.get(0).equals("services") || !segments.get(1).equals("data")) {
                sendError(exchange, 404, "NOT_FOUND", "The requested resource does not exist");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                sendError(exchange, 405, "METHOD_NOT_ALLOWED",
                        "HTTP Method '" + exchange.getRequestMethod() + "' not allowed. Allowed are GET,HEAD");
                return;
            }
            if (segments.size() == 2) {
                send(exchange, 200, ApiVersions.all());
                return;
            }
            Optional<Integer> version = ApiVersions.parseSegment(segments.get(2));
            if (version.isEmpty() || segments.size() > 3) {
                sendError(exchange, 404, "NOT_FOUND", "The requested resource does not exist");
                return;
            }
            // Resources are added to this map as the emulator implements them; it never lists one it cannot serve.
            send(exchange, 200, Map.of());
        } catch (RuntimeException e) {
            sendError(exchange, 500, "UNKNOWN_EXCEPTION", "An unexpected error occurred: " + e);
        }
    }

    /**
     * The request path as sent. A request target such as {@code //services/data} parses as a URI with authority
     * {@code services}, so the path is taken from the raw target rather than from {@link URI#getRawPath()}.
     */
    private static String requestPath(URI target) {
        if (target.getScheme() != null) {
            return target.getRawPath();
        }
        String raw = target.toString();
        int query = raw.indexOf('?');
        return query < 0 ? raw : raw.substring(0, query);
    }

    /** Path segments without empty ones, so {@code //services/data/} and {@code /services/data} are the same. */
    private static List<String> segments(String rawPath) {
        return Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty()).toList();
    }

    private void sendError(HttpExchange exchange, int status, String errorCode, String message) throws IOException {
        send(exchange, status, List.of(Map.of("message", message, "errorCode", errorCode, "fields", List.of())));
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", JSON);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
