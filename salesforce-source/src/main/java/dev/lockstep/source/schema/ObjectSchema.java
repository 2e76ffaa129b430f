package dev.lockstep.source.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.common.Envelope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The Connect schemas of one Salesforce object at one version, built from its describe, and the conversion of its
 * records and change events into them (ARCHITECTURE §3).
 *
 * <ul>
 *   <li>Key {@code <topic>.Key}: {@code {Id}}, a required string.</li>
 *   <li>{@code after}, {@code <topic>.Value}: one field per mapped describe field, in describe order, all
 *       optional except {@code Id}. Types: text types and anyType → STRING; boolean → BOOLEAN;
 *       int → INT32; long → INT64; double, percent, currency → FLOAT64, or Decimal at the describe's scale with
 *       {@link SchemaOptions#preciseDecimals()}; date → Date; datetime → Timestamp; time → Time; multipicklist →
 *       {@code ;}-joined STRING or ARRAY&lt;STRING&gt;; base64 → BYTES. Address and geolocation compounds are no
 *       fields: their components (describe lists them as ordinary fields with {@code compoundFieldName}) are.
 *       Every field schema carries {@code salesforce.type} and, when non-zero, {@code salesforce.length},
 *       {@code salesforce.precision}, {@code salesforce.scale}; {@code salesforce.calculated=true} for calculated
 *       fields; Decimals also {@code connect.decimal.precision}.</li>
 *   <li>Envelope {@code <topic>.Envelope}: {@code before} (always null), {@code after}, {@code source}
 *       ({@link SourceInfo#SCHEMA}), {@code op}, {@code ts_ms}, as Debezium's.</li>
 * </ul>
 *
 * <p>Schema names are the topic with every character Avro does not allow in a name replaced by {@code _}, so Avro
 * converters take them ({@code my-sync.Account} → {@code my_sync.Account.Value}). {@code after} and the envelope
 * carry the object version as their schema version.
 *
 * <p>Compounds in change events are nested maps keyed by component names ({@code BillingAddress} →
 * {@code {City, ...}}; {@code Loc__c} → {@code {Latitude, Longitude}}; a person's {@code Name} →
 * {@code {FirstName, ...}}); header field lists name components as {@code BillingAddress.City}. Which describe
 * field a component is comes from the describe: the fields whose {@code compoundFieldName} names the compound,
 * their component name being the field name without the compound's prefix ({@code BillingCity} → {@code City},
 * {@code Loc__Latitude__s} → {@code Latitude}, {@code FirstName} → {@code FirstName}).
 *
 * <p>Values that do not fit their field throw {@link DataException} naming object, record Id, field and value;
 * fields the describe does not know throw {@link UnknownFieldException}. Immutable and thread-safe.
 */
public final class ObjectSchema {

    /** Fields Salesforce never puts in change events, besides formulas (reference §5.2). */
    private static final Set<String> NEVER_IN_EVENTS = Set.of("IsDeleted", "SystemModstamp");

    private static final Set<String> OPS = Set.of(Envelope.OP_READ, Envelope.OP_CREATE, Envelope.OP_UPDATE,
            Envelope.OP_DELETE);

    /** Values longer than this are cut in error messages: a long text area holds up to 131,072 characters. */
    private static final int MAX_VALUE_IN_MESSAGE = 100;

    /** An address, geolocation or person name, and its components. */
    private record Compound(String name, FieldSpec self, List<FieldSpec> components, Map<String, FieldSpec> byKey) {

        /** The component a change event or REST compound names {@code key} (case-insensitive), or null. */
        FieldSpec component(String key) {
            return byKey.get(lower(key));
        }

        /**
         * Whether the compound's own value reaches events: an account's Name is a string for business accounts
         * and a person name for person accounts, but a contact's Name is only ever the nested person name.
         */
        boolean carriedAsValue() {
            return self != null && self.kind() != FieldSpec.Kind.COMPOUND && self.writable();
        }
    }

    private final String object;
    private final String topic;
    private final int version;
    private final Schema keySchema;
    private final Schema afterSchema;
    private final Schema envelopeSchema;
    private final List<FieldSpec> afterFields;
    private final Map<String, Integer> afterIndex;
    private final Map<String, FieldSpec> fieldsByLowerName;
    private final Map<String, Compound> compoundsByLowerName;
    /** The same by describe spelling: records and events use it, so most lookups need no lower-casing. */
    private final Map<String, FieldSpec> fieldsByName;
    private final Map<String, Compound> compoundsByName;
    private final List<String> selectFields;
    private final List<String> fieldsNotInEvents;
    private final List<String> derivedFields;
    private final Set<String> derivedComponents;
    private final List<String> base64Fields;

    private ObjectSchema(JsonNode describe, Predicate<String> fieldFilter, SchemaOptions options, String topic,
            int version) {
        this.object = describe.path("name").asText(null);
        if (object == null || object.isEmpty() || !describe.path("fields").isArray()) {
            throw new IllegalArgumentException("Not an sObject describe: it needs a name and a fields array");
        }
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("The topic of " + object + " is empty");
        }
        if (version < 1) {
            throw new IllegalArgumentException("Schema versions start at 1, not " + version);
        }
        this.topic = topic;
        this.version = version;

        List<FieldSpec> all = new ArrayList<>();
        Map<String, FieldSpec> byLower = new HashMap<>();
        for (JsonNode f : describe.path("fields")) {
            String name = f.path("name").asText("");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("The describe of " + object + " has a field without a name");
            }
            FieldSpec spec = FieldSpec.of(f, options, name.equals(Envelope.ID));
            if (byLower.putIfAbsent(lower(name), spec) != null) {
                throw new IllegalArgumentException("The describe of " + object + " lists " + name + " twice");
            }
            all.add(spec);
        }
        FieldSpec id = byLower.get(lower(Envelope.ID));
        if (id == null || !id.name().equals(Envelope.ID)) {
            throw new IllegalArgumentException("The describe of " + object + " has no Id field");
        }
        this.fieldsByLowerName = Collections.unmodifiableMap(byLower);
        this.compoundsByLowerName = compounds(all, byLower);
        Map<String, FieldSpec> byName = new HashMap<>();
        all.forEach(f -> byName.put(f.name(), f));
        this.fieldsByName = Collections.unmodifiableMap(byName);
        Map<String, Compound> compoundByName = new HashMap<>();
        compoundsByLowerName.values().forEach(c -> compoundByName.put(c.name(), c));
        this.compoundsByName = Collections.unmodifiableMap(compoundByName);

        List<FieldSpec> after = new ArrayList<>();
        for (FieldSpec f : all) {
            if (f.kind() != FieldSpec.Kind.COMPOUND && (f == id || fieldFilter.test(f.name()))) {
                after.add(f);
            }
        }
        this.afterFields = List.copyOf(after);
        Map<String, Integer> index = new HashMap<>();
        List<String> select = new ArrayList<>();
        List<String> notInEvents = new ArrayList<>();
        List<String> base64 = new ArrayList<>();
        for (FieldSpec f : afterFields) {
            index.put(f.name(), select.size());
            select.add(f.name());
            if (f != id && !inEvents(f)) {
                notInEvents.add(f.name());
            }
            if (f.kind() == FieldSpec.Kind.BYTES) {
                base64.add(f.name());
            }
        }
        this.afterIndex = Collections.unmodifiableMap(index);
        this.selectFields = List.copyOf(select);
        this.fieldsNotInEvents = List.copyOf(notInEvents);
        List<String> derived = new ArrayList<>();
        Set<String> components = new HashSet<>();
        for (String name : notInEvents) {
            if (NEVER_IN_EVENTS.contains(name)) {
                continue; // the Postgres-path transform derives these from the event itself
            }
            derived.add(name);
            Compound c = compoundsByLowerName.get(lower(name));
            if (c != null) {
                c.components().forEach(component -> components.add(component.name()));
            }
        }
        this.derivedFields = List.copyOf(derived);
        this.derivedComponents = Collections.unmodifiableSet(components);
        this.base64Fields = List.copyOf(base64);

        String schemaName = avroFullName(topic);
        this.keySchema = SchemaBuilder.struct().name(schemaName + ".Key").field(Envelope.ID, id.schema()).build();
        SchemaBuilder value = SchemaBuilder.struct().name(schemaName + ".Value").version(version).optional();
        for (FieldSpec f : afterFields) {
            value.field(f.name(), f.schema());
        }
        this.afterSchema = value.build();
        this.envelopeSchema = SchemaBuilder.struct().name(schemaName + ".Envelope").version(version)
                .field(Envelope.BEFORE, afterSchema)
                .field(Envelope.AFTER, afterSchema)
                .field(Envelope.SOURCE, SourceInfo.SCHEMA)
                .field(Envelope.OP, Schema.STRING_SCHEMA)
                .field(Envelope.TS_MS, Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    /**
     * The schemas of the object {@code describe} is about.
     *
     * @param describe the JSON of {@code GET /sobjects/{Obj}/describe}
     * @param fieldFilter which describe fields (by describe name) go into {@code after}; {@code Id} always does.
     *     Address and geolocation compounds are never asked about: their components are
     * @param topic the object's topic, {@code <prefix>.<Object>}
     * @param version the object version, from 1, raised by the caller whenever the describe changes
     * @throws IllegalArgumentException when {@code describe} is not an sObject describe with an Id field
     */
    public static ObjectSchema of(JsonNode describe, Predicate<String> fieldFilter, SchemaOptions options,
            String topic, int version) {
        Objects.requireNonNull(describe, "describe");
        Objects.requireNonNull(fieldFilter, "fieldFilter");
        Objects.requireNonNull(options, "options");
        return new ObjectSchema(describe, fieldFilter, options, topic, version);
    }

    /** Compounds by lower-case name: address and geolocation fields, and every field others name as compound. */
    private static Map<String, Compound> compounds(List<FieldSpec> all, Map<String, FieldSpec> byLower) {
        Map<String, List<FieldSpec>> parts = new LinkedHashMap<>();
        for (FieldSpec f : all) {
            if (f.kind() == FieldSpec.Kind.COMPOUND) {
                parts.computeIfAbsent(f.name(), k -> new ArrayList<>());
            }
            if (f.compoundName() != null) {
                FieldSpec self = byLower.get(lower(f.compoundName()));
                parts.computeIfAbsent(self == null ? f.compoundName() : self.name(), k -> new ArrayList<>()).add(f);
            }
        }
        Map<String, Compound> compounds = new HashMap<>();
        parts.forEach((name, components) -> {
            Map<String, FieldSpec> byKey = new HashMap<>();
            for (FieldSpec c : components) {
                byKey.put(lower(componentKey(name, c.name())), c);
            }
            // The field's own name is accepted too, should a source key a component that way.
            for (FieldSpec c : components) {
                byKey.putIfAbsent(lower(c.name()), c);
            }
            compounds.put(lower(name), new Compound(name, byLower.get(lower(name)), List.copyOf(components),
                    Map.copyOf(byKey)));
        });
        return Collections.unmodifiableMap(compounds);
    }

    /**
     * The name of a component inside its compound, as change events key it (reference §5.2): the field name without
     * the compound's prefix and without {@code __s}. {@code BillingAddress}/{@code BillingCity} → {@code City}
     * (a standard address shares the part before {@code Address}; Lead's {@code Address}/{@code City} shares
     * nothing); {@code Loc__c}/{@code Loc__Latitude__s} → {@code Latitude}; {@code Name}/{@code FirstName} →
     * {@code FirstName}.
     */
    static String componentKey(String compound, String component) {
        String part = component.endsWith("__s") ? component.substring(0, component.length() - 3) : component;
        String prefix;
        if (compound.endsWith("__c")) {
            prefix = compound.substring(0, compound.length() - 3) + "__";
        } else if (compound.endsWith("Address")) {
            prefix = compound.substring(0, compound.length() - "Address".length());
        } else {
            prefix = compound;
        }
        return !prefix.isEmpty() && part.length() > prefix.length() && part.startsWith(prefix)
                ? part.substring(prefix.length()) : part;
    }

    /** Whether change events carry a value for this {@code after} field. */
    private boolean inEvents(FieldSpec f) {
        if (NEVER_IN_EVENTS.contains(f.name()) || f.formula()) {
            return false;
        }
        Compound c = compoundsByLowerName.get(lower(f.name()));
        return c == null || c.carriedAsValue();
    }

    /** The topic with each dot-separated part made an Avro name: invalid characters → {@code _}, no leading digit. */
    static String avroFullName(String topic) {
        String[] parts = topic.split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].replaceAll("[^A-Za-z0-9_]", "_");
            parts[i] = p.isEmpty() || Character.isDigit(p.charAt(0)) ? "_" + p : p;
        }
        return String.join(".", parts);
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The field {@code key} names, matched exactly first and then case-insensitively; null when none. */
    private FieldSpec field(String key) {
        FieldSpec f = fieldsByName.get(key);
        return f != null ? f : fieldsByLowerName.get(lower(key));
    }

    /** The compound {@code key} names, as {@link #field}. */
    private Compound compound(String key) {
        Compound c = compoundsByName.get(key);
        return c != null ? c : compoundsByLowerName.get(lower(key));
    }

    /** The sObject API name. */
    public String object() {
        return object;
    }

    public String topic() {
        return topic;
    }

    /** The object version, the schema version of {@link #afterSchema()} and {@link #envelopeSchema()}. */
    public int version() {
        return version;
    }

    /** {@code <topic>.Key}: {@code {Id}}. */
    public Schema keySchema() {
        return keySchema;
    }

    /** {@code <topic>.Value}: the record's mapped fields; optional, as {@code after} is null for deletes. */
    public Schema afterSchema() {
        return afterSchema;
    }

    /** {@code <topic>.Envelope}: {@code before, after, source, op, ts_ms}. */
    public Schema envelopeSchema() {
        return envelopeSchema;
    }

    /** {@link SourceInfo#SCHEMA}, the same for every object. */
    public static Schema sourceSchema() {
        return SourceInfo.SCHEMA;
    }

    /**
     * The describe names of the {@code after} fields, in describe order, for a SOQL {@code SELECT}: components, never
     * an address or geolocation compound itself (Bulk API cannot select one).
     */
    public List<String> selectFields() {
        return selectFields;
    }

    /**
     * Whether {@code after} has fields change events never carry: {@code IsDeleted}, {@code SystemModstamp},
     * formula fields, and a person's {@code Name} (events carry its parts). An event then never gives a complete
     * {@code after}; re-read the record for one.
     */
    public boolean hasFieldsNotInEvents() {
        return !fieldsNotInEvents.isEmpty();
    }

    /**
     * The {@code after} fields whose value Salesforce computes and change events never carry, so only a read gets
     * them: formula fields and compound values such as a Contact's or Lead's {@code Name} (its events carry
     * FirstName, LastName, ... instead). IsDeleted and SystemModstamp are not among them: an event implies them.
     */
    public List<String> derivedFields() {
        return derivedFields;
    }

    /**
     * Whether an update that changed these {@code after} fields (see {@link #afterFieldNames}) changed a derived
     * compound value too, e.g. LastName → Name: then only a read gets the new value.
     */
    public boolean changesDerivedValue(Collection<String> changedAfterFields) {
        for (String field : changedAfterFields) {
            if (derivedComponents.contains(field)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code after} fields change events never carry (see {@link #hasFieldsNotInEvents()}), describe order. */
    public List<String> fieldsNotInEvents() {
        return fieldsNotInEvents;
    }

    /**
     * The base64 fields of {@code after}. A REST record holds only their blob's URL, which
     * {@link #afterFromRecord} refuses: download the blob and put its bytes in the typed record first (Bulk queries
     * cannot select them at all). Change events carry the bytes themselves.
     */
    public List<String> base64Fields() {
        return base64Fields;
    }

    /**
     * The key of a record.
     *
     * @throws DataException when {@code id} is null
     */
    public Struct key(String id) {
        if (id == null) {
            throw new DataException(object + ": a record without an Id has no key");
        }
        return new Struct(keySchema).put(Envelope.ID, id);
    }

    /**
     * {@code after} from a typed REST or Bulk record ({@code FieldValues.record} or Bulk's typed rows; keys in
     * describe spelling, matched case-insensitively). {@code attributes}, parent paths ({@code Owner.Name}) and
     * nested parent objects are ignored, as are fields the filter left out; fields the record lacks are null. An
     * address or geolocation compound's map fills its components, unless the record has the component itself.
     *
     * @throws UnknownFieldException for a field the describe does not know
     * @throws DataException for a record without an Id or a value that does not fit its field
     */
    public Struct afterFromRecord(Map<String, Object> typed) {
        Object id = typed.get(Envelope.ID);
        if (!(id instanceof String)) {
            throw new DataException(object + ": a record without an Id (String) field: "
                    + cut(String.valueOf(typed.keySet())));
        }
        Struct after = new Struct(afterSchema).put(Envelope.ID, id);
        for (Map.Entry<String, Object> e : typed.entrySet()) {
            String key = e.getKey();
            if (key.equals("attributes") || key.indexOf('.') >= 0) {
                continue;
            }
            FieldSpec f = field(key);
            if (f == null) {
                if (e.getValue() instanceof Map) {
                    // A parent relationship (Owner: {...}): it belongs to another object.
                    continue;
                }
                throw new UnknownFieldException(object, key);
            }
            if (f.kind() == FieldSpec.Kind.COMPOUND) {
                putCompound(after, (String) id, compound(f.name()), e.getValue(), typed);
            } else if (!f.name().equals(Envelope.ID)) {
                put(after, (String) id, f, e.getValue());
            }
        }
        return after;
    }

    /**
     * {@code after} from the fields of a change event that carries an {@code Id} field.
     *
     * @throws DataException when the event has no {@code Id}; use {@link #afterFromEvent(String, Map)} with the id
     *     from the header's {@code recordIds}
     * @see #afterFromEvent(String, Map)
     */
    public Struct afterFromEvent(Map<String, Object> eventFields) {
        Object id = eventFields.get(Envelope.ID);
        if (!(id instanceof String s)) {
            throw new DataException(object + ": the change event carries no Id field; take the record id from the "
                    + "header's recordIds");
        }
        return afterFromEvent(s, eventFields);
    }

    /**
     * {@code after} of one record of a change event ({@code ChangeEvent.fields()}): compounds are flattened into
     * their component fields, fields the event does not carry stay null (for an UPDATE they may be unchanged, not
     * null: see {@code changedFields} and {@code nulledFields}), fields the filter left out are ignored. An event
     * may name several records (merged changes); call this once per id. An {@code Id} field in the event is
     * ignored in favour of {@code id}.
     *
     * <p>Fields (and components) the describe does not know throw {@link UnknownFieldException} when they carry a
     * value; sent as null they are ignored, as nothing is lost and Pub/Sub sends every field of its event schema.
     *
     * @param id the record's Id, from the header's {@code recordIds}
     * @throws DataException for a value that does not fit its field
     */
    public Struct afterFromEvent(String id, Map<String, Object> eventFields) {
        if (id == null) {
            throw new DataException(object + ": a change event record without an Id");
        }
        Struct after = new Struct(afterSchema).put(Envelope.ID, id);
        for (Map.Entry<String, Object> e : eventFields.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            FieldSpec f = field(key);
            Compound c = compound(key);
            if (c != null && (value instanceof Map || f == null || f.kind() == FieldSpec.Kind.COMPOUND)) {
                putCompound(after, id, c, value, eventFields);
            } else if (f == null) {
                if (value != null) {
                    throw new UnknownFieldException(object, key);
                }
            } else if (!f.name().equals(Envelope.ID)) {
                put(after, id, f, value);
            }
        }
        return after;
    }

    /**
     * A compound's value: a map of components (REST's {@code street, city, ...}, an event's
     * {@code Street, City, ...}), or for a person name that is also a plain field (Account), its string.
     */
    private void putCompound(Struct after, String id, Compound c, Object value, Map<String, Object> direct) {
        if (value == null) {
            return;
        }
        if (!(value instanceof Map<?, ?> parts)) {
            if (c.self() != null && c.self().kind() != FieldSpec.Kind.COMPOUND) {
                put(after, id, c.self(), value);
                return;
            }
            throw badValue(id, c.name(), "compound", value, "expected a map of its components");
        }
        for (Map.Entry<?, ?> part : parts.entrySet()) {
            String key = String.valueOf(part.getKey());
            FieldSpec component = c.component(key);
            if (component == null) {
                if (part.getValue() != null) {
                    throw new UnknownFieldException(object, c.name() + "." + key);
                }
            } else if (!direct.containsKey(component.name())) {
                put(after, id, component, part.getValue());
            }
        }
    }

    private void put(Struct after, String id, FieldSpec f, Object value) {
        if (!afterIndex.containsKey(f.name())) {
            return;
        }
        Object converted;
        try {
            converted = f.convert(value);
        } catch (FieldSpec.BadValue e) {
            throw badValue(id, f.name(), f.type(), value, e.getMessage());
        }
        try {
            after.put(f.name(), converted);
        } catch (DataException e) {
            throw badValue(id, f.name(), f.type(), value, e.getMessage());
        }
    }

    private DataException badValue(String id, String field, String type, Object value, String reason) {
        String shown = value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value);
        return new DataException(object + " " + id + ": field " + field + " (" + type + ") cannot take the "
                + value.getClass().getSimpleName() + " value \"" + cut(shown) + "\": " + reason);
    }

    private static String cut(String value) {
        return value.length() > MAX_VALUE_IN_MESSAGE ? value.substring(0, MAX_VALUE_IN_MESSAGE) + "..." : value;
    }

    /**
     * The {@code after} fields that header field names ({@code changedFields}, {@code nulledFields}) stand for, in
     * describe order, each once: a plain field for itself, a component ({@code BillingAddress.City}) for its field
     * ({@code BillingCity}), a whole compound ({@code BillingAddress}, as some decoders write "every component")
     * for all its components. Names not in {@code after} (left out by the filter, unknown, not selected) are
     * dropped.
     *
     * <p>A whole {@code Name} of an object whose Name is both a string and a person name (Account with person
     * accounts) stands for Name and its parts, as the header cannot say which changed.
     */
    public List<String> afterFieldNames(Collection<String> headerNames) {
        boolean[] hit = new boolean[afterFields.size()];
        for (String name : headerNames) {
            if (name == null) {
                continue;
            }
            int dot = name.indexOf('.');
            if (dot > 0) {
                Compound c = compoundsByLowerName.get(lower(name.substring(0, dot)));
                FieldSpec component = c == null ? null : c.component(name.substring(dot + 1));
                if (component != null) {
                    mark(hit, component.name());
                }
                continue;
            }
            Compound c = compoundsByLowerName.get(lower(name));
            if (c != null) {
                c.components().forEach(component -> mark(hit, component.name()));
                if (c.carriedAsValue()) {
                    mark(hit, c.self().name());
                }
                continue;
            }
            FieldSpec f = fieldsByLowerName.get(lower(name));
            if (f != null) {
                mark(hit, f.name());
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < hit.length; i++) {
            if (hit[i]) {
                names.add(afterFields.get(i).name());
            }
        }
        return List.copyOf(names);
    }

    private void mark(boolean[] hit, String field) {
        Integer i = afterIndex.get(field);
        if (i != null) {
            hit[i] = true;
        }
    }

    /**
     * A change event's value. {@code before} is always null (Salesforce sends no before-images). A delete has no
     * {@code after}, as in Debezium: the record key carries the Id, and the JDBC sink deletes (or soft-deletes) by
     * key.
     *
     * @param op {@link Envelope#OP_READ}, {@link Envelope#OP_CREATE}, {@link Envelope#OP_UPDATE} or
     *     {@link Envelope#OP_DELETE}
     * @param after of {@link #afterSchema()}; required for r, c and u, null for d
     * @param source of {@link #sourceSchema()}
     * @param tsMs when the connector produced the event
     * @throws IllegalArgumentException for another op, or an {@code after} that does not fit the op
     * @throws DataException for structs of other schemas
     */
    public Struct envelope(String op, Struct after, Struct source, long tsMs) {
        if (!OPS.contains(op)) {
            throw new IllegalArgumentException("op is one of " + OPS + ", not " + op);
        }
        if (op.equals(Envelope.OP_DELETE) != (after == null)) {
            throw new IllegalArgumentException(op.equals(Envelope.OP_DELETE) ? "A delete has no after"
                    : "op " + op + " needs an after");
        }
        if (after != null && !afterSchema.equals(after.schema())) {
            throw new DataException("after of " + after.schema().name() + " v" + after.schema().version()
                    + " is not of " + afterSchema.name() + " v" + version);
        }
        if (source == null || !SourceInfo.SCHEMA.equals(source.schema())) {
            throw new DataException("source must be a " + SourceInfo.SCHEMA_NAME + " struct");
        }
        return new Struct(envelopeSchema)
                .put(Envelope.OP, op)
                .put(Envelope.AFTER, after)
                .put(Envelope.SOURCE, source)
                .put(Envelope.TS_MS, tsMs);
    }

    /** As {@link #envelope(String, Struct, Struct, long)}, with the source block as a {@link SourceInfo}. */
    public Struct envelope(String op, Struct after, SourceInfo source, long tsMs) {
        return envelope(op, after, source.toStruct(), tsMs);
    }

    @Override
    public String toString() {
        return "ObjectSchema[" + object + " v" + version + ", " + afterFields.size() + " fields, topic " + topic + "]";
    }
}
