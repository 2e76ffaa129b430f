package dev.lockstep.emulator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.demo.DemoData;
import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.org.RecordException;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.emulator.pubsub.PubSubAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The admin API under {@code /__emulator}: what a test or a demo does to the org that no Salesforce API offers.
 * Script faults, expire sessions, set limits, change fields, undelete, move the clock, load demo data and read
 * counters. It needs no session (it only listens on 127.0.0.1) and is not counted against API limits.
 */
public final class AdminApi {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ADMIN = "/__emulator";

    private final Emulator emulator;

    private AdminApi(Emulator emulator) {
        this.emulator = emulator;
    }

    public static void register(Router router, Emulator emulator) {
        AdminApi api = new AdminApi(emulator);
        router.add("GET", ADMIN + "/status", "admin", Access.OPEN, api::status);
        router.add("GET", ADMIN + "/counters", "admin", Access.OPEN,
                r -> Response.json(200, emulator.counters().snapshot()));
        router.add("DELETE", ADMIN + "/counters", "admin", Access.OPEN, r -> {
            emulator.counters().reset();
            return Response.noContent();
        });
        router.add("GET", ADMIN + "/faults", "admin", Access.OPEN, r -> Response.json(200, api.faults()));
        router.add("POST", ADMIN + "/faults", "admin", Access.OPEN, api::armFault);
        router.add("DELETE", ADMIN + "/faults", "admin", Access.OPEN, r -> {
            emulator.faults().clear();
            return Response.noContent();
        });
        router.add("POST", ADMIN + "/sessions/expire", "admin", Access.OPEN, r ->
                Response.json(200, NODES.objectNode().put("expired", emulator.sessions().expireAll())));
        router.add("PUT", ADMIN + "/limits", "admin", Access.OPEN, api::setLimits);
        router.add("POST", ADMIN + "/schema/{sobject}/fields", "admin", Access.OPEN, api::addField);
        router.add("PATCH", ADMIN + "/schema/{sobject}/fields/{field}", "admin", Access.OPEN, api::changeField);
        router.add("DELETE", ADMIN + "/schema/{sobject}/fields/{field}", "admin", Access.OPEN, api::removeField);
        router.add("POST", ADMIN + "/undelete", "admin", Access.OPEN, api::undelete);
        router.add("POST", ADMIN + "/clock", "admin", Access.OPEN, api::advanceClock);
        router.add("POST", ADMIN + "/demo-data", "admin", Access.OPEN, api::demoData);
        router.add("GET", ADMIN + "/jwt", "admin", Access.OPEN, api::jwt);
        router.add("GET", ADMIN + "/cdc", "admin", Access.OPEN, api::cdcStatus);
        router.add("PUT", ADMIN + "/cdc/retention", "admin", Access.OPEN, api::cdcRetention);
        router.add("PUT", ADMIN + "/cdc/entities", "admin", Access.OPEN, api::cdcEntities);
        router.add("POST", ADMIN + "/cdc/channels", "admin", Access.OPEN, api::cdcChannel);
        router.add("POST", ADMIN + "/cdc/gap", "admin", Access.OPEN, api::cdcGap);
        router.add("POST", ADMIN + "/cdc/overflow", "admin", Access.OPEN, api::cdcOverflow);
        router.add("POST", ADMIN + "/streams/drop", "admin", Access.OPEN, r -> Response.json(200,
                NODES.objectNode().put("dropped", emulator.streams().drop(r.json().path("transport").asText("*")))));
        router.add("POST", ADMIN + "/streams/stall", "admin", Access.OPEN, r -> Response.json(200,
                NODES.objectNode().put("stalled", emulator.streams().stall(r.json().path("transport").asText("*"),
                        Duration.ofMillis(r.json().path("millis").asLong(30_000))))));
        PubSubAdmin.register(router, emulator);
        router.add("POST", ADMIN + "/sessions", "admin", Access.OPEN, r ->
                Response.json(200, NODES.objectNode().put("access_token", emulator.accessToken())
                        .put("instance_url", emulator.baseUri().toString())));
    }

    private Response status(Request request) {
        ObjectNode body = NODES.objectNode();
        body.put("orgId", emulator.org().orgId());
        body.put("instanceUrl", emulator.baseUri().toString());
        body.put("clock", emulator.clock().instant().toString());
        body.put("activeSessions", emulator.sessions().activeSessions());
        body.put("apiRequestsUsed", emulator.limits().used());
        body.put("apiRequestsMax", emulator.limits().dailyMax());
        ObjectNode records = body.putObject("records");
        for (SObjectDef def : emulator.org().schema().objects()) {
            records.put(def.name(), emulator.org().count(def.name(), false));
        }
        body.set("counters", NODES.pojoNode(emulator.counters().snapshot()));
        body.set("faults", faults());
        return Response.json(200, body);
    }

