package dev.lockstep.emulator.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.http.ApiVersions;
import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.Ids;
import dev.lockstep.emulator.org.MultipleMatchesException;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.org.RecordError;
import dev.lockstep.emulator.org.RecordException;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.org.Values;
import dev.lockstep.emulator.org.WriteContext;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The REST API under {@code /services/data/vXX.X}: version discovery, describeGlobal and describe, sObject CRUD,
 * External ID look-up and upsert, blobs, getUpdated/getDeleted and limits. sObject Collections live in
 * {@link CollectionsApi}, SOQL in the query package.
 */
public final class RestApi {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DATA = "/services/data/{version}";

    private final Emulator emulator;
    private final Org org;
    private final Instant started;

    private RestApi(Emulator emulator) {
        this.emulator = emulator;
        this.org = emulator.org();
        this.started = emulator.clock().instant().truncatedTo(ChronoUnit.MINUTES);
    }

    public static void register(Router router, Emulator emulator) {
        RestApi api = new RestApi(emulator);
        router.add("GET", "/services/data", "rest.versions", Access.OPEN,
                request -> Response.json(200, ApiVersions.all()));
        router.add("GET", DATA, "rest.resources", Access.API, api::resources);
        router.add("GET", DATA + "/sobjects", "rest.describe", Access.API, request ->
                Response.json(200, Describe.global(emulator.org().schema(), request.dataPrefix())));
        router.add("GET", DATA + "/sobjects/{sobject}", "rest.describe", Access.API, api::basicInfo);
        router.add("POST", DATA + "/sobjects/{sobject}", "rest.sobject", Access.API, api::create);
        router.add("GET", DATA + "/sobjects/{sobject}/describe", "rest.describe", Access.API, request -> {
            SObjectDef def = api.object(request);
            return Response.json(200, Describe.object(emulator.org().schema(), def, request.dataPrefix()));
        });
        router.add("GET", DATA + "/sobjects/{sobject}/updated", "rest.replication", Access.API, api::updated);
        router.add("GET", DATA + "/sobjects/{sobject}/deleted", "rest.replication", Access.API, api::deleted);
        router.add("GET", DATA + "/sobjects/{sobject}/{id}", "rest.sobject", Access.API, api::retrieve);
        router.add("PATCH", DATA + "/sobjects/{sobject}/{id}", "rest.sobject", Access.API, api::update);
        router.add("DELETE", DATA + "/sobjects/{sobject}/{id}", "rest.sobject", Access.API, api::delete);
        router.add("GET", DATA + "/sobjects/{sobject}/{field}/{value}", "rest.sobject", Access.API,
                api::retrieveByFieldOrBlob);
        router.add("PATCH", DATA + "/sobjects/{sobject}/{field}/{value}", "rest.sobject", Access.API, api::upsert);
        router.add("DELETE", DATA + "/sobjects/{sobject}/{field}/{value}", "rest.sobject", Access.API,
                api::deleteByExternalId);
        router.add("GET", DATA + "/limits", "rest.limits", Access.API, api::limits);
        CollectionsApi.register(router, emulator);
    }

    private Response resources(Request request) {
        String prefix = request.dataPrefix();
        Map<String, String> resources = new LinkedHashMap<>();
        for (String name : new String[] {"sobjects", "query", "queryAll", "composite", "limits", "jobs"}) {
            resources.put(name, prefix + "/" + name);
        }
        // The session user's identity URL, absolute as Salesforce gives it: clients that hold only an access token
        // (jsforce's identity()) find it here.
        resources.put("identity", emulator.oauth().identityUrl(request.session().userId()));
        return Response.json(200, resources);
    }

    /** The write context of a request: its user, the REST API, and {@code Sforce-Call-Options: client}. */
    static WriteContext context(Request request) {
        return new WriteContext(request.session().userId(), "REST API", request.callOptionsClient().orElse(null),
                request.apiVersion() + ".0");
    }

    /** A row-lock fault armed through the admin API rejects the record about to be written. */
    static void checkRowLock(Emulator emulator, String idOrNull) {
        if (emulator.faults().takeRowLock()) {
            throw new RecordException(RecordError.of("UNABLE_TO_LOCK_ROW",
                    "unable to obtain exclusive access to this record or 1 records: "
                            + (idOrNull == null ? "" : idOrNull)));
        }
    }

