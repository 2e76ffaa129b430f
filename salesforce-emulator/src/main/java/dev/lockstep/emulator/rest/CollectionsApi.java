package dev.lockstep.emulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.Ids;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.org.RecordError;
import dev.lockstep.emulator.org.RecordException;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.SObjectDef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * sObject Collections ({@code /composite/sobjects}): create, update, upsert, delete and retrieve up to 200 records
 * per request, in order, with one result per record. With {@code allOrNone} a failure rolls every record back
 * (the others report {@code ALL_OR_NONE_OPERATION_ROLLED_BACK}); without it each record stands alone.
 */
final class CollectionsApi {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_RECORDS = 200;
    private static final String PATH = "/services/data/{version}/composite/sobjects";

    private final Emulator emulator;
    private final Org org;

    private CollectionsApi(Emulator emulator) {
        this.emulator = emulator;
        this.org = emulator.org();
    }

    static void register(Router router, Emulator emulator) {
        CollectionsApi api = new CollectionsApi(emulator);
        router.add("POST", PATH, "rest.collections", Access.API, api::create);
        router.add("PATCH", PATH, "rest.collections", Access.API, api::update);
        router.add("DELETE", PATH, "rest.collections", Access.API, api::delete);
        router.add("PATCH", PATH + "/{sobject}/{field}", "rest.collections", Access.API, api::upsert);
        router.add("GET", PATH + "/{sobject}", "rest.collections", Access.API, api::retrieve);
        router.add("POST", PATH + "/{sobject}", "rest.collections", Access.API, api::retrieve);
    }

    /** One record's outcome: saved (with Id and, for upserts, whether it was created) or rejected. */
    private record Outcome(String id, Boolean created, List<RecordError> errors) {}

    /** The work for one record inside the shared transaction; throws RecordException to reject it. */
    @FunctionalInterface
    private interface RecordWork {
        Outcome apply(Org.Txn txn);
    }

    private Response create(Request request) {
        JsonNode body = request.json();
        List<JsonNode> records = records(body);
        List<RecordWork> work = new ArrayList<>();
        for (JsonNode record : records) {
            SObjectDef def = typeOf(record);
            if (record.hasNonNull("id") || record.hasNonNull("Id")) {
                work.add(txn -> {
                    throw new RecordException(RecordError.of("INVALID_FIELD",
                            "cannot specify Id in an insert call", "Id"));
                });
                continue;
            }
            Map<String, Object> input = RecordJson.input(def, record);
            work.add(txn -> {
                RestApi.checkRowLock(emulator, null);
                return new Outcome(txn.create(def.name(), input), null, List.of());
            });
        }
        return Response.json(200, run(request, allOrNone(body), work));
    }

    private Response update(Request request) {
        JsonNode body = request.json();
        List<RecordWork> work = new ArrayList<>();
        for (JsonNode record : records(body)) {
            SObjectDef def = typeOf(record);
            String id = record.hasNonNull("id") ? record.get("id").asText()
                    : record.hasNonNull("Id") ? record.get("Id").asText() : null;
            ObjectNode fields = ((ObjectNode) record).deepCopy();
            fields.remove(List.of("id", "Id"));
            Map<String, Object> input = RecordJson.input(def, fields);
            work.add(txn -> {
                if (id == null) {
                    throw new RecordException(RecordError.of("MISSING_ARGUMENT", "Id not specified in an update call"));
                }
                RestApi.checkRowLock(emulator, id);
                checkType(def, id);
                txn.update(id, input);
                return new Outcome(Ids.normalize(id), null, List.of());
            });
        }
        return Response.json(200, run(request, allOrNone(body), work));
    }

    private Response upsert(Request request) {
        SObjectDef def = org.schema().object(request.param("sobject")).orElseThrow(() ->
                new OrgException(404, "NOT_FOUND", "The requested resource does not exist"));
        FieldDef field = def.field(request.param("field")).orElseThrow(() ->
                new OrgException(404, "NOT_FOUND", "The requested resource does not exist"));
        if (field.name().equals("Id")) {
            throw new OrgException(400, "INVALID_FIELD", "Record IDs cannot be used as the key of a collection "
                    + "upsert; use an External ID field", List.of("Id"));
        }
        JsonNode body = request.json();
        List<RecordWork> work = new ArrayList<>();
        for (JsonNode record : records(body)) {
            SObjectDef recordDef = typeOf(record);
            if (!recordDef.name().equals(def.name())) {
                throw new OrgException(400, "INVALID_TYPE", "All records of an upsert must be of type " + def.name()
                        + ", found " + recordDef.name());
            }
            Map<String, Object> input = RecordJson.input(def, record);
            Object key = input.get(field.name());
            work.add(txn -> {
                if (key == null) {
                    throw new RecordException(RecordError.of("MISSING_ARGUMENT",
                            field.name() + " not specified", field.name()));
                }
                RestApi.checkRowLock(emulator, null);
                Org.UpsertResult result = txn.upsert(def.name(), field.name(), key, input);
                return new Outcome(result.id(), result.created(), List.of());
            });
        }
        return Response.json(200, run(request, allOrNone(body), work));
    }