    private ArrayNode faults() {
        ArrayNode list = NODES.arrayNode();
        for (Faults.Fault f : emulator.faults().pending()) {
            list.addObject().put("kind", f.kind()).put("type", f.type().name().toLowerCase(Locale.ROOT))
                    .put("status", f.status()).put("holdMillis", f.hold().toMillis());
        }
        return list;
    }

    /** {@code {"kind":"rest.query","count":2,"type":"status","status":503}}, {@code "type":"timeout","holdMillis":..}
     * or {@code "type":"row_lock"}. */
    private Response armFault(Request request) {
        JsonNode body = request.json();
        String type = body.path("type").asText("status").toLowerCase(Locale.ROOT);
        int count = body.path("count").asInt(1);
        String kind = body.path("kind").asText("*");
        try {
            switch (type) {
                case "status" -> emulator.faults().failWithStatus(kind, count, body.path("status").asInt(503));
                case "timeout" -> emulator.faults().timeOut(kind, count,
                        Duration.ofMillis(body.path("holdMillis").asLong(30_000)));
                case "row_lock" -> emulator.faults().lockRows(count);
                default -> throw new OrgException(400, "INVALID_FIELD", "Unknown fault type '" + type
                        + "': use status, timeout or row_lock", List.of("type"));
            }
        } catch (IllegalArgumentException e) {
            throw new OrgException(400, "INVALID_FIELD", e.getMessage(), List.of("count"));
        }
        return Response.json(201, faults());
    }

    /** {@code {"dailyApiRequests":..,"used":..,"concurrentLongRunning":..,"longRunningThresholdMillis":..}}. */
    private Response setLimits(Request request) {
        JsonNode body = request.json();
        ApiLimits limits = emulator.limits();
        if (body.has("dailyApiRequests")) {
            limits.setDailyMax(body.get("dailyApiRequests").asLong());
        }
        if (body.has("used")) {
            limits.setUsed(body.get("used").asLong());
        }
        if (body.has("concurrentLongRunning") || body.has("longRunningThresholdMillis")) {
            limits.setConcurrentLongRunning(body.path("concurrentLongRunning").asInt(limits.concurrentLongRunningMax()),
                    Duration.ofMillis(body.path("longRunningThresholdMillis").asLong(20_000)));
        }
        return Response.json(200, NODES.objectNode().put("limitInfo", limits.limitInfo()));
    }

    /** A describe-shaped field, as in the fixtures. */
    private Response addField(Request request) {
        emulator.org().addField(request.param("sobject"), request.json());
        return Response.json(201, fieldOf(request.param("sobject"), request.json().path("name").asText()));
    }

    /** {@code {"type":"double","length":0,"precision":18,"scale":2}}. */
    private Response changeField(Request request) {
        JsonNode body = request.json();
        FieldDef current = field(request.param("sobject"), request.param("field"));
        FieldType type;
        try {
            type = body.has("type") ? FieldType.fromApiName(body.get("type").asText()) : current.type();
        } catch (IllegalArgumentException e) {
            throw new OrgException(400, "INVALID_FIELD", e.getMessage(), List.of("type"));
        }
        emulator.org().changeFieldType(request.param("sobject"), current.name(), type,
                body.path("length").asInt(current.length()), body.path("precision").asInt(current.precision()),
                body.path("scale").asInt(current.scale()));
        return Response.json(200, fieldOf(request.param("sobject"), current.name()));
    }

    private Response removeField(Request request) {
        emulator.org().removeField(request.param("sobject"), request.param("field"));
        return Response.noContent();
    }

    private FieldDef field(String object, String field) {
        SObjectDef def = emulator.org().schema().require(object);
        return def.field(field).orElseThrow(() -> new OrgException(404, "NOT_FOUND",
                "No such field " + field + " on " + def.name()));
    }

    private ObjectNode fieldOf(String object, String name) {
        FieldDef f = field(object, name);
        return NODES.objectNode().put("name", f.name()).put("type", f.type().apiName()).put("length", f.length())
                .put("precision", f.precision()).put("scale", f.scale());
    }

    /** {@code {"ids":["001..."]}}: one result per Id, like a collection. */
    private Response undelete(Request request) {
        ArrayNode results = NODES.arrayNode();
        for (JsonNode id : request.json().path("ids")) {
            ObjectNode result = results.addObject().put("id", id.asText());
            try {
                emulator.org().write(WriteContext.system(emulator.adminUserId()), txn -> {
                    txn.undelete(id.asText());
                    return null;
                });
                result.put("success", true);
                result.putArray("errors");
            } catch (RecordException e) {
                result.put("success", false);
                ArrayNode errors = result.putArray("errors");
                e.errors().forEach(err -> errors.addObject().put("statusCode", err.statusCode())
                        .put("message", err.message()));
            }
        }
        return Response.json(200, results);
    }

