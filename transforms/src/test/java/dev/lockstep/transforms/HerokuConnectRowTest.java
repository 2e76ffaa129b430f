package dev.lockstep.transforms;

import static dev.lockstep.transforms.ChangeEvents.COMMIT_MS;
import static dev.lockstep.transforms.ChangeEvents.ID;
import static dev.lockstep.transforms.ChangeEvents.MODSTAMP_MS;
import static dev.lockstep.transforms.ChangeEvents.PARTITION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.common.FieldParameters;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HerokuConnectRowTest {

    private final HerokuConnectRow<SinkRecord> transform = new HerokuConnectRow<>();
    private final ChangeEvents.SObject account = ChangeEvents.account();

    private HerokuConnectRow<SinkRecord> configured(String... keyValues) {
        Map<String, String> config = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put(keyValues[i], keyValues[i + 1]);
        }
        transform.configure(config);
        return transform;
    }

    @AfterEach
    void close() {
        transform.close();
    }

    private static List<String> fieldNames(Schema schema) {
        return schema.fields().stream().map(Field::name).toList();
    }

    @Test
    void snapshotReadBecomesAnInsertedRowKeyedBySfidOnTheTableTopic() {
        SinkRecord out = configured().apply(account.event("r").put("Name", "Acme").put("Description", "Big")
                .put("IsDeleted", false).put("SystemModstamp", new Date(MODSTAMP_MS)).record(7));

        assertThat(out.topic()).isEqualTo("account");
        assertThat(out.kafkaPartition()).isEqualTo(PARTITION);
        assertThat(fieldNames(out.keySchema())).containsExactly("sfid");
        assertThat(((Struct) out.key()).getString("sfid")).isEqualTo(ID);
        Struct row = (Struct) out.value();
        assertThat(fieldNames(out.valueSchema()))
                .containsExactly("sfid", "name", "description", "isdeleted", "systemmodstamp", "_hc_lastop");
        assertThat(row.getString("sfid")).isEqualTo(ID);
        assertThat(row.getString("name")).isEqualTo("Acme");
        assertThat(row.getString("description")).isEqualTo("Big");
        assertThat(row.getBoolean("isdeleted")).isFalse();
        assertThat(row.get("systemmodstamp")).isEqualTo(new Date(MODSTAMP_MS));
        assertThat(row.getString("_hc_lastop")).isEqualTo("INSERTED");
    }

    @Test
    void snapshotReadWithoutSystemModstampIsNotStampedWithTheReadTime() {
        SinkRecord out = configured().apply(account.event("r").put("Name", "Acme").record(7));

        Struct row = (Struct) out.value();
        assertThat(row.get("systemmodstamp")).isNull();
        assertThat(row.getBoolean("isdeleted")).isFalse();
    }

    @Test
    void createIsALiveInsertedRowStampedWithTheCommitTime() {
        SinkRecord out = configured().apply(account.event("c").changeType("CREATE").put("Name", "Acme").record(8));

        Struct row = (Struct) out.value();
        assertThat(row.getBoolean("isdeleted")).isFalse();
        assertThat(row.get("systemmodstamp")).isEqualTo(new Date(COMMIT_MS));
        assertThat(row.getString("_hc_lastop")).isEqualTo("INSERTED");
    }

    @Test
    void undeleteIsACreateThatMakesTheRowLiveAgain() {
        SinkRecord out = configured().apply(account.event("c").changeType("UNDELETE").put("Name", "Acme").record(9));

        Struct row = (Struct) out.value();
        assertThat(row.getBoolean("isdeleted")).isFalse();
        assertThat(row.get("systemmodstamp")).isEqualTo(new Date(COMMIT_MS));
        assertThat(row.getString("_hc_lastop")).isEqualTo("INSERTED");
        assertThat(((Struct) out.key()).getString("sfid")).isEqualTo(ID);
    }

    @Test
    void completeUpdateIsAnUpdatedRowKeepingItsOwnValues() {
        SinkRecord out = configured().apply(account.event("u").changeType("UPDATE").put("Name", "Acme 2")
                .put("IsDeleted", false).put("SystemModstamp", new Date(MODSTAMP_MS)).record(10));

        Struct row = (Struct) out.value();
        assertThat(row.getString("name")).isEqualTo("Acme 2");
        assertThat(row.get("systemmodstamp")).isEqualTo(new Date(MODSTAMP_MS));
        assertThat(row.getString("_hc_lastop")).isEqualTo("UPDATED");
    }

    @Test
    void updateWithoutSystemModstampValueIsStampedAndANullIsDeletedStaysNull() {
        SinkRecord out = configured().apply(account.event("u").changeType("UPDATE").put("Name", "Acme 2").record(10));

        Struct row = (Struct) out.value();
        assertThat(row.get("systemmodstamp")).isEqualTo(new Date(COMMIT_MS));
        assertThat(row.get("isdeleted")).isNull();
    }

    @Test
    void narrowedPartialUpdateGetsAnAddedSystemModstampColumn() {
        NarrowPartialUpdate<SinkRecord> narrow = new NarrowPartialUpdate<>();
        narrow.configure(Map.of());
        SinkRecord narrowed = narrow.apply(account.event("u").changeType("UPDATE").put("Name", "Acme 2")
                .partial(List.of("Name"), List.of("Description")).record(11));

        SinkRecord out = configured().apply(narrowed);

        assertThat(fieldNames(out.valueSchema()))
                .containsExactly("sfid", "name", "description", "systemmodstamp", "_hc_lastop");
        Schema stamp = out.valueSchema().field("systemmodstamp").schema();
        assertThat(stamp.name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(stamp.isOptional()).isTrue();
        assertThat(stamp.parameters()).containsEntry(FieldParameters.TYPE, "datetime");
        Struct row = (Struct) out.value();
        assertThat(row.get("systemmodstamp")).isEqualTo(new Date(COMMIT_MS));
        assertThat(row.get("description")).isNull();
        assertThat(row.getString("_hc_lastop")).isEqualTo("UPDATED");
    }

    @Test
    void softDeleteMarksTheRowDeletedAtTheCommitTime() {
        SinkRecord out = configured().apply(account.event("d").changeType("DELETE").record(12));

        assertThat(out.topic()).isEqualTo("account");
        assertThat(((Struct) out.key()).getString("sfid")).isEqualTo(ID);
        assertThat(fieldNames(out.valueSchema())).containsExactly("sfid", "isdeleted", "systemmodstamp", "_hc_lastop");
        Struct row = (Struct) out.value();
        assertThat(row.getString("sfid")).isEqualTo(ID);
        assertThat(row.getBoolean("isdeleted")).isTrue();
        assertThat(row.get("systemmodstamp")).isEqualTo(new Date(COMMIT_MS));
        assertThat(row.getString("_hc_lastop")).isEqualTo("UPDATED");
        assertThat(out.valueSchema().field("isdeleted").schema().parameters())
                .containsEntry(FieldParameters.TYPE, "boolean");
    }

    @Test
    void hardDeleteIsTheKeyWithANullValue() {
        SinkRecord out = configured(HerokuConnectRow.DELETE_MODE_CONFIG, "hard")
                .apply(account.event("d").changeType("DELETE").record(12));

        assertThat(out.topic()).isEqualTo("account");
        assertThat(((Struct) out.key()).getString("sfid")).isEqualTo(ID);
        assertThat(out.value()).isNull();
        assertThat(out.valueSchema()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"soft", "hard"})
    void tombstonesAreDropped(String mode) {
        assertThat(configured(HerokuConnectRow.DELETE_MODE_CONFIG, mode)
                .apply(ChangeEvents.tombstone(account, 13))).isNull();
    }

    @Test
    void keySchemaIsTheIdSchemaWithItsParameters() {
        SinkRecord out = configured().apply(account.event("c").record(8));

        Schema sfid = out.keySchema().field("sfid").schema();
        assertThat(sfid.type()).isEqualTo(Schema.Type.STRING);
        assertThat(sfid.isOptional()).isFalse();
        assertThat(sfid.parameters()).containsEntry(FieldParameters.TYPE, "id").containsEntry(FieldParameters.LENGTH,
                "18");
    }

    @Test
    void rowFieldSchemasKeepTheirParametersAndAreOptional() {
        SinkRecord out = configured().apply(account.event("c").put("Name", "Acme").record(8));

        Schema sfid = out.valueSchema().field("sfid").schema();
        assertThat(sfid.isOptional()).isTrue();
        assertThat(sfid.parameters()).containsEntry(FieldParameters.TYPE, "id");
        Schema name = out.valueSchema().field("name").schema();
        assertThat(name.parameters()).containsEntry(FieldParameters.TYPE, "string")
                .containsEntry(FieldParameters.LENGTH, "255");
        assertThat(out.valueSchema().fields()).allMatch(field -> field.schema().isOptional());
        assertThat(out.valueSchema().name()).isEqualTo(account.afterSchema().name());
    }

    @Test
    void sameAfterSchemaReusesOneRowSchema() {
        configured();
        SinkRecord first = transform.apply(account.event("c").record(1));
        SinkRecord second = transform.apply(account.event("c").record(2));

        assertThat(second.valueSchema()).isSameAs(first.valueSchema());
        assertThat(second.keySchema()).isSameAs(first.keySchema());
    }

    @Test
    void columnRenamesApplyToEveryColumnIncludingTheOnesAdded() {
        configured(HerokuConnectRow.COLUMN_RENAMES_CONFIG,
                "Description:account_description, SystemModstamp:modified_at, isdeleted:deleted");
        SinkRecord created = transform.apply(account.event("c").put("Description", "Big").record(1));
        SinkRecord deleted = transform.apply(account.event("d").record(2));

        assertThat(fieldNames(created.valueSchema()))
                .containsExactly("sfid", "name", "account_description", "deleted", "modified_at", "_hc_lastop");
        assertThat(((Struct) created.value()).getString("account_description")).isEqualTo("Big");
        assertThat(((Struct) created.value()).getBoolean("deleted")).isFalse();
        assertThat(fieldNames(deleted.valueSchema())).containsExactly("sfid", "deleted", "modified_at", "_hc_lastop");
    }

    @Test
    void configuredTableNameIsTheTopic() {
        SinkRecord out = configured(HerokuConnectRow.TABLE_NAME_CONFIG, "accounts")
                .apply(account.event("c").record(1));

        assertThat(out.topic()).isEqualTo("accounts");
    }

    @Test
    void customObjectTableIsItsLowerCasedName() {
        ChangeEvents.SObject custom = new ChangeEvents.SObject("Invoice__c", "lockstep.Invoice__c");

        assertThat(configured().apply(custom.event("c").record(1)).topic()).isEqualTo("invoice__c");
    }

    @Test
    void withoutSourceObjectTheTableIsTheLastPartOfTheTopic() {
        SinkRecord in = account.event("c").schemaless(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) in.value()).get("source");
        source.remove("object");

        assertThat(configured().apply(in).topic()).isEqualTo("account");
    }

    @Test
    void schemalessCreateIsAMapRowWithAMapKey() {
        SinkRecord out = configured().apply(account.event("c").put("Name", "Acme").put("IsDeleted", null)
                .schemaless(5));

        assertThat(out.topic()).isEqualTo("account");
        assertThat(out.keySchema()).isNull();
        assertThat(out.key()).isEqualTo(Map.of("sfid", ID));
        assertThat(out.valueSchema()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> row = (Map<String, Object>) out.value();
        assertThat(row).containsOnlyKeys("sfid", "name", "isdeleted", "systemmodstamp", "_hc_lastop")
                .containsEntry("sfid", ID).containsEntry("name", "Acme").containsEntry("isdeleted", false)
                .containsEntry("systemmodstamp", new Date(COMMIT_MS)).containsEntry("_hc_lastop", "INSERTED");
    }

    @Test
    void schemalessReadAndUpdateKeepTheirValues() {
        configured();
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) transform.apply(account.event("r").put("Name", "Acme")
                .put("SystemModstamp", MODSTAMP_MS).schemaless(5)).value();
        @SuppressWarnings("unchecked")
        Map<String, Object> update = (Map<String, Object>) transform.apply(account.event("u").put("Name", "B")
                .schemaless(6)).value();

        assertThat(read).containsEntry("systemmodstamp", MODSTAMP_MS).containsEntry("_hc_lastop", "INSERTED");
        assertThat(update).containsEntry("name", "B").containsEntry("systemmodstamp", new Date(COMMIT_MS))
                .containsEntry("_hc_lastop", "UPDATED");
    }

    @Test
    void schemalessSoftDeleteIsAMapRow() {
        SinkRecord out = configured().apply(account.event("d").schemaless(5));

        assertThat(out.key()).isEqualTo(Map.of("sfid", ID));
        assertThat(out.value()).isEqualTo(Map.of("sfid", ID, "isdeleted", true, "systemmodstamp", new Date(COMMIT_MS),
                "_hc_lastop", "UPDATED"));
    }

    @Test
    void schemalessHardDeleteIsTheKeyWithANullValue() {
        SinkRecord out = configured(HerokuConnectRow.DELETE_MODE_CONFIG, "HARD").apply(account.event("d")
                .schemaless(5));

        assertThat(out.key()).isEqualTo(Map.of("sfid", ID));
        assertThat(out.value()).isNull();
    }

    @Test
    void schemalessTombstoneIsDropped() {
        SinkRecord tombstone = new SinkRecord("lockstep.Account", 0, null, Map.of("Id", ID), null, null, 3);

        assertThat(configured().apply(tombstone)).isNull();
    }

    @Test
    void recordThatIsNotAnEnvelopeFailsNamingTheRecord() {
        Schema flat = SchemaBuilder.struct().field("Id", Schema.STRING_SCHEMA).build();
        SinkRecord in = new SinkRecord("lockstep.Account", 2, null, Map.of("Id", ID), flat,
                new Struct(flat).put("Id", ID), 42);

        assertThatThrownBy(() -> configured().apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("lockstep.Account-2 offset 42").hasMessageContaining(ID)
                .hasMessageContaining("envelope");
    }

    @Test
    void unknownOpFailsNamingTheRecord() {
        SinkRecord in = account.event("c").schemaless(42);
        @SuppressWarnings("unchecked")
        Map<String, Object> envelope = (Map<String, Object>) in.value();
        envelope.put("op", "t");

        assertThatThrownBy(() -> configured().apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("lockstep.Account-3 offset 42").hasMessageContaining(ID)
                .hasMessageContaining("'t'");
    }

    @Test
    void eventWithoutCommitTimeFailsNamingTheRecord() {
        SinkRecord in = account.event("u").schemaless(42);
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) in.value()).get("source");
        source.remove("ts_ms");

        assertThatThrownBy(() -> configured().apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("offset 42").hasMessageContaining(ID).hasMessageContaining("source.ts_ms");
    }

    @Test
    void eventWithoutAnyIdFailsNamingTheRecord() {
        SinkRecord in = account.event("d").schemaless(42);
        SinkRecord keyless = in.newRecord(in.topic(), in.kafkaPartition(), null, null, null, in.value(),
                in.timestamp());

        assertThatThrownBy(() -> configured().apply(keyless)).isInstanceOf(DataException.class)
                .hasMessageContaining("offset 42").hasMessageContaining("no Salesforce Id");
    }

    @Test
    void renameOntoAnotherFieldsColumnFailsNamingTheConfig() {
        configured(HerokuConnectRow.COLUMN_RENAMES_CONFIG, "Name:description");

        assertThatThrownBy(() -> transform.apply(account.event("c").record(42))).isInstanceOf(DataException.class)
                .hasMessageContaining("offset 42").hasMessageContaining(ID).hasMessageContaining("Description")
                .hasMessageContaining("column.renames");
        assertThatThrownBy(() -> transform.apply(account.event("c").put("Name", "Acme")
                .put("Description", "Big").schemaless(43)))
                .isInstanceOf(DataException.class).hasMessageContaining("column.renames");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Name", ":name", "Name:", "Name:Bad-Column", "Name:1st", "Name:sfid", "Name:_hc_lastop",
        "Id:account_id", "Name:a,Phone:a", "Name:a,name:b"})
    void invalidColumnRenamesAreRefused(String renames) {
        assertThatThrownBy(() -> configured(HerokuConnectRow.COLUMN_RENAMES_CONFIG, renames))
                .isInstanceOf(ConfigException.class).hasMessageContaining("column.renames");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Account", "my-table", "salesforce.account"})
    void invalidTableNamesAreRefused(String table) {
        assertThatThrownBy(() -> configured(HerokuConnectRow.TABLE_NAME_CONFIG, table))
                .isInstanceOf(ConfigException.class).hasMessageContaining("table.name");
    }

    @Test
    void unknownDeleteModeIsRefusedListingTheChoices() {
        assertThatThrownBy(() -> configured(HerokuConnectRow.DELETE_MODE_CONFIG, "purge"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("one of soft, hard");
    }

    @Test
    void validatorsReadAsDocumentation() {
        assertThat(HerokuConnectRow.CONFIG_DEF.configKeys().get(HerokuConnectRow.DELETE_MODE_CONFIG).validator)
                .hasToString("one of soft, hard");
        assertThat(HerokuConnectRow.CONFIG_DEF.configKeys().get(HerokuConnectRow.COLUMN_RENAMES_CONFIG).validator
                .toString()).contains("Field:column");
    }
}
