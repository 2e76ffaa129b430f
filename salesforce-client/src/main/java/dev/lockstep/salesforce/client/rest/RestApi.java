package dev.lockstep.salesforce.client.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.http.SalesforceHttp;
import dev.lockstep.salesforce.client.http.SalesforceHttp.Call;
import dev.lockstep.salesforce.client.values.FieldValues;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The REST API, one method per resource (reference §2): version discovery, describeGlobal, describe (cached until
 * {@link #refreshDescribe}), SOQL as a lazily paged iterator, sObject CRUD, blob downloads, upsert by External ID,
 * sObject Collections with per-record results, getUpdated/getDeleted and limits. Records are JSON objects as
 * Salesforce sends them. Thread-safe.
 */
public final class RestApi {

    /** Salesforce's limit of records per sObject Collections call. */
    public static final int COLLECTION_LIMIT = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The relative URL a record holds for a base64 field (reference §2.4): only such a path on the instance is
     * fetched, so the session's token never goes to another host or resource.
     */
    private static final Pattern BLOB_URL = Pattern.compile(
            "/services/data/v\\d+\\.\\d+/sobjects/[A-Za-z][A-Za-z0-9_]*/[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?"
                    + "/[A-Za-z][A-Za-z0-9_]*");

    private final SalesforceHttp http;
    private final String version;
    private final Map<String, JsonNode> describes = new ConcurrentHashMap<>();
    private final Map<String, FieldValues> readers = new ConcurrentHashMap<>();

    /** @param version the API version such as {@code 61.0} */
    public RestApi(SalesforceHttp http, String version) {
        this.http = http;
        this.version = version;
    }

    private String data(String resource) {
        return "/services/data/v" + version + resource;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The API versions the org serves, newest last, e.g. {@code ["50.0", ..., "64.0"]}. */
    public List<String> versions() {
        List<String> versions = new ArrayList<>();
        http.send(Call.get("rest.versions", "/services/data")).json().forEach(v -> versions.add(v.path("version")
                .asText()));
        return versions;
    }

    public JsonNode describeGlobal() {
        return http.send(Call.get("rest.describe", data("/sobjects"))).json();
    }

    /** The describe of an object, fetched once and cached; see {@link #refreshDescribe}. */
    public JsonNode describe(String object) {
        return describes.computeIfAbsent(Soql.identifier(object), o -> fetchDescribe(o));
    }

    /** Fetches the describe again (after Salesforce added or changed a field) and caches the new one. */
    public JsonNode refreshDescribe(String object) {
        JsonNode fresh = fetchDescribe(Soql.identifier(object));
        describes.put(object, fresh);
        readers.remove(object);
        return fresh;
    }

    /** Reads an object's field values into Java types by its (cached) describe. */
    public FieldValues values(String object) {
        return readers.computeIfAbsent(Soql.identifier(object), o -> FieldValues.of(describe(o)));
    }

    /** A REST record of {@code object} with its values typed by describe (see {@link FieldValues}). */
    public Map<String, Object> typed(String object, JsonNode record) {
        return values(object).record(record);
    }

    /** The records of a SOQL query on {@code object}, typed by describe, fetched page by page. */
    public Iterator<Map<String, Object>> queryTyped(String object, String soql) {
        return typed(object, query(soql));
    }

    /** As {@link #queryTyped}, including the recycle bin ({@code IsDeleted = true}). */
    public Iterator<Map<String, Object>> queryAllTyped(String object, String soql) {
        return typed(object, queryAll(soql));
    }

    private Iterator<Map<String, Object>> typed(String object, Iterator<JsonNode> records) {
        FieldValues reader = values(object);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                return reader.record(records.next());
            }
        };
    }

    private JsonNode fetchDescribe(String object) {
        return http.send(Call.get("rest.describe", data("/sobjects/" + object + "/describe"))).json();
    }

    /** The records of a SOQL query, fetched page by page as the iterator advances (live records only). */
    public Iterator<JsonNode> query(String soql) {
        return new Pages(data("/query?q=" + encode(soql)));
    }

    /** Like {@link #query}, including the recycle bin ({@code IsDeleted = true}). */
    public Iterator<JsonNode> queryAll(String soql) {
        return new Pages(data("/queryAll?q=" + encode(soql)));
    }

    /** The {@code totalSize} of a {@code SELECT COUNT() ...} query. */
    public long count(String soql) {
        return http.send(Call.get("rest.query", data("/query?q=" + encode(soql)))).json().path("totalSize").asLong();
    }

    /** Follows {@code nextRecordsUrl}: holds one page at a time. */
    private final class Pages implements Iterator<JsonNode> {

        private String next;
        private Iterator<JsonNode> page = List.<JsonNode>of().iterator();

        Pages(String first) {
            this.next = first;
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && next != null) {
                JsonNode body = http.send(Call.get("rest.query", next)).json();
                List<JsonNode> records = new ArrayList<>();
                body.path("records").forEach(records::add);
                page = records.iterator();
                next = body.path("done").asBoolean(true) ? null : body.path("nextRecordsUrl").asText(null);
            }
            return page.hasNext();
        }

        @Override
        public JsonNode next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.next();
        }
    }

    /** A record by Id, with every field or only {@code fields}; empty when there is none (404). */
    public Optional<JsonNode> retrieve(String object, String id, List<String> fields) {
        String path = data("/sobjects/" + Soql.identifier(object) + "/" + encode(id)
                + (fields.isEmpty() ? "" : "?fields=" + encode(String.join(",", fields.stream()
                        .map(Soql::identifier).toList()))));
        try {
            return Optional.of(http.send(Call.get("rest.sobject", path)).json());
        } catch (SalesforceException e) {
            if (e.httpStatus() == 404 && "NOT_FOUND".equals(e.errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The content of a base64 field by the relative URL a REST record or query row holds for it
     * ({@code /services/data/vXX.X/sobjects/<Object>/<Id>/<Field>}): one GET answered with the raw bytes, sent like
     * every other call (session, re-login, retries, API governor, metrics kind {@code rest.blob}).
     *
     * @throws IllegalArgumentException when {@code url} is not such a path
     * @throws SalesforceException as every call; {@code 404 NOT_FOUND} (FATAL) when the record is gone or the field
     *     is null now
     */
    public byte[] blob(String url) {
        if (url == null || !BLOB_URL.matcher(url).matches()) {
            throw new IllegalArgumentException("Not the URL of a blob: expected "
                    + "/services/data/vXX.X/sobjects/<Object>/<Id>/<Field>, got " + url);
        }
        // Accept: the answer is the blob's own bytes (application/octetstream), not JSON.
        return http.send(Call.get("rest.blob", url).withHeader("Accept", "*/*")).body();
    }

    /** As {@link #blob(String)}, for the base64 {@code field} of the record {@code id} of {@code object}. */
    public byte[] blob(String object, String id, String field) {
        return blob(data("/sobjects/" + Soql.identifier(object) + "/" + id + "/" + Soql.identifier(field)));
    }

    /** Creates a record; returns its Id. */
    public String create(String object, ObjectNode fields) {
        return http.send(Call.json("rest.sobject", "POST", data("/sobjects/" + Soql.identifier(object)),
                fields.toString())).json().path("id").asText();
    }

    public void update(String object, String id, ObjectNode fields) {
        http.send(Call.json("rest.sobject", "PATCH", data("/sobjects/" + Soql.identifier(object) + "/" + encode(id)),
                fields.toString()));
    }

    public void delete(String object, String id) {
        http.send(new Call("rest.sobject", "DELETE", data("/sobjects/" + Soql.identifier(object) + "/" + encode(id)),
                null, null, Map.of()));
    }

    /** The outcome of an upsert or of one record of a collection call. */
    public record SaveResult(String id, boolean success, Boolean created, List<RecordError> errors) {}

    /** Why Salesforce rejected one record. */
    public record RecordError(String statusCode, String message, List<String> fields) {}

    /**
     * Creates or updates the record whose External ID field {@code field} is {@code value}.
     *
     * @throws SalesforceException PER_RECORD when several records match (HTTP 300)
     */
    public SaveResult upsert(String object, String field, String value, ObjectNode fields) {
        SalesforceHttp.Reply reply = http.send(Call.json("rest.sobject", "PATCH", data("/sobjects/"
                + Soql.identifier(object) + "/" + Soql.identifier(field) + "/" + encode(value)), fields.toString()));
        if (reply.status() == 300) {
            throw new SalesforceException(ErrorCategory.PER_RECORD, 300, "MULTIPLE_CHOICES", "Upsert of " + object
                    + " by " + field + " matched several records");
        }
        JsonNode body = reply.json();
        return new SaveResult(body.path("id").asText(), true, body.path("created").asBoolean(), List.of());
    }

    /** Creates up to {@value #COLLECTION_LIMIT} records; one result per record, in order. */
    public List<SaveResult> createAll(List<ObjectNode> records, boolean allOrNone) {
        return collection("POST", data("/composite/sobjects"), records, allOrNone);
    }

    /** Updates up to {@value #COLLECTION_LIMIT} records (each with {@code attributes.type} and {@code id}). */
    public List<SaveResult> updateAll(List<ObjectNode> records, boolean allOrNone) {
        return collection("PATCH", data("/composite/sobjects"), records, allOrNone);
    }

    /** Upserts up to {@value #COLLECTION_LIMIT} records of one object by an External ID field. */
    public List<SaveResult> upsertAll(String object, String field, List<ObjectNode> records, boolean allOrNone) {
        return collection("PATCH", data("/composite/sobjects/" + Soql.identifier(object) + "/"
                + Soql.identifier(field)), records, allOrNone);
    }

    /** Deletes up to {@value #COLLECTION_LIMIT} records by Id. */
    public List<SaveResult> deleteAll(List<String> ids, boolean allOrNone) {
        checkSize(ids.size());
        JsonNode body = http.send(new Call("rest.collections", "DELETE", data("/composite/sobjects?ids="
                + encode(String.join(",", ids)) + "&allOrNone=" + allOrNone), null, null, Map.of())).json();
        return results(body);
    }

    private List<SaveResult> collection(String method, String path, List<ObjectNode> records, boolean allOrNone) {
        checkSize(records.size());
        ObjectNode body = JSON.createObjectNode();
        body.put("allOrNone", allOrNone);
        ArrayNode array = body.putArray("records");
        records.forEach(array::add);
        return results(http.send(Call.json("rest.collections", method, path, body.toString())).json());
    }

    private static void checkSize(int size) {
        if (size > COLLECTION_LIMIT) {
            throw new IllegalArgumentException("sObject Collections take at most " + COLLECTION_LIMIT
                    + " records per call, got " + size + "; split the batch");
        }
    }

    private static List<SaveResult> results(JsonNode body) {
        List<SaveResult> results = new ArrayList<>();
        for (JsonNode r : body) {
            List<RecordError> errors = new ArrayList<>();
            for (JsonNode e : r.path("errors")) {
                List<String> fields = new ArrayList<>();
                e.path("fields").forEach(f -> fields.add(f.asText()));
                errors.add(new RecordError(e.path("statusCode").asText(), e.path("message").asText(), fields));
            }
            results.add(new SaveResult(r.path("id").asText(null), r.path("success").asBoolean(),
                    r.has("created") ? r.get("created").asBoolean() : null, List.copyOf(errors)));
        }
        return results;
    }

    /** Ids of records changed in [start, end] and the date the answer covers up to (getUpdated). */
    public record Updated(List<String> ids, Instant latestDateCovered) {}

    /** A deleted record (getDeleted). */
    public record Deleted(String id, Instant deletedDate) {}

    /** Records deleted in [start, end], and the window Salesforce could answer for. */
    public record DeletedWindow(List<Deleted> records, Instant earliestDateAvailable, Instant latestDateCovered) {}

    public Updated updated(String object, Instant start, Instant end) {
        JsonNode body = http.send(Call.get("rest.replication", data("/sobjects/" + Soql.identifier(object)
                + "/updated/?start=" + encode(start.toString()) + "&end=" + encode(end.toString())))).json();
        List<String> ids = new ArrayList<>();
        body.path("ids").forEach(id -> ids.add(id.asText()));
        return new Updated(ids, FieldValues.parseDateTime(body.path("latestDateCovered").asText()));
    }

    public DeletedWindow deleted(String object, Instant start, Instant end) {
        JsonNode body = http.send(Call.get("rest.replication", data("/sobjects/" + Soql.identifier(object)
                + "/deleted/?start=" + encode(start.toString()) + "&end=" + encode(end.toString())))).json();
        List<Deleted> records = new ArrayList<>();
        body.path("deletedRecords").forEach(r -> records.add(new Deleted(r.path("id").asText(),
                FieldValues.parseDateTime(r.path("deletedDate").asText()))));
        return new DeletedWindow(records, FieldValues.parseDateTime(body.path("earliestDateAvailable").asText()),
                FieldValues.parseDateTime(body.path("latestDateCovered").asText()));
    }

    /**
     * The Avro schema (standard Avro JSON, {@code payloadFormat=COMPACT}) of an event by its schema id, as CometD
     * events name it in {@code data.schema}. Not cached here: the streaming clients cache by id.
     */
    public JsonNode eventSchema(String schemaId) {
        return http.send(Call.get("rest.eventSchema", data("/event/eventSchema/" + encode(schemaId)
                + "?payloadFormat=COMPACT"))).json();
    }

    /** The org's limits: name to {@code {Max, Remaining}}. */
    public JsonNode limits() {
        return http.send(Call.get("rest.limits", data("/limits"))).json();
    }
}