    /** {@code {"advanceMillis": 3600000}}. */
    private Response advanceClock(Request request) {
        emulator.clock().advance(Duration.ofMillis(request.json().path("advanceMillis").asLong()));
        return Response.json(200, NODES.objectNode().put("clock", emulator.clock().instant().toString()));
    }

    /**
     * The key JWT bearer assertions must be signed with, when the emulator generated it (no {@code --jwt-cert}):
     * {@code {"privateKeyPem": ..., "certificatePem": ...}}; with a configured certificate only the certificate.
     */
    private Response jwt(Request request) {
        ObjectNode body = NODES.objectNode();
        body.put("certificatePem", emulator.oauth().jwtCertificatePem());
        if (emulator.config().jwtCertificate() == null) {
            body.put("privateKeyPem", emulator.oauth().jwtPrivateKeyPem());
        }
        body.put("clientId", emulator.config().clientId());
        body.put("username", emulator.config().username());
        return Response.json(200, body);
    }

    private Response cdcStatus(Request request) {
        ObjectNode body = NODES.objectNode();
        var cdc = emulator.cdc();
        body.put("retentionMillis", cdc.retention().toMillis());
        body.put("latestReplayId", cdc.latestReplayId());
        cdc.earliestReplayId().ifPresent(id -> body.put("earliestReplayId", id));
        body.put("events", cdc.size());
        ArrayNode entities = body.putArray("selectedEntities");
        cdc.selectedEntities().forEach(entities::add);
        ArrayNode channels = body.putArray("channels");
        cdc.channels().forEach(channels::add);
        body.set("delivered", NODES.pojoNode(cdc.deliveredCounts()));
        return Response.json(200, body);
    }

    /** {@code {"hours": 72}} or {@code {"millis": ...}}. */
    private Response cdcRetention(Request request) {
        JsonNode body = request.json();
        Duration retention = body.has("millis") ? Duration.ofMillis(body.get("millis").asLong())
                : Duration.ofHours(body.path("hours").asLong(72));
        emulator.cdc().setRetention(retention);
        return cdcStatus(request);
    }

    /** {@code {"entities": ["Account", "Contact"]}}; an empty list selects every object. */
    private Response cdcEntities(Request request) {
        java.util.Set<String> entities = new java.util.LinkedHashSet<>();
        request.json().path("entities").forEach(e -> entities.add(e.asText()));
        emulator.cdc().select(entities);
        return cdcStatus(request);
    }

    /** {@code {"name": "Sales__chn", "entities": ["Account", "Opportunity"]}}. */
    private Response cdcChannel(Request request) {
        java.util.Set<String> entities = new java.util.LinkedHashSet<>();
        request.json().path("entities").forEach(e -> entities.add(e.asText()));
        try {
            String channel = emulator.cdc().addCustomChannel(request.json().path("name").asText(), entities);
            return Response.json(201, NODES.objectNode().put("channel", channel));
        } catch (IllegalArgumentException e) {
            throw new OrgException(400, "INVALID_FIELD", e.getMessage(), List.of("name"));
        }
    }

    /** {@code {"entity": "Account", "changeType": "GAP_UPDATE", "recordIds": ["001..."]}}. */
    private Response cdcGap(Request request) {
        JsonNode body = request.json();
        List<String> ids = new java.util.ArrayList<>();
        body.path("recordIds").forEach(id -> ids.add(id.asText()));
        try {
            var event = emulator.cdc().injectGap(body.path("entity").asText(), body.path("changeType").asText(), ids);
            return Response.json(201, NODES.objectNode().put("replayId", event.replayId()));
        } catch (IllegalArgumentException e) {
            throw new OrgException(400, "INVALID_FIELD", e.getMessage(), List.of("changeType"));
        }
    }

    /** {@code {"entity": "Account"}}. */
    private Response cdcOverflow(Request request) {
        var event = emulator.cdc().injectOverflow(request.json().path("entity").asText());
        return Response.json(201, NODES.objectNode().put("replayId", event.replayId()));
    }

    /** {@code {"perObject": 100, "seed": 42}}. */
    private Response demoData(Request request) {
        JsonNode body = request.json();
        DemoData.generate(emulator.org(), body.path("perObject").asInt(10), body.path("seed").asLong(42));
        return status(request);
    }
}
