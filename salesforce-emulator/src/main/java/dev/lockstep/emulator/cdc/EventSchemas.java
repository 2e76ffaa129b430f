package dev.lockstep.emulator.cdc;

import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.SObjectDef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;

/**
 * The Avro schema of each entity's change events, rebuilt when the entity's fields change, with a 22-character
 * schema id (base64url of the first 16 bytes of the SHA-256 of the schema JSON), so a changed field yields a new
 * id. Layout (reference §6.5): a record named after the event in namespace {@code com.sforce.eventbus};
 * {@code ChangeEventHeader} first; then one {@code ["null", T]} field per object field, except {@code IsDeleted},
 * {@code SystemModstamp} and formula fields; address, geolocation and person-name compounds as nested records
 * holding their components; dates, date-times and times as {@code long} milliseconds.
 */
public final class EventSchemas {

    /** One entity's event schema: the Avro schema, its id, and how object fields map onto it. */
    public record EventSchema(String id, String eventName, Schema avro, int revision,
            Map<String, String> fieldToEventPath, String[] dataFieldNames, Map<String, Integer> dataIndexes) {

        /** The event field, or compound component as {@code BillingAddress.City}, an object field appears as. */
        public Optional<String> eventPath(String objectField) {
            return Optional.ofNullable(fieldToEventPath.get(objectField));
        }

        public String json() {
            return avro.toString();
        }

        /** The position of a top-level data field (0 = first after the header), or -1. */
        public int dataIndex(String name) {
            Integer index = dataIndexes.get(name);
            return index == null ? -1 : index;
        }
    }

    static final Schema HEADER = header();

    private final Map<String, EventSchema> byEntityRevision = new ConcurrentHashMap<>();
    private final Map<String, EventSchema> byId = new ConcurrentHashMap<>();

    /** The event name of an entity: {@code AccountChangeEvent}, {@code Employee__c} → {@code Employee__ChangeEvent}. */
    public static String eventName(String entity) {
        return entity.endsWith("__c") ? entity.substring(0, entity.length() - 3) + "__ChangeEvent"
                : entity + "ChangeEvent";
    }

    /** The schema of {@code def} at its current revision, built once. */
    public EventSchema of(SObjectDef def) {
        return byEntityRevision.computeIfAbsent(def.name() + "#" + def.revision(), k -> {
            EventSchema schema = build(def);
            byId.putIfAbsent(schema.id(), schema);
            return schema;
        });
    }