    private Response delete(Request request) {
        List<String> ids = request.query("ids").map(s -> Arrays.stream(s.split(",")).map(String::trim)
                .filter(x -> !x.isEmpty()).toList()).orElse(List.of());
        if (ids.isEmpty()) {
            throw new OrgException(400, "MISSING_ARGUMENT", "ids: no ids specified");
        }
        if (ids.size() > MAX_RECORDS) {
            throw tooMany();
        }
        boolean allOrNone = request.query("allOrNone").map(Boolean::parseBoolean).orElse(false);
        List<RecordWork> work = new ArrayList<>();
        for (String id : ids) {
            work.add(txn -> {
                String full = Ids.normalize(id);
                if (full == null) {
                    throw new RecordException(RecordError.of("MALFORMED_ID", "malformed id " + id));
                }
                if (org.view(full).filter(RecordView::isDeleted).isPresent()) {
                    throw new RecordException(RecordError.of("ENTITY_IS_DELETED", "entity is deleted"));
                }
                RestApi.checkRowLock(emulator, full);
                txn.delete(full);
                return new Outcome(full, null, List.of());
            });
        }
        return Response.json(200, run(request, allOrNone, work));
    }

    private Response retrieve(Request request) {
        SObjectDef def = org.schema().object(request.param("sobject")).orElseThrow(() ->
                new OrgException(404, "NOT_FOUND", "The requested resource does not exist"));
        List<String> ids;
        String fieldList;
        if (request.method().equals("POST")) {
            JsonNode body = request.json();
            ids = new ArrayList<>();
            body.path("ids").forEach(id -> ids.add(id.asText()));
            List<String> names = new ArrayList<>();
            body.path("fields").forEach(f -> names.add(f.asText()));
            fieldList = String.join(",", names);
        } else {
            ids = request.query("ids").map(s -> Arrays.asList(s.split(","))).orElse(List.of());
            fieldList = request.query("fields").orElse("");
        }
        if (fieldList.isBlank()) {
            throw new OrgException(400, "MISSING_ARGUMENT", "fields: no fields specified");
        }
        if (ids.size() > 2000) {
            throw new OrgException(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot retrieve more than 2000");
        }
        List<FieldDef> fields = RecordJson.fields(def, fieldList);
        return org.read(o -> {
            ArrayNode result = NODES.arrayNode();
            for (String id : ids) {
                String full = Ids.normalize(id.trim());
                Optional<RecordView> view = full == null ? Optional.empty() : org.view(full)
                        .filter(v -> !v.isDeleted() && v.def().name().equals(def.name()));
                result.add(view.isPresent() ? RecordJson.render(view.get(), fields, request.dataPrefix())
                        : NODES.nullNode());
            }
            return Response.json(200, result);
        });
    }

    private void checkType(SObjectDef def, String id) {
        String full = Ids.normalize(id);
        if (full != null && def.keyPrefix() != null && !full.startsWith(def.keyPrefix())) {
            throw new RecordException(RecordError.of("INVALID_CROSS_REFERENCE_KEY",
                    "invalid cross reference id: " + id + " is not a " + def.name()));
        }
    }

    private ArrayNode run(Request request, boolean allOrNone, List<RecordWork> work) {
        List<Outcome> outcomes = org.write(RestApi.context(request), txn -> {
            List<Outcome> results = new ArrayList<>();
            boolean failed = false;
            for (RecordWork item : work) {
                try {
                    results.add(item.apply(txn));
                } catch (RecordException e) {
                    results.add(new Outcome(null, null, e.errors()));
                    failed = true;
                }
            }
            if (failed && allOrNone) {
                txn.rollback();
                List<Outcome> rolledBack = new ArrayList<>();
                for (Outcome outcome : results) {
                    rolledBack.add(outcome.errors().isEmpty() ? new Outcome(null, null, List.of(RecordError.of(
                            "ALL_OR_NONE_OPERATION_ROLLED_BACK", "Record rolled back because not all records were "
                                    + "valid and the request was using AllOrNone header"))) : outcome);
                }
                return rolledBack;
            }
            return results;
        });
        ArrayNode body = NODES.arrayNode();
        for (Outcome outcome : outcomes) {
            ObjectNode result = body.addObject();
            if (outcome.id() != null) {
                result.put("id", outcome.id());
            }
            result.put("success", outcome.errors().isEmpty());
            ArrayNode errors = result.putArray("errors");
            for (RecordError error : outcome.errors()) {
                ObjectNode e = errors.addObject();
                e.put("statusCode", error.statusCode());
                e.put("message", error.message());
                ArrayNode fields = e.putArray("fields");
                error.fields().forEach(fields::add);
            }
            if (outcome.created() != null) {
                result.put("created", outcome.created());
            }
        }
        return body;
    }

    private static boolean allOrNone(JsonNode body) {
        return body.path("allOrNone").asBoolean(false);
    }

    private static List<JsonNode> records(JsonNode body) {
        JsonNode records = body.get("records");
        if (records == null || !records.isArray()) {
            throw new OrgException(400, "JSON_PARSER_ERROR", "Expected 'records', an array of sObjects");
        }
        if (records.size() > MAX_RECORDS) {
            throw tooMany();
        }
        List<JsonNode> list = new ArrayList<>();
        records.forEach(list::add);
        return list;
    }

    private static OrgException tooMany() {
        return new OrgException(400, "EXCEEDED_ID_LIMIT",
                "record limit reached. cannot submit more than " + MAX_RECORDS + " records into this call");
    }

    private SObjectDef typeOf(JsonNode record) {
        String type = record.path("attributes").path("type").asText(null);
        if (type == null) {
            throw new OrgException(400, "INVALID_TYPE", "Must send a concrete entity type.");
        }
        return org.schema().object(type).orElseThrow(() -> new OrgException(400, "INVALID_TYPE",
                "sObject type '" + type + "' is not supported."));
    }

}