    private SObjectDef object(Request request) {
        SObjectDef def = org.schema().object(request.param("sobject")).orElseThrow(() ->
                new OrgException(404, "NOT_FOUND", "The requested resource does not exist"));
        return def;
    }

    private Response basicInfo(Request request) {
        SObjectDef def = object(request);
        ObjectNode body = NODES.objectNode();
        body.set("objectDescribe", Describe.summary(def, request.dataPrefix()));
        body.putArray("recentItems");
        return Response.json(200, body);
    }

    private Response create(Request request) {
        SObjectDef def = object(request);
        Map<String, Object> input = RecordJson.input(def, request.json());
        if (input.containsKey("Id")) {
            throw new OrgException(400, "INVALID_FIELD_FOR_INSERT_UPDATE",
                    "Unable to create/update fields: Id. Please check the security settings of this field and verify"
                            + " that it is read/write for your profile or permission set.", List.of("Id"));
        }
        String id = org.write(context(request), txn -> {
            checkRowLock(emulator, null);
            return txn.create(def.name(), input);
        });
        return Response.json(201, saveResult(id, null));
    }

    static ObjectNode saveResult(String id, Boolean created) {
        ObjectNode result = NODES.objectNode();
        result.put("id", id);
        result.put("success", true);
        result.putArray("errors");
        if (created != null) {
            result.put("created", created);
        }
        return result;
    }

    /** The live or deleted record {@code id} of the request's object; 404 otherwise. */
    private RecordView record(SObjectDef def, String id, boolean allowDeleted) {
        String full = Ids.normalize(id);
        Optional<RecordView> view = full == null ? Optional.empty() : org.view(full);
        if (view.isEmpty() || !view.get().def().name().equals(def.name())) {
            throw new OrgException(404, "NOT_FOUND", "The requested resource does not exist");
        }
        if (view.get().isDeleted() && !allowDeleted) {
            throw new OrgException(404, "ENTITY_IS_DELETED", "entity is deleted");
        }
        return view.get();
    }

    private Response retrieve(Request request) {
        SObjectDef def = object(request);
        List<FieldDef> fields = RecordJson.fields(def, request.query("fields").orElse(null));
        return org.read(o -> Response.json(200,
                RecordJson.render(record(def, request.param("id"), false), fields, request.dataPrefix())));
    }

    private Response update(Request request) {
        SObjectDef def = object(request);
        Map<String, Object> input = RecordJson.input(def, request.json());
        org.write(context(request), txn -> {
            String id = record(def, request.param("id"), false).id();
            checkRowLock(emulator, id);
            txn.update(id, input);
            return null;
        });
        return Response.noContent();
    }

    private Response delete(Request request) {
        SObjectDef def = object(request);
        org.write(context(request), txn -> {
            String id = record(def, request.param("id"), false).id();
            checkRowLock(emulator, id);
            txn.delete(id);
            return null;
        });
        return Response.noContent();
    }

    /** {@code /sobjects/{Obj}/{ExtField}/{value}} or the blob of {@code /sobjects/{Obj}/{Id}/{Base64Field}}. */
    private Response retrieveByFieldOrBlob(Request request) {
        SObjectDef def = object(request);
        String second = request.param("field");
        String third = request.param("value");
        Optional<FieldDef> blobField = def.field(third).filter(f -> f.type() == FieldType.BASE64);
        if (Ids.normalize(second) != null && blobField.isPresent()) {
            return org.read(o -> {
                Object bytes = record(def, second, false).get(blobField.get());
                if (bytes == null) {
                    throw new OrgException(404, "NOT_FOUND", "The requested resource does not exist");
                }
                return Response.bytes(200, "application/octetstream", (byte[]) bytes);
            });
        }
        FieldDef field = externalIdField(def, second);
        List<FieldDef> fields = RecordJson.fields(def, request.query("fields").orElse(null));
        return org.read(o -> {
            List<RecordView> matches = match(def, field, third);
            if (matches.isEmpty()) {
                throw new OrgException(404, "NOT_FOUND", "The requested resource does not exist");
            }
            if (matches.size() > 1) {
                return multipleChoices(def, matches.stream().map(RecordView::id).toList(), request.dataPrefix());
            }
            return Response.json(200, RecordJson.render(matches.get(0), fields, request.dataPrefix()));
        });
    }

