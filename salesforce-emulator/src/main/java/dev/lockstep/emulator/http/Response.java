package dev.lockstep.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An HTTP response: status, headers and body bytes. */
public final class Response {

    public static final String JSON_TYPE = "application/json;charset=UTF-8";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final byte[] body;

    private Response(int status, String contentType, byte[] body) {
        this.status = status;
        this.body = body;
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
    }

    /** A JSON body; {@code body} is a Jackson node or anything Jackson can write. */
    public static Response json(int status, Object body) {
        try {
            return new Response(status, JSON_TYPE, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Response noContent() {
        return new Response(204, null, new byte[0]);
    }

    public static Response empty(int status) {
        return new Response(status, null, new byte[0]);
    }

    public static Response bytes(int status, String contentType, byte[] body) {
        return new Response(status, contentType, body);
    }

    public static Response text(int status, String contentType, String body) {
        return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Salesforce's error body: {@code [{"message","errorCode","fields"}]}. */
    public static Response error(int status, String errorCode, String message, List<String> fields) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("errorCode", errorCode);
        error.put("fields", fields);
        return json(status, List.of(error));
    }

    public Response header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return body;
    }
}
