package dev.lockstep.transforms;

import dev.lockstep.common.Envelope;
import dev.lockstep.common.FieldParameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Test fixture: Salesforce change events shaped as ARCHITECTURE §3 describes them (key {@code {Id}}, envelope with
 * {@code op}, {@code after}, {@code source}, {@code ts_ms}), as the sink side reads them, with and without schemas.
 */
final class ChangeEvents {

    static final String TOPIC = "lockstep.Account";
    static final int PARTITION = 3;
    static final String ID = "001000000000001AAA";
    /** 2026-11-21T14:00:00.123Z. */
    static final long COMMIT_MS = 1_795_269_600_123L;
    /** 2026-11-20T09:30:00Z, a SystemModstamp read from Salesforce. */
    static final long MODSTAMP_MS = 1_795_167_000_000L;

    private static final Schema SOURCE_SCHEMA = SchemaBuilder.struct().name("dev.lockstep.salesforce.Source")
            .field(Envelope.Source.CONNECTOR, Schema.STRING_SCHEMA)
            .field(Envelope.Source.OBJECT, Schema.STRING_SCHEMA)
            .field(Envelope.Source.TS_MS, Schema.INT64_SCHEMA)
            .field(Envelope.Source.SNAPSHOT, Schema.OPTIONAL_STRING_SCHEMA)
            .field(Envelope.Source.CHANGE_TYPE, Schema.OPTIONAL_STRING_SCHEMA)
            .field(Envelope.Source.CHANGED_FIELDS, SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field(Envelope.Source.NULLED_FIELDS, SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field(Envelope.Source.COMPLETE, Schema.BOOLEAN_SCHEMA)
            .build();

    private ChangeEvents() {}

    /** A field schema as the source types it: optional, with the Salesforce parameters that are not zero. */
    static Schema field(SchemaBuilder type, String salesforceType, int length, int precision, int scale) {
        type.parameter(FieldParameters.TYPE, salesforceType);
        if (length != 0) {
            type.parameter(FieldParameters.LENGTH, Integer.toString(length));
        }
        if (precision != 0) {
            type.parameter(FieldParameters.PRECISION, Integer.toString(precision));
        }
        if (scale != 0) {
            type.parameter(FieldParameters.SCALE, Integer.toString(scale));
        }
        return type.optional().build();
    }

    static Schema idSchema() {
        return SchemaBuilder.string().parameter(FieldParameters.TYPE, "id")
                .parameter(FieldParameters.LENGTH, "18").build();
    }

    /** Account with Id, Name, Description, IsDeleted, SystemModstamp. */
    static SObject account() {
        return new SObject("Account", TOPIC)
                .field("Name", field(SchemaBuilder.string(), "string", 255, 0, 0))
                .field("Description", field(SchemaBuilder.string(), "textarea", 32000, 0, 0))
                .field("IsDeleted", field(SchemaBuilder.bool(), "boolean", 0, 0, 0))
                .field("SystemModstamp", field(Timestamp.builder(), "datetime", 0, 0, 0));
    }

    /** The schemas of one object. */
    static final class SObject {
        private final String object;
        private final String topic;
        private final List<Field> fields = new ArrayList<>();
        private Schema keySchema;
        private Schema afterSchema;
        private Schema envelopeSchema;

        SObject(String object, String topic) {
            this.object = object;
            this.topic = topic;
            fields.add(new Field(Envelope.ID, 0, idSchema()));
        }

        SObject field(String name, Schema schema) {
            fields.add(new Field(name, fields.size(), schema));
            envelopeSchema = null;
            return this;
        }

        Schema keySchema() {
            build();
            return keySchema;
        }

        Schema afterSchema() {
            build();
            return afterSchema;
        }

        Schema envelopeSchema() {
            build();
            return envelopeSchema;
        }

        private void build() {
            if (envelopeSchema != null) {
                return;
            }
            String name = topic.replace('-', '_');
            keySchema = SchemaBuilder.struct().name(name + ".Key").field(Envelope.ID, idSchema()).build();
            SchemaBuilder after = SchemaBuilder.struct().name(name + ".Value").version(1).optional();
            fields.forEach(f -> after.field(f.name(), f.schema()));
            afterSchema = after.build();
            envelopeSchema = SchemaBuilder.struct().name(name + ".Envelope").version(1)
                    .field(Envelope.BEFORE, afterSchema)
                    .field(Envelope.AFTER, afterSchema)
                    .field(Envelope.SOURCE, SOURCE_SCHEMA)
                    .field(Envelope.OP, Schema.STRING_SCHEMA)
                    .field(Envelope.TS_MS, Schema.OPTIONAL_INT64_SCHEMA)
                    .build();
        }

        /** An event of this object for the record {@link #ID}; {@code after} is empty but for Id, null for d. */
        Event event(String op) {
            return new Event(this, op);
        }
    }

    /** One change event, built up and then turned into a record. */
    static final class Event {
        private final SObject object;
        private final String op;
        private final Map<String, Object> after = new LinkedHashMap<>();
        private String changeType;
        private String snapshot;
        private boolean complete = true;
        private List<String> changed;
        private List<String> nulled;
        private long commitMs = COMMIT_MS;

        private Event(SObject object, String op) {
            this.object = object;
            this.op = op;
            if (!op.equals(Envelope.OP_DELETE)) {
                after.put(Envelope.ID, ID);
            }
            if (op.equals(Envelope.OP_READ)) {
                snapshot = Envelope.Source.SNAPSHOT_TRUE;
            }
        }

        Event put(String field, Object value) {
            after.put(field, value);
            return this;
        }

        Event changeType(String type) {
            changeType = type;
            return this;
        }

        /** A partial update: {@code complete=false} with the changed and nulled fields. */
        Event partial(List<String> changedFields, List<String> nulledFields) {
            complete = false;
            changed = changedFields;
            nulled = nulledFields;
            return this;
        }

        Event commitMs(long millis) {
            commitMs = millis;
            return this;
        }

        /** The record with schemas, as the JDBC sink's task receives it at {@code offset}. */
        SinkRecord record(long offset) {
            Struct source = new Struct(SOURCE_SCHEMA)
                    .put(Envelope.Source.CONNECTOR, Envelope.Source.CONNECTOR_SALESFORCE)
                    .put(Envelope.Source.OBJECT, object.object)
                    .put(Envelope.Source.TS_MS, commitMs)
                    .put(Envelope.Source.SNAPSHOT, snapshot)
                    .put(Envelope.Source.CHANGE_TYPE, changeType)
                    .put(Envelope.Source.CHANGED_FIELDS, changed)
                    .put(Envelope.Source.NULLED_FIELDS, nulled)
                    .put(Envelope.Source.COMPLETE, complete);
            Struct afterStruct = null;
            if (!op.equals(Envelope.OP_DELETE)) {
                afterStruct = new Struct(object.afterSchema());
                for (Map.Entry<String, Object> field : after.entrySet()) {
                    afterStruct.put(field.getKey(), field.getValue());
                }
            }
            Struct envelope = new Struct(object.envelopeSchema()).put(Envelope.OP, op).put(Envelope.AFTER, afterStruct)
                    .put(Envelope.SOURCE, source).put(Envelope.TS_MS, commitMs + 50);
            return new SinkRecord(object.topic, PARTITION, object.keySchema(),
                    new Struct(object.keySchema()).put(Envelope.ID, ID), object.envelopeSchema(), envelope, offset);
        }

        /** The record without schemas, as {@code JsonConverter} with {@code schemas.enable=false} gives it. */
        SinkRecord schemaless(long offset) {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put(Envelope.Source.CONNECTOR, Envelope.Source.CONNECTOR_SALESFORCE);
            source.put(Envelope.Source.OBJECT, object.object);
            source.put(Envelope.Source.TS_MS, commitMs);
            source.put(Envelope.Source.SNAPSHOT, snapshot);
            source.put(Envelope.Source.CHANGE_TYPE, changeType);
            source.put(Envelope.Source.CHANGED_FIELDS, changed);
            source.put(Envelope.Source.NULLED_FIELDS, nulled);
            source.put(Envelope.Source.COMPLETE, complete);
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put(Envelope.OP, op);
            envelope.put(Envelope.BEFORE, null);
            envelope.put(Envelope.AFTER, op.equals(Envelope.OP_DELETE) ? null : new LinkedHashMap<>(after));
            envelope.put(Envelope.SOURCE, source);
            envelope.put(Envelope.TS_MS, commitMs + 50);
            return new SinkRecord(object.topic, PARTITION, null, Map.of(Envelope.ID, ID), null, envelope, offset);
        }
    }

    /** The tombstone after a delete. */
    static SinkRecord tombstone(SObject object, long offset) {
        return new SinkRecord(object.topic, PARTITION, object.keySchema(),
                new Struct(object.keySchema()).put(Envelope.ID, ID), null, null, offset);
    }
}
