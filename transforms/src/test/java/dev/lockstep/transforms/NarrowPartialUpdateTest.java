package dev.lockstep.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NarrowPartialUpdateTest {

    private static final Schema KEY_SCHEMA = SchemaBuilder.struct().name("lockstep.Account.Key")
            .field("Id", Schema.STRING_SCHEMA).build();
    private static final Schema AFTER_SCHEMA = SchemaBuilder.struct().name("lockstep.Account.Value").optional()
            .parameter("sf.object", "Account")
            .field("Id", Schema.STRING_SCHEMA)
            .field("Name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("Phone", Schema.OPTIONAL_STRING_SCHEMA)
            .field("Industry", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final Schema SOURCE_SCHEMA = SchemaBuilder.struct().name("dev.lockstep.Source")
            .field("complete", Schema.BOOLEAN_SCHEMA)
            .field("changed_fields", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field("nulled_fields", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .build();
    private static final Schema ENVELOPE_SCHEMA = SchemaBuilder.struct().name("lockstep.Account.Envelope")
            .field("op", Schema.STRING_SCHEMA)
            .field("before", AFTER_SCHEMA)
            .field("after", AFTER_SCHEMA)
            .field("source", SOURCE_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .build();

    private final NarrowPartialUpdate<SourceRecord> transform = new NarrowPartialUpdate<>();

    @BeforeEach
    void configure() {
        transform.configure(Map.of());
    }

    @AfterEach
    void close() {
        transform.close();
    }

    private static Struct key() {
        return new Struct(KEY_SCHEMA).put("Id", "001000000000001AAA");
    }

    private static Struct envelope(String op, boolean complete, List<String> changed, List<String> nulled) {
        Struct after = new Struct(AFTER_SCHEMA).put("Id", "001000000000001AAA").put("Name", "Acme");
        Struct source = new Struct(SOURCE_SCHEMA).put("complete", complete)
                .put("changed_fields", changed).put("nulled_fields", nulled);
        return new Struct(ENVELOPE_SCHEMA).put("op", op).put("after", after).put("source", source).put("ts_ms", 1L);
    }

    private static SourceRecord record(Schema valueSchema, Object value) {
        return new SourceRecord(Map.of(), Map.of(), "lockstep.Account", 0, KEY_SCHEMA, key(), valueSchema, value);
    }

    @Test
    void partialUpdateKeepsOnlyKeyChangedAndNulledFields() {
        SourceRecord out = transform.apply(record(ENVELOPE_SCHEMA,
                envelope("u", false, List.of("Name"), List.of("Phone"))));

        Struct after = ((Struct) out.value()).getStruct("after");
        assertThat(after.schema().fields()).extracting(Field::name).containsExactly("Id", "Name", "Phone");
        assertThat(after.getString("Id")).isEqualTo("001000000000001AAA");
        assertThat(after.getString("Name")).isEqualTo("Acme");
        assertThat(after.getString("Phone")).isNull();
        assertThat(out.valueSchema().field("after").schema().fields()).extracting(Field::name)
                .doesNotContain("Industry");
    }

    @Test
    void narrowedSchemaKeepsNamesParametersAndTheRestOfTheEnvelope() {
        SourceRecord out = transform.apply(record(ENVELOPE_SCHEMA,
                envelope("u", false, List.of("Name"), List.of())));

        Schema afterSchema = out.valueSchema().field("after").schema();
        assertThat(afterSchema.name()).isEqualTo(AFTER_SCHEMA.name());
        assertThat(afterSchema.parameters()).containsEntry("sf.object", "Account");
        assertThat(afterSchema.isOptional()).isTrue();
        assertThat(out.valueSchema().name()).isEqualTo(ENVELOPE_SCHEMA.name());
        Struct value = (Struct) out.value();
        assertThat(value.getString("op")).isEqualTo("u");
        assertThat(value.getInt64("ts_ms")).isEqualTo(1L);
        assertThat(value.getStruct("source").getArray("changed_fields")).containsExactly("Name");
    }

    @Test
    void sameFieldSetReusesOneSchema() {
        SourceRecord first = transform.apply(record(ENVELOPE_SCHEMA, envelope("u", false, List.of("Name"), List.of())));
        SourceRecord second = transform.apply(record(ENVELOPE_SCHEMA, envelope("u", false, List.of("Name"), List.of())));

        assertThat(second.valueSchema()).isSameAs(first.valueSchema());
    }

    @Test
    void keyIsNeverChanged() {
        SourceRecord in = record(ENVELOPE_SCHEMA, envelope("u", false, List.of("Name"), List.of()));
        SourceRecord out = transform.apply(in);

        assertThat(out.keySchema()).isSameAs(KEY_SCHEMA);
        assertThat(out.key()).isEqualTo(in.key());
        assertThat(out.topic()).isEqualTo(in.topic());
    }

    @Test
    void completeUpdatesCreatesAndReadsPassUnchanged() {
        for (SourceRecord in : List.of(
                record(ENVELOPE_SCHEMA, envelope("u", true, List.of("Name"), List.of())),
                record(ENVELOPE_SCHEMA, envelope("c", false, List.of("Name"), List.of())),
                record(ENVELOPE_SCHEMA, envelope("r", true, List.of(), List.of())))) {
            assertThat(transform.apply(in)).isSameAs(in);
        }
    }

    @Test
    void tombstonePassesUnchanged() {
        SourceRecord tombstone = record(null, null);

        assertThat(transform.apply(tombstone)).isSameAs(tombstone);
    }

    @Test
    void changedFieldsOutsideTheMappingAreLeftOut() {
        SourceRecord out = transform.apply(record(ENVELOPE_SCHEMA,
                envelope("u", false, List.of("Name", "NotMapped__c"), List.of())));

        assertThat(((Struct) out.value()).getStruct("after").schema().fields()).extracting(Field::name)
                .containsExactly("Id", "Name");
    }

    @Test
    void schemalessPartialUpdateIsNarrowed() {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("Id", "001000000000001AAA");
        after.put("Name", "Acme");
        after.put("Phone", null);
        after.put("Industry", null);
        Map<String, Object> source = new HashMap<>();
        source.put("complete", false);
        source.put("changed_fields", List.of("Name"));
        source.put("nulled_fields", List.of("Phone"));
        Map<String, Object> value = new HashMap<>();
        value.put("op", "u");
        value.put("after", after);
        value.put("source", source);
        SourceRecord in = new SourceRecord(Map.of(), Map.of(), "lockstep.Account", 0, null,
                Map.of("Id", "001000000000001AAA"), null, value);

        SourceRecord out = transform.apply(in);

        @SuppressWarnings("unchecked")
        Map<String, Object> narrowedAfter = (Map<String, Object>) ((Map<String, Object>) out.value()).get("after");
        assertThat(narrowedAfter).containsOnlyKeys("Id", "Name", "Phone").containsEntry("Name", "Acme");
        assertThat(out.key()).isEqualTo(Map.of("Id", "001000000000001AAA"));
        assertThat(after).containsKey("Industry");
    }

    @Test
    void schemalessCompleteEventPassesUnchanged() {
        Map<String, Object> value = Map.of("op", "u", "after", Map.of("Id", "x"), "source", Map.of("complete", true));
        SourceRecord in = new SourceRecord(Map.of(), Map.of(), "t", 0, null, null, null, value);

        assertThat(transform.apply(in)).isSameAs(in);
    }

    @Test
    void recordThatIsNotAnEnvelopeFailsNamingTheRecord() {
        SourceRecord flat = new SourceRecord(Map.of(), Map.of(), "lockstep.Account", 0, null, "k", null,
                Map.of("Id", "001"));

        assertThatThrownBy(() -> transform.apply(flat)).isInstanceOf(DataException.class)
                .hasMessageContaining("lockstep.Account-0").hasMessageContaining("envelope");
    }

    @Test
    void missingKeyFieldFailsWithTheConfigToFix() {
        transform.configure(Map.of(NarrowPartialUpdate.KEY_FIELDS_CONFIG, "ExternalId__c"));

        assertThatThrownBy(() -> transform.apply(record(ENVELOPE_SCHEMA,
                envelope("u", false, List.of("Name"), List.of()))))
                .isInstanceOf(DataException.class).hasMessageContaining("key.fields");
    }
}
