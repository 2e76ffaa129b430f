package dev.lockstep.emulator.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.cdc.EventSchemas;
import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.org.SObjectDef;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The event schemas of change events over REST, for Streaming API clients that read a schema by the id an event
 * carries ({@code data.schema}) or by event name:
 *
 * <ul>
 *   <li>{@code GET /services/data/vXX.X/event/eventSchema/{schemaId}}</li>
 *   <li>{@code GET /services/data/vXX.X/sobjects/{EventName}/eventSchema}, e.g. {@code AccountChangeEvent}</li>
 * </ul>
 *
 * {@code ?payloadFormat=COMPACT} answers the standard Avro schema, the one Pub/Sub's GetSchema serves.
 * {@code EXPANDED}, the default, is Salesforce's JSON description of the whole CometD message: a
 * {@code "type":"expanded-record"} with {@code data} ({@code schema}, {@code payload}, {@code event.replayId}) and
 * {@code channel}; in its payload, dates are strings, as CometD delivers them.
 */
public final class EventSchemaApi {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA = "/services/data/{version}";
    public static final String KIND = "rest.eventschema";

    private final Emulator emulator;

    private EventSchemaApi(Emulator emulator) {
        this.emulator = emulator;
    }

    /**
     * Registers the two resources. Call it before {@link RestApi#register}: the first route matching a path wins,
     * and {@code /sobjects/{sobject}/{id}} would otherwise take {@code /sobjects/AccountChangeEvent/eventSchema}.
     */
    public static void register(Router router, Emulator emulator) {
        EventSchemaApi api = new EventSchemaApi(emulator);
        router.add("GET", DATA + "/event/eventSchema/{schemaId}", KIND, Access.API, api::byId);
        router.add("GET", DATA + "/sobjects/{eventName}/eventSchema", KIND, Access.API, api::byEventName);
    }

    private Response byId(Request request) {
        EventSchemas.EventSchema schema = emulator.cdc().schemas().byId(request.param("schemaId"))
                .orElseThrow(EventSchemaApi::notFound);
        return answer(request, schema);
    }

    private Response byEventName(Request request) {
        String eventName = request.param("eventName");
        for (SObjectDef def : emulator.org().schema().objects()) {
            // sObject names are case-insensitive in REST paths.
            if (EventSchemas.eventName(def.name()).equalsIgnoreCase(eventName)) {
                return answer(request, emulator.cdc().schemaOf(def.name()));
            }
        }
        throw notFound();
    }

    private static OrgException notFound() {
        return new OrgException(404, "NOT_FOUND", "The requested resource does not exist");
    }

    private static Response answer(Request request, EventSchemas.EventSchema schema) {
        String format = request.query("payloadFormat").orElse("EXPANDED").toUpperCase(Locale.ROOT);
        return switch (format) {
            case "COMPACT" -> Response.text(200, Response.JSON_TYPE, schema.json());
            case "EXPANDED" -> Response.json(200, expanded(schema));
            default -> throw new OrgException(400, "INVALID_PARAMETER_VALUE", "Invalid payloadFormat '"
                    + request.query("payloadFormat").orElse("") + "': use EXPANDED or COMPACT", List.of());
        };
    }

    /** Salesforce's expanded form: the CometD message's shape around the schema's fields. */
    static ObjectNode expanded(EventSchemas.EventSchema schema) {
        JsonNode compact;
        try {
            compact = JSON.readTree(schema.json());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ArrayNode payloadFields = NODES.arrayNode();
        for (JsonNode field : compact.path("fields")) {
            ObjectNode copy = field.deepCopy();
            if (isDateKind(field.path("doc").asText(""))) {
                // Date, date-time and time values are epoch-millisecond longs in Avro but strings in CometD JSON.
                copy.set("type", stringsForLongs(copy.get("type")));
            }
            payloadFields.add(copy);
        }
        ObjectNode root = NODES.objectNode();
        root.put("name", schema.eventName());
        root.put("namespace", "com.sforce.eventbus");
        root.put("type", "expanded-record");
        ArrayNode fields = root.putArray("fields");
        ObjectNode dataType = NODES.objectNode().put("type", "record").put("name", "Data").put("namespace", "");
        ArrayNode dataFields = dataType.putArray("fields");
        dataFields.addObject().put("name", "schema").put("type", "string");
        ObjectNode payloadType = NODES.objectNode().put("type", "record").put("name", "Payload").put("doc", "");
        payloadType.set("fields", payloadFields);
        dataFields.addObject().put("name", "payload").set("type", payloadType);
        ObjectNode eventType = NODES.objectNode().put("type", "record").put("name", "Event");
        eventType.putArray("fields").addObject().put("name", "replayId").put("type", "long");
        dataFields.addObject().put("name", "event").set("type", eventType);
        fields.addObject().put("name", "data").set("type", dataType);
        fields.addObject().put("name", "channel").put("type", "string");
        return root;
    }

    private static boolean isDateKind(String doc) {
        String[] parts = doc.split(":");
        return parts.length >= 2 && List.of("DateTime", "DateOnly", "TimeOnly").contains(parts[1]);
    }

    private static JsonNode stringsForLongs(JsonNode type) {
        if (type.isTextual() && type.asText().equals("long")) {
            return TextNode.valueOf("string");
        }
        if (type.isArray()) {
            ArrayNode union = NODES.arrayNode();
            type.forEach(branch -> union.add(stringsForLongs(branch)));
            return union;
        }
        return type;
    }
}
