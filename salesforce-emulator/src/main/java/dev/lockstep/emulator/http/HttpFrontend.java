package dev.lockstep.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lockstep.emulator.auth.Session;
import dev.lockstep.emulator.auth.Sessions;
import dev.lockstep.emulator.control.ApiLimits;
import dev.lockstep.emulator.control.Counters;
import dev.lockstep.emulator.control.Faults;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.org.RecordError;
import dev.lockstep.emulator.org.RecordException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener and the pipeline every request goes through: route, API version check ({@code vXX.X} from
 * 50.0 to 64.0), session check (401 {@code INVALID_SESSION_ID}), scripted faults, API limits (403
 * {@code REQUEST_LIMIT_EXCEEDED}, the {@code Sforce-Limit-Info} header), counters, and errors turned into
 * Salesforce's error bodies.
 */
public final class HttpFrontend implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFrontend.class);

    static {
        // Without TCP_NODELAY every response with a body waits ~40 ms for the client's delayed ACK (Nagle). The
        // JDK server reads this once, when its configuration class loads: set it before the first server exists.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Router router;
    private final Sessions sessions;
    private final ApiLimits limits;
    private final Faults faults;
    private final Counters counters;
    private final HttpServer http;
    private final ExecutorService executor;
    private volatile boolean closing;

    public HttpFrontend(int port, Router router, Sessions sessions, ApiLimits limits, Faults faults,
            Counters counters) throws IOException {
        this.router = router;
        this.sessions = sessions;
        this.limits = limits;
        this.faults = faults;
        this.counters = counters;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "emulator-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        http.createContext("/", this::handle);
        http.setExecutor(executor);
        http.start();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = toRequest(exchange);
            Response response = answer(request, exchange);
            if (response != null) {
                send(exchange, request.method(), response);
            }
        } catch (IOException e) {
            LOG.debug("Client went away: {}", e.toString());
        }
    }

    private static Request toRequest(HttpExchange exchange) throws IOException {
        URI target = exchange.getRequestURI();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, new ArrayList<>(v)));
        return new Request(exchange.getRequestMethod(), requestPath(target), target.getRawQuery(), headers, body);
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

    /** The response, or null when a time-out fault drops the connection. */
    private Response answer(Request request, HttpExchange exchange) {
        Set<String> allowed = router.newAllowedSet();
        Router.Match match = router.find(request.method(), request.segments(), allowed);
        if (match == null) {
            if (!allowed.isEmpty()) {
                return Response.error(405, "METHOD_NOT_ALLOWED", "HTTP Method '" + request.method()
                        + "' not allowed. Allowed are " + String.join(",", allowed), List.of());
            }
            return Response.error(404, "NOT_FOUND", "The requested resource does not exist", List.of());
        }
        Route route = match.route();
        request.params(match.params());
        Object ticket = new Object();
        boolean counted = false;
        try {
            String version = match.params().get("version");
            if (version != null) {
                Optional<Integer> v = ApiVersions.parseSegment(version);
                if (v.isEmpty()) {
                    return Response.error(404, "NOT_FOUND", "The requested resource does not exist", List.of());
                }
                request.apiVersion(v.get());
            }
            if (route.access() == Route.Access.API) {
                request.session(authenticate(request));
            }
            if (route.access() == Route.Access.API) {
                limits.begin(ticket);
                counted = true;
            }
            // After the limit check: a stalled call holds a long-running slot, as a slow org's calls do.
            if (!route.kind().equals("admin")) {
                Optional<Faults.Fault> fault = faults.take(route.kind());
                if (fault.isPresent()) {
                    counters.increment(route.kind());
                    return injected(fault.get(), exchange);
                }
            }
            counters.increment(route.kind());
            return withLimitInfo(route, route.handler().handle(request));
        } catch (OrgException e) {
            return withLimitInfo(route, Response.error(e.status(), e.errorCode(), e.getMessage(), e.fields()));
        } catch (RecordException e) {
            RecordError first = e.errors().get(0);
            List<Map<String, Object>> body = new ArrayList<>();
            for (RecordError error : e.errors()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("message", error.message());
                item.put("errorCode", error.statusCode());
                item.put("fields", error.fields());
                body.add(item);
            }
            int status = first.statusCode().equals("ENTITY_IS_DELETED") || first.statusCode().equals("NOT_FOUND")
                    ? 404 : 400;
            return withLimitInfo(route, Response.json(status, body));
        } catch (Exception e) {
            LOG.warn("Unexpected failure answering {} {}", request.method(), request.path(), e);
            return Response.error(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this "
                    + "ErrorId if you contact support: " + Integer.toHexString(e.hashCode()) + " (" + e + ")",
                    List.of());
        } finally {
            if (counted) {
                limits.finish(ticket);
            }
        }
    }

    private Response withLimitInfo(Route route, Response response) {
        return route.access() == Route.Access.API ? response.header("Sforce-Limit-Info", limits.limitInfo())
                : response;
    }

    private Session authenticate(Request request) {
        return request.bearerToken().flatMap(sessions::resolve).orElseThrow(() ->
                new OrgException(401, "INVALID_SESSION_ID", "Session expired or invalid"));
    }

    private Response injected(Faults.Fault fault, HttpExchange exchange) {
        if (fault.type() == Faults.Type.TIMEOUT) {
            long until = System.nanoTime() + fault.hold().toNanos();
            while (!closing && System.nanoTime() < until) {
                try {
                    TimeUnit.MILLISECONDS.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return null;
        }
        String code = fault.status() == 503 ? "SERVER_UNAVAILABLE" : "UNKNOWN_EXCEPTION";
        String message = fault.status() == 503 ? "Server temporarily unavailable (injected fault)"
                : "An unexpected error occurred (injected fault)";
        return Response.error(fault.status(), code, message, List.of());
    }

    private static void send(HttpExchange exchange, String method, Response response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = response.body();
        boolean noBody = method.equals("HEAD") || response.status() == 204 || response.status() == 304;
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : (body.length == 0 ? -1 : body.length));
        if (!noBody && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        http.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
