package dev.lockstep.transforms;

import static dev.lockstep.transforms.ChangeEvents.ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chain the JDBC sink runs on the Postgres path: {@code transforms=narrow,row,values}. */
class PostgresPathChainTest {

    private final NarrowPartialUpdate<SinkRecord> narrow = new NarrowPartialUpdate<>();
    private final HerokuConnectRow<SinkRecord> row = new HerokuConnectRow<>();
    private final PostgresValues<SinkRecord> values = new PostgresValues<>();
    private final ChangeEvents.SObject account = ChangeEvents.account();

    @BeforeEach
    void configure() {
        narrow.configure(Map.of());
        row.configure(Map.of());
        values.configure(Map.of(PostgresValues.SCHEMA_STYLE_CONFIG, "native"));
    }

    @AfterEach
    void close() {
        narrow.close();
        row.close();
        values.close();
    }

    private SinkRecord chain(SinkRecord record) {
        SinkRecord out = narrow.apply(record);
        out = out == null ? null : row.apply(out);
        return out == null ? null : values.apply(out);
    }

    @Test
    void partialUpdateWritesOnlySfidTheChangedFieldsSystemModstampAndLastOp() {
        SinkRecord out = chain(account.event("u").changeType("UPDATE").put("Name", "Acme 2")
                .partial(List.of("Name"), List.of("Description")).record(42));

        assertThat(out.topic()).isEqualTo("account");
        assertThat(out.valueSchema().fields()).extracting(Field::name)
                .containsExactly("sfid", "name", "description", "systemmodstamp", "_hc_lastop");
        Struct value = (Struct) out.value();
        assertThat(value.getString("sfid")).isEqualTo(ID);
        assertThat(value.getString("name")).isEqualTo("Acme 2");
        assertThat(value.get("description")).isNull();
        assertThat(value.getString("systemmodstamp")).isEqualTo("2026-11-21T14:00:00.123Z");
        assertThat(value.getString("_hc_lastop")).isEqualTo("UPDATED");
        assertThat(out.valueSchema().field("systemmodstamp").schema().name())
                .isEqualTo("io.debezium.time.ZonedTimestamp");
        assertThat(out.valueSchema().field("name").schema().parameters())
                .containsEntry("__debezium.source.column.length", "255");
        assertThat(((Struct) out.key()).getString("sfid")).isEqualTo(ID);
        assertThat(out.kafkaOffset()).isEqualTo(42);
    }

    @Test
    void schemalessPartialUpdateWritesOnlySfidTheChangedFieldsSystemModstampAndLastOp() {
        SinkRecord out = chain(account.event("u").changeType("UPDATE").put("Name", "Acme 2").put("Phone", null)
                .put("Description", null).partial(List.of("Name"), List.of("Description")).schemaless(42));

        assertThat(out.key()).isEqualTo(Map.of("sfid", ID));
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) out.value();
        assertThat(value).containsOnlyKeys("sfid", "name", "description", "systemmodstamp", "_hc_lastop")
                .containsEntry("name", "Acme 2").containsEntry("systemmodstamp", "2026-11-21T14:00:00.123Z");
    }

    @Test
    void valueThatDoesNotFitFailsNamingTheRecordAsItWasRead() {
        ChangeEvents.SObject narrowAccount = new ChangeEvents.SObject("Account", ChangeEvents.TOPIC)
                .field("Name", ChangeEvents.field(SchemaBuilder.string(), "string", 10, 0, 0));

        assertThatThrownBy(() -> chain(narrowAccount.event("c").put("Name", "Acme Corporation").record(42)))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("field name (Salesforce type string) of the record at lockstep.Account-3 "
                        + "offset 42 (Salesforce Id " + ID + ") to a varchar(10) column: the String value "
                        + "\"Acme Corporation\" is 16 characters long");
    }

    @Test
    void deleteAndItsTombstoneBecomeOneSoftDelete() {
        SinkRecord delete = chain(account.event("d").changeType("DELETE").record(42));
        SinkRecord tombstone = chain(ChangeEvents.tombstone(account, 43));

        assertThat(((Struct) delete.value()).getBoolean("isdeleted")).isTrue();
        assertThat(tombstone).isNull();
    }
}