    private static FieldDef externalIdField(SObjectDef def, String name) {
        return def.field(name).filter(f -> f.externalId() || f.idLookup() || f.name().equals("Id"))
                .orElseThrow(() -> new OrgException(404, "NOT_FOUND", "The requested resource does not exist"));
    }

    private List<RecordView> match(SObjectDef def, FieldDef field, String value) {
        Object typed = urlValue(field, value);
        String key = Values.toText(typed);
        return org.records(def, false).stream()
                .filter(v -> {
                    Object stored = v.get(field);
                    return stored != null && (field.caseSensitive() ? Values.toText(stored).equals(key)
                            : Values.toText(stored).equalsIgnoreCase(key));
                })
                .toList();
    }

    /** A value from the URL, typed by its field; one that is not of the field's type is a 400, not a crash. */
    private static Object urlValue(FieldDef field, String text) {
        try {
            return Values.fromText(field, text);
        } catch (IllegalArgumentException e) {
            throw new OrgException(400, "INVALID_FIELD", field.name() + ": value not of required type: " + text,
                    List.of(field.name()));
        }
    }

    private static Response multipleChoices(SObjectDef def, List<String> ids, String prefix) {
        ArrayNode urls = NODES.arrayNode();
        ids.forEach(id -> urls.add(prefix + "/sobjects/" + def.name() + "/" + id));
        return Response.json(300, urls);
    }

    private Response upsert(Request request) {
        SObjectDef def = object(request);
        FieldDef field = def.field(request.param("field")).orElseThrow(() ->
                new OrgException(404, "NOT_FOUND", "The requested resource does not exist"));
        Object value = urlValue(field, request.param("value"));
        Map<String, Object> input = RecordJson.input(def, request.json());
        Object bodyValue = input.get(field.name());
        if (bodyValue != null && !Values.toText(bodyValue).equals(Values.toText(value))) {
            throw new OrgException(400, "INVALID_FIELD", "The value of the External ID field " + field.name()
                    + " in the body does not match the URL", List.of(field.name()));
        }
        boolean updateOnly = request.query("updateOnly").map(Boolean::parseBoolean).orElse(false);
        try {
            Org.UpsertResult result = org.write(context(request), txn -> {
                if (updateOnly && match(def, field, request.param("value")).isEmpty()) {
                    throw new OrgException(404, "NOT_FOUND", "The requested resource does not exist");
                }
                checkRowLock(emulator, null);
                return txn.upsert(def.name(), field.name(), value, input);
            });
            if (result.created()) {
                return Response.json(201, saveResult(result.id(), true));
            }
            // Versions before 46.0 answered 204 here; the emulator serves 50.0 and later.
            return Response.json(200, saveResult(result.id(), false));
        } catch (MultipleMatchesException e) {
            return multipleChoices(def, e.ids(), request.dataPrefix());
        }
    }

    private Response deleteByExternalId(Request request) {
        SObjectDef def = object(request);
        FieldDef field = externalIdField(def, request.param("field"));
        org.write(context(request), txn -> {
            List<RecordView> matches = match(def, field, request.param("value"));
            if (matches.isEmpty()) {
                throw new OrgException(404, "NOT_FOUND", "The requested resource does not exist");
            }
            if (matches.size() > 1) {
                throw new OrgException(300, "MULTIPLE_CHOICES", "More than one record matches "
                        + field.name() + " = " + request.param("value"));
            }
            checkRowLock(emulator, matches.get(0).id());
            txn.delete(matches.get(0).id());
            return null;
        });
        return Response.noContent();
    }

    // getUpdated / getDeleted

    private record Window(Instant start, Instant end) {}

