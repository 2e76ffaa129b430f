package dev.lockstep.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.auth.Session;
import dev.lockstep.emulator.org.OrgException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** One HTTP request, with what the pipeline learned about it: path parameters, API version and session. */
public final class Request {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String method;
    private final String path;
    private final List<String> segments;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private Map<String, String> params = Map.of();
    private int apiVersion;
    private Session session;

    public Request(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        this.method = method;
        this.path = path;
        this.segments = segments(path);
        this.query = parseQuery(rawQuery);
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        this.headers = h;
        this.body = body;
    }

    /** Path segments, decoded, without empty ones: {@code //services/data/} and {@code /services/data} agree. */
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return query;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public List<String> segments() {
        return segments;
    }

    /** A path parameter of the matched route, e.g. {@code sobject} for {@code /sobjects/{sobject}}. */
    public String param(String name) {
        return params.get(name);
    }

    void params(Map<String, String> params) {
        this.params = params;
    }

    public Optional<String> query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public byte[] body() {
        return body;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON, or 400 {@code JSON_PARSER_ERROR}. */
    public JsonNode json() {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new OrgException(400, "JSON_PARSER_ERROR", "The request body is empty; expected JSON");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new OrgException(400, "JSON_PARSER_ERROR", "Unexpected character in the request body: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new OrgException(400, "JSON_PARSER_ERROR", "Cannot read the request body: " + e.getMessage());
        }
    }

    /** The form fields of an {@code application/x-www-form-urlencoded} body. */
    public Map<String, String> form() {
        Map<String, String> form = new LinkedHashMap<>();
        parseQuery(bodyText()).forEach((k, v) -> form.put(k, v.get(0)));
        return form;
    }

    /** The API version of a {@code /services/data/vXX.X/...} request, e.g. 61. */
    public int apiVersion() {
        return apiVersion;
    }

    void apiVersion(int version) {
        this.apiVersion = version;
    }

    /** The session of an authenticated request. */
    public Session session() {
        return session;
    }

    void session(Session session) {
        this.session = session;
    }

    /** The token of an {@code Authorization: Bearer <token>} (or {@code OAuth <token>}) header, if sent. */
    public Optional<String> bearerToken() {
        String header = header("Authorization").orElse("").trim();
        for (String scheme : new String[] {"Bearer ", "OAuth "}) {
            if (header.regionMatches(true, 0, scheme, 0, scheme.length())) {
                String token = header.substring(scheme.length()).trim();
                return token.isEmpty() ? Optional.empty() : Optional.of(token);
            }
        }
        return Optional.empty();
    }

    /** The {@code client} of {@code Sforce-Call-Options: client=...}, if sent. */
    public Optional<String> callOptionsClient() {
        return header("Sforce-Call-Options").flatMap(options -> {
            for (String part : options.split(",")) {
                String p = part.trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("client=")) {
                    return Optional.of(p.substring("client=".length()));
                }
            }
            return Optional.empty();
        });
    }

    /** {@code /services/data/v61.0}: the prefix of URLs returned to the client. */
    public String dataPrefix() {
        return "/services/data/v" + apiVersion + ".0";
    }
}