    /** A schema by id, as GetSchema and the eventSchema REST resource look it up. */
    public Optional<EventSchema> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    private static EventSchema build(SObjectDef def) {
        String eventName = eventName(def.name());
        List<Schema.Field> fields = new ArrayList<>();
        Map<String, String> paths = new LinkedHashMap<>();
        fields.add(new Schema.Field("ChangeEventHeader", HEADER, "Data:ChangeEventHeader", (Object) null));
        Map<String, Schema> sharedRecords = new LinkedHashMap<>();
        for (FieldDef field : def.fields()) {
            if (excluded(field) || folded(def, field)) {
                continue;
            }
            if (isCompound(def, field)) {
                List<FieldDef> parts = components(def, field);
                List<Schema.Field> nested = new ArrayList<>();
                for (FieldDef part : parts) {
                    String key = RecordView.componentName(field.name(), part.name());
                    nested.add(optional(key, primitive(part), doc(part)));
                    paths.put(part.name(), field.name() + "." + key);
                }
                String recordName = recordName(field);
                Schema record = Schema.createRecord(recordName, null, "com.sforce.eventbus", false, nested);
                Schema existing = sharedRecords.get(recordName);
                if (existing != null && !existing.getFields().toString().equals(record.getFields().toString())) {
                    record = Schema.createRecord(field.name() + "_" + recordName, null, "com.sforce.eventbus", false,
                            nested);
                } else if (existing != null) {
                    record = existing;
                }
                sharedRecords.putIfAbsent(record.getName(), record);
                fields.add(new Schema.Field(field.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), record),
                        "Data:" + recordName, JsonProperties.NULL_VALUE));
                continue;
            }
            fields.add(optional(field.name(), primitive(field), doc(field)));
            paths.put(field.name(), field.name());
        }
        Schema avro = Schema.createRecord(eventName, null, "com.sforce.eventbus", false, fields);
        String[] dataFields = fields.stream().skip(1).map(Schema.Field::name).toArray(String[]::new);
        Map<String, Integer> indexes = new java.util.HashMap<>();
        for (int i = 0; i < dataFields.length; i++) {
            indexes.put(dataFields[i], i);
        }
        return new EventSchema(fingerprint(avro.toString()), eventName, avro, def.revision(), Map.copyOf(paths),
                dataFields, Map.copyOf(indexes));
    }

    private static Schema.Field optional(String name, Schema type, String doc) {
        return new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL), type), doc,
                JsonProperties.NULL_VALUE);
    }

    /** Not part of change events: the delete flag, the modstamp and values computed from other data. */
    static boolean excluded(FieldDef field) {
        return field.name().equals("IsDeleted") || field.name().equals("SystemModstamp")
                || (field.calculated() && field.calculatedFormula() != null);
    }

    /** A compound with a nested event record: address, geolocation, or a person name. */
    static boolean isCompound(SObjectDef def, FieldDef field) {
        return field.type().isCompound() || (field.name().equals("Name") && personName(def));
    }

    /** Contact, Lead and User compose Name from FirstName and LastName; Account's Name is a plain string. */
    static boolean personName(SObjectDef def) {
        return def.field("Name").map(n -> !n.createable()).orElse(false) && def.hasField("LastName")
                && def.field("LastName").map(l -> "Name".equals(l.compoundFieldName())).orElse(false);
    }

    /** A component that lives inside its compound's nested record rather than at the top level. */
    static boolean folded(SObjectDef def, FieldDef field) {
        String compound = field.compoundFieldName();
        if (compound == null || compound.equals(field.name())) {
            return false;
        }
        return def.field(compound).map(c -> isCompound(def, c)).orElse(false);
    }

    /** Salesforce's order of person-name parts, whatever order describe lists them in. */
    private static final List<String> PERSON_NAME_ORDER =
            List.of("Salutation", "FirstName", "MiddleName", "LastName", "Suffix", "InformalName");

    private static List<FieldDef> components(SObjectDef def, FieldDef compound) {
        List<FieldDef> parts = new ArrayList<>();
        for (FieldDef f : def.fields()) {
            if (compound.name().equals(f.compoundFieldName()) && !f.name().equals(compound.name())) {
                parts.add(f);
            }
        }
        if (!compound.type().isCompound()) {
            parts.sort(java.util.Comparator.comparingInt(f -> {
                int i = PERSON_NAME_ORDER.indexOf(f.name());
                return i < 0 ? PERSON_NAME_ORDER.size() : i;
            }));
        }
        return parts;
    }

    private static String recordName(FieldDef compound) {
        if (compound.type() == FieldType.ADDRESS) {
            return "Address";
        }
        if (compound.type() == FieldType.LOCATION) {
            return "Location";
        }
        return "PersonName";
    }

    static Schema primitive(FieldDef field) {
        return switch (field.type()) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case INT -> Schema.create(Schema.Type.INT);
            case DOUBLE, CURRENCY, PERCENT -> Schema.create(Schema.Type.DOUBLE);
            case DATE, DATETIME, TIME -> Schema.create(Schema.Type.LONG);
            case BASE64 -> Schema.create(Schema.Type.BYTES);
            default -> Schema.create(Schema.Type.STRING);
        };
    }

    /** The {@code doc} attribute: the Salesforce kind of the field, as Salesforce's own schemas write it. */
    static String doc(FieldDef field) {
        String name = field.name();
        if (name.equals("CreatedDate")) {
            return "CreatedDate:DateTime";
        }
        if (name.equals("CreatedById")) {
            return "CreatedBy:EntityId";
        }
        return switch (field.type()) {
            case REFERENCE, ID -> "ForeignKey:EntityId";
            case BOOLEAN -> "Data:Boolean";
            case INT -> "Data:Integer";
            case DOUBLE -> "Data:Double";
            case CURRENCY -> "Data:Currency";
            case PERCENT -> "Data:Percent";
            case DATE -> "Data:DateOnly";
            case DATETIME -> "Data:DateTime";
            case TIME -> "Data:TimeOnly";
            case PICKLIST -> field.restrictedPicklist() ? "Data:StaticEnum" : "Data:DynamicEnum";
            case MULTIPICKLIST -> "Data:MultiEnum";
            case TEXTAREA -> field.length() > 255 ? "Data:StringPlusClob" : "Data:Text";
            case BASE64 -> "Data:Base64";
            case ENCRYPTEDSTRING -> "Data:EncryptedText";
            default -> "Data:Text";
        };
    }

    private static Schema header() {
        List<Schema.Field> fields = new ArrayList<>();
        fields.add(new Schema.Field("entityName", Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field("recordIds", Schema.createArray(Schema.create(Schema.Type.STRING))));
        fields.add(new Schema.Field("changeType", Schema.createEnum("ChangeType", null, "com.sforce.eventbus",
                List.of("CREATE", "UPDATE", "DELETE", "UNDELETE", "GAP_CREATE", "GAP_UPDATE", "GAP_DELETE",
                        "GAP_UNDELETE", "GAP_OVERFLOW", "SNAPSHOT"))));
        fields.add(new Schema.Field("changeOrigin", Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field("transactionKey", Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field("sequenceNumber", Schema.create(Schema.Type.INT)));
        fields.add(new Schema.Field("commitTimestamp", Schema.create(Schema.Type.LONG)));
        fields.add(new Schema.Field("commitNumber", Schema.create(Schema.Type.LONG)));
        fields.add(new Schema.Field("commitUser", Schema.create(Schema.Type.STRING)));
        fields.add(new Schema.Field("nulledFields", Schema.createArray(Schema.create(Schema.Type.STRING))));
        fields.add(new Schema.Field("diffFields", Schema.createArray(Schema.create(Schema.Type.STRING))));
        fields.add(new Schema.Field("changedFields", Schema.createArray(Schema.create(Schema.Type.STRING))));
        return Schema.createRecord("ChangeEventHeader", null, "com.sforce.eventbus", false, fields);
    }

    static String fingerprint(String json) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }

}
