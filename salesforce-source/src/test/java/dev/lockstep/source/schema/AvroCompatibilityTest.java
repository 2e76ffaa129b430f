package dev.lockstep.source.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

/**
 * Every schema the source emits must survive an Avro converter (ARCHITECTURE §5). No Connect→Avro converter
 * (Confluent's or Apicurio's) is available to this build, so this test follows the rules they share: structs
 * become records named by the schema name (namespace up to the last dot), optional fields {@code ["null", T]}
 * with a null default, Decimal → bytes/decimal, Date → int/date, Time → int/time-millis, Timestamp →
 * long/timestamp-millis, one record per name. Avro's own parser then checks names and structure.
 */
class AvroCompatibilityTest {

    @Test
    void everyEmittedSchemaOfEveryDefaultOrgObjectIsAValidAvroSchema() {
        List<String> objects = Describes.objects();
        assertThat(objects).hasSize(14);
        for (String object : objects) {
            for (SchemaOptions options : List.of(new SchemaOptions(false, false), new SchemaOptions(true, true))) {
                ObjectSchema schema = ObjectSchema.of(Describes.of(object), f -> true, options,
                        "lockstep-dev." + object, 1);
                for (Schema connect : List.of(schema.keySchema(), schema.envelopeSchema())) {
                    org.apache.avro.Schema avro = new Converter().convert(connect);
                    org.apache.avro.Schema parsed = new org.apache.avro.Schema.Parser().parse(avro.toString());
                    assertThat(parsed).as("%s %s %s", object, options, connect.name()).isEqualTo(avro);
                }
            }
        }
    }

    @Test
    void theEnvelopeHasDebeziumsAvroShape() {
        ObjectSchema schema = ObjectSchema.of(Describes.of("Sync_Sample__c"), f -> true, new SchemaOptions(true, true),
                "lockstep.Sync_Sample__c", 1);

        org.apache.avro.Schema envelope = new Converter().convert(schema.envelopeSchema());

        assertThat(envelope.getFullName()).isEqualTo("lockstep.Sync_Sample__c.Envelope");
        assertThat(envelope.getField("after").schema().getTypes().get(1).getFullName())
                .isEqualTo("lockstep.Sync_Sample__c.Value");
        org.apache.avro.Schema after = envelope.getField("after").schema().getTypes().get(1);
        assertThat(after.getField("Amount__c").schema().getTypes().get(1).getLogicalType())
                .isEqualTo(LogicalTypes.decimal(16, 2));
        assertThat(after.getField("Due_Date__c").schema().getTypes().get(1).getLogicalType())
                .isEqualTo(LogicalTypes.date());
        assertThat(envelope.getField("source").schema().getFullName()).isEqualTo("dev.lockstep.salesforce.Source");
    }

    /** Connect → Avro schemas, in the manner of the Confluent and Apicurio converters. */
    private static final class Converter {

        private final Map<Schema, org.apache.avro.Schema> records = new HashMap<>();

        org.apache.avro.Schema convert(Schema schema) {
            org.apache.avro.Schema avro = nonNull(schema);
            return schema.isOptional() ? optional(avro) : avro;
        }

        private static org.apache.avro.Schema optional(org.apache.avro.Schema avro) {
            return org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL),
                    avro);
        }

        private org.apache.avro.Schema nonNull(Schema schema) {
            if (Decimal.LOGICAL_NAME.equals(schema.name())) {
                int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                String precision = schema.parameters().get("connect.decimal.precision");
                return LogicalTypes.decimal(precision == null ? 64 : Integer.parseInt(precision), scale)
                        .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES));
            }
            if (Date.LOGICAL_NAME.equals(schema.name())) {
                return LogicalTypes.date().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
            }
            if (Time.LOGICAL_NAME.equals(schema.name())) {
                return LogicalTypes.timeMillis()
                        .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
            }
            if (Timestamp.LOGICAL_NAME.equals(schema.name())) {
                return LogicalTypes.timestampMillis()
                        .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
            }
            org.apache.avro.Schema avro;
            switch (schema.type()) {
                case BOOLEAN:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
                    break;
                case INT8:
                case INT16:
                case INT32:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
                    break;
                case INT64:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
                    break;
                case FLOAT32:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
                    break;
                case FLOAT64:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
                    break;
                case STRING:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
                    break;
                case BYTES:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
                    break;
                case ARRAY:
                    avro = org.apache.avro.Schema.createArray(convert(schema.valueSchema()));
                    break;
                case STRUCT:
                    return record(schema);
                default:
                    throw new IllegalArgumentException("Not emitted by the source: " + schema.type());
            }
            if (schema.parameters() != null && !schema.parameters().isEmpty()) {
                avro.addProp("connect.parameters", schema.parameters());
            }
            return avro;
        }

        private org.apache.avro.Schema record(Schema schema) {
            org.apache.avro.Schema known = records.get(schema);
            if (known != null) {
                return known;
            }
            String fullName = schema.name() == null ? "ConnectDefault" : schema.name();
            int dot = fullName.lastIndexOf('.');
            org.apache.avro.Schema record = org.apache.avro.Schema.createRecord(fullName.substring(dot + 1), null,
                    dot < 0 ? null : fullName.substring(0, dot), false);
            records.put(schema, record);
            List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
            for (Field f : schema.fields()) {
                fields.add(new org.apache.avro.Schema.Field(f.name(), convert(f.schema()), null,
                        f.schema().isOptional() ? JsonProperties.NULL_VALUE : null));
            }
            record.setFields(fields);
            if (schema.version() != null) {
                record.addProp("connect.version", schema.version());
            }
            return record;
        }
    }
}