    private Window window(Request request, Duration maxAge) {
        String startText = request.query("start").orElseThrow(() -> new OrgException(400, "MISSING_ARGUMENT",
                "start: Missing required argument start"));
        String endText = request.query("end").orElseThrow(() -> new OrgException(400, "MISSING_ARGUMENT",
                "end: Missing required argument end"));
        Instant start;
        Instant end;
        try {
            start = Values.parseDateTime(startText);
            end = Values.parseDateTime(endText);
        } catch (IllegalArgumentException e) {
            throw new OrgException(400, "INVALID_REPLICATION_DATE", "Invalid date-time: " + e.getMessage());
        }
        Instant now = emulator.clock().instant();
        if (!end.isAfter(start)) {
            throw new OrgException(400, "INVALID_REPLICATION_DATE", "EndDate must chronologically follow the "
                    + "StartDate");
        }
        if (start.isBefore(now.minus(maxAge))) {
            throw new OrgException(400, "INVALID_REPLICATION_DATE", "startDate before org replication enabled date "
                    + "or older than " + maxAge.toDays() + " days");
        }
        // Salesforce reports and covers whole minutes, never the future.
        Instant covered = (end.isAfter(now) ? now : end).truncatedTo(ChronoUnit.MINUTES);
        return new Window(start.truncatedTo(ChronoUnit.MINUTES), covered);
    }

    private Response updated(Request request) {
        SObjectDef def = object(request);
        Window window = window(request, Duration.ofDays(30));
        List<String> ids = org.updatedIds(def, window.start(), window.end());
        if (ids.size() > 600_000) {
            throw new OrgException(400, "EXCEEDED_ID_LIMIT", "Too many ids; use a smaller window");
        }
        ObjectNode body = NODES.objectNode();
        ids.forEach(body.putArray("ids")::add);
        body.put("latestDateCovered", Values.formatDateTime(window.end()));
        return Response.json(200, body);
    }

    private Response deleted(Request request) {
        SObjectDef def = object(request);
        Window window = window(request, Duration.ofDays(15));
        List<Org.DeletedEntry> deleted = org.deleted(def, window.start(), window.end());
        if (deleted.size() > 600_000) {
            throw new OrgException(400, "EXCEEDED_ID_LIMIT", "Too many ids; use a smaller window");
        }
        ObjectNode body = NODES.objectNode();
        ArrayNode records = body.putArray("deletedRecords");
        for (Org.DeletedEntry entry : deleted) {
            records.addObject().put("id", entry.id()).put("deletedDate", Values.formatDateTime(entry.deletedDate()));
        }
        body.put("earliestDateAvailable", Values.formatDateTime(started));
        body.put("latestDateCovered", Values.formatDateTime(window.end()));
        return Response.json(200, body);
    }

    private Response limits(Request request) {
        ObjectNode body = NODES.objectNode();
        long max = emulator.limits().dailyMax();
        long remaining = Math.max(0, max - emulator.limits().used());
        limit(body, "ConcurrentAsyncGetReportInstances", 200, 200);
        limit(body, "ConcurrentSyncReportRuns", 20, 20);
        ObjectNode api = limit(body, "DailyApiRequests", max, remaining);
        api.putObject("Lockstep Emulator").put("Max", 0).put("Remaining", 0);
        limit(body, "DailyAsyncApexExecutions", 250_000, 250_000);
        limit(body, "DailyBulkApiBatches", 15_000, 15_000);
        limit(body, "DailyBulkV2QueryFileStorageMB", 976_562, 976_562);
        limit(body, "DailyBulkV2QueryJobs", 10_000, 10_000);
        limit(body, "DailyDeliveredPlatformEvents", 50_000, 50_000);
        limit(body, "DailyDurableStreamingApiEvents", 1_000_000, 1_000_000);
        limit(body, "DailyStandardVolumePlatformEvents", 10_000, 10_000);
        limit(body, "DataStorageMB", 1_024, 1_024);
        limit(body, "FileStorageMB", 1_024, 1_024);
        limit(body, "HourlyPublishedPlatformEvents", 250_000, 250_000);
        limit(body, "MonthlyPlatformEventsUsageEntitlement", 0, 0);
        return Response.json(200, body);
    }

    private static ObjectNode limit(ObjectNode body, String name, long max, long remaining) {
        ObjectNode limit = body.putObject(name);
        limit.put("Max", max);
        limit.put("Remaining", remaining);
        return limit;
    }
}
