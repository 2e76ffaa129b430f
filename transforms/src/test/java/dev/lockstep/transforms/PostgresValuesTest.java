package dev.lockstep.transforms;

import static dev.lockstep.common.SchemaStyle.HEROKU_CONNECT;
import static dev.lockstep.common.SchemaStyle.NATIVE;
import static dev.lockstep.transforms.ChangeEvents.COMMIT_MS;
import static dev.lockstep.transforms.ChangeEvents.ID;
import static dev.lockstep.transforms.ChangeEvents.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.common.FieldParameters;
import dev.lockstep.common.SchemaStyle;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PostgresValuesTest {

    private static final String TYPE = "__debezium.source.column.type";
    private static final String LENGTH = "__debezium.source.column.length";
    /** 2026-11-21 as a Connect Date, 14:00:00.123 as a Connect Time. */
    private static final Date DAY = new Date(20_778L * 86_400_000L);
    private static final Date TIME_OF_DAY = new Date(50_400_123L);
    private static final byte[] BYTES = "%PDF-1.7".getBytes(StandardCharsets.US_ASCII);

    private final PostgresValues<SinkRecord> transform = new PostgresValues<>();

    private PostgresValues<SinkRecord> configured(SchemaStyle style) {
        transform.configure(Map.of(PostgresValues.SCHEMA_STYLE_CONFIG, style.value()));
        return transform;
    }

    @AfterEach
    void close() {
        transform.close();
    }

    /** A row as HerokuConnectRow makes it: {sfid, field}, keyed by {sfid}. */
    private static SinkRecord row(String field, Schema schema, Object value) {
        Schema keySchema = SchemaBuilder.struct().field("sfid", ChangeEvents.idSchema()).build();
        Schema rowSchema = SchemaBuilder.struct().name("lockstep.Account.Value").optional()
                .field("sfid", field(SchemaBuilder.string(), "id", 18, 0, 0))
                .field(field, schema).build();
        return new SinkRecord("account", 3, keySchema, new Struct(keySchema).put("sfid", ID), rowSchema,
                new Struct(rowSchema).put("sfid", ID).put(field, value), 42);
    }

    private static SinkRecord schemalessRow(Map<String, Object> fields) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("sfid", ID);
        value.putAll(fields);
        return new SinkRecord("account", 3, null, Map.of("sfid", ID), null, value, 42);
    }

    /** The expected schema: {@code type} with the Salesforce parameters, optional. */
    private static Schema expected(SchemaBuilder type, String salesforceType, int length, int precision, int scale) {
        return field(type, salesforceType, length, precision, scale);
    }

    private static Schema varchar(String salesforceType, int salesforceLength, int columnLength) {
        return expected(SchemaBuilder.string().parameter(TYPE, "VARCHAR")
                .parameter(LENGTH, Integer.toString(columnLength)), salesforceType, salesforceLength, 0, 0);
    }

    private static Schema decimal(int scale, int precision) {
        return Decimal.builder(scale).parameter(FieldParameters.DECIMAL_PRECISION, Integer.toString(precision))
                .build();
    }

    private static Schema decimalInput(String salesforceType, int precision, int scale) {
        return field(Decimal.builder(scale).parameter(FieldParameters.DECIMAL_PRECISION, Integer.toString(precision)),
                salesforceType, 0, precision, scale);
    }

    private static Schema zonedTimestamp() {
        return expected(SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").version(1), "datetime", 0, 0,
                0);
    }

    private static Schema stringArray(String salesforceType, int length) {
        return field(SchemaBuilder.array(Schema.STRING_SCHEMA), salesforceType, length, 0, 0);
    }

    static Stream<Arguments> everyType() {
        BigDecimal amount = new BigDecimal("12.34");
        return Stream.of(
                // heroku-connect
                Arguments.of(HEROKU_CONNECT, "id", field(SchemaBuilder.string(), "id", 18, 0, 0), ID,
                        varchar("id", 18, 18), ID),
                Arguments.of(HEROKU_CONNECT, "reference", field(SchemaBuilder.string(), "reference", 18, 0, 0),
                        "005000000000001AAA", varchar("reference", 18, 18), "005000000000001AAA"),
                Arguments.of(HEROKU_CONNECT, "string", field(SchemaBuilder.string(), "string", 80, 0, 0), "Acme",
                        varchar("string", 80, 80), "Acme"),
                Arguments.of(HEROKU_CONNECT, "string without length", field(SchemaBuilder.string(), "string", 0, 0, 0),
                        "Acme", expected(SchemaBuilder.string(), "string", 0, 0, 0), "Acme"),
                Arguments.of(HEROKU_CONNECT, "textarea", field(SchemaBuilder.string(), "textarea", 255, 0, 0), "x",
                        varchar("textarea", 255, 255), "x"),
                Arguments.of(HEROKU_CONNECT, "long textarea", field(SchemaBuilder.string(), "textarea", 32000, 0, 0),
                        "x", expected(SchemaBuilder.string(), "textarea", 32000, 0, 0), "x"),
                Arguments.of(HEROKU_CONNECT, "picklist", field(SchemaBuilder.string(), "picklist", 40, 0, 0), "Hot",
                        varchar("picklist", 40, 255), "Hot"),
                Arguments.of(HEROKU_CONNECT, "multipicklist", field(SchemaBuilder.string(), "multipicklist", 4099, 0,
                        0), "A;B", varchar("multipicklist", 4099, 4099), "A;B"),
                Arguments.of(HEROKU_CONNECT, "multipicklist array", stringArray("multipicklist", 4099),
                        List.of("A", "B"), varchar("multipicklist", 4099, 4099), "A;B"),
                Arguments.of(HEROKU_CONNECT, "combobox", field(SchemaBuilder.string(), "combobox", 255, 0, 0), "x",
                        varchar("combobox", 255, 255), "x"),
                Arguments.of(HEROKU_CONNECT, "email", field(SchemaBuilder.string(), "email", 80, 0, 0), "a@b.c",
                        varchar("email", 80, 80), "a@b.c"),
                Arguments.of(HEROKU_CONNECT, "phone", field(SchemaBuilder.string(), "phone", 40, 0, 0), "+1 555",
                        varchar("phone", 40, 40), "+1 555"),
                Arguments.of(HEROKU_CONNECT, "url", field(SchemaBuilder.string(), "url", 255, 0, 0), "https://x",
                        varchar("url", 255, 255), "https://x"),
                Arguments.of(HEROKU_CONNECT, "encryptedstring", field(SchemaBuilder.string(), "encryptedstring", 175,
                        0, 0), "****", varchar("encryptedstring", 175, 175), "****"),
                Arguments.of(HEROKU_CONNECT, "boolean", field(SchemaBuilder.bool(), "boolean", 0, 0, 0), true,
                        expected(SchemaBuilder.bool(), "boolean", 0, 0, 0), true),
                Arguments.of(HEROKU_CONNECT, "int", field(SchemaBuilder.int32(), "int", 0, 9, 0), 42,
                        expected(SchemaBuilder.int32(), "int", 0, 9, 0), 42),
                Arguments.of(HEROKU_CONNECT, "long", field(SchemaBuilder.int64(), "long", 0, 18, 0), 42L,
                        expected(SchemaBuilder.int64(), "long", 0, 18, 0), 42L),
                Arguments.of(HEROKU_CONNECT, "double", field(SchemaBuilder.float64(), "double", 0, 18, 2), 1.5,
                        expected(SchemaBuilder.float64(), "double", 0, 18, 2), 1.5),
                Arguments.of(HEROKU_CONNECT, "currency", decimalInput("currency", 18, 2), amount,
                        expected(SchemaBuilder.float64(), "currency", 0, 18, 2), 12.34),
                Arguments.of(HEROKU_CONNECT, "percent", decimalInput("percent", 5, 2), new BigDecimal("0.50"),
                        expected(SchemaBuilder.float64(), "percent", 0, 5, 2), 0.5),
                Arguments.of(HEROKU_CONNECT, "date", field(org.apache.kafka.connect.data.Date.builder(), "date", 0, 0,
                        0), DAY, expected(org.apache.kafka.connect.data.Date.builder(), "date", 0, 0, 0), DAY),
                Arguments.of(HEROKU_CONNECT, "time", field(Time.builder(), "time", 0, 0, 0), TIME_OF_DAY,
                        expected(Time.builder(), "time", 0, 0, 0), TIME_OF_DAY),
                Arguments.of(HEROKU_CONNECT, "datetime", field(Timestamp.builder(), "datetime", 0, 0, 0),
                        new Date(COMMIT_MS), expected(Timestamp.builder(), "datetime", 0, 0, 0), new Date(COMMIT_MS)),
                Arguments.of(HEROKU_CONNECT, "base64", field(SchemaBuilder.bytes(), "base64", 0, 0, 0), BYTES,
                        expected(SchemaBuilder.string(), "base64", 0, 0, 0), "JVBERi0xLjc="),
                Arguments.of(HEROKU_CONNECT, "anyType", field(SchemaBuilder.string(), "anyType", 0, 0, 0), "x",
                        expected(SchemaBuilder.string(), "anyType", 0, 0, 0), "x"),
                // native
                Arguments.of(NATIVE, "id", field(SchemaBuilder.string(), "id", 18, 0, 0), ID, varchar("id", 18, 18),
                        ID),
                Arguments.of(NATIVE, "string", field(SchemaBuilder.string(), "string", 80, 0, 0), "Acme",
                        varchar("string", 80, 80), "Acme"),
                Arguments.of(NATIVE, "long textarea", field(SchemaBuilder.string(), "textarea", 32000, 0, 0), "x",
                        expected(SchemaBuilder.string(), "textarea", 32000, 0, 0), "x"),
                Arguments.of(NATIVE, "picklist", field(SchemaBuilder.string(), "picklist", 255, 0, 0), "Hot",
                        varchar("picklist", 255, 255), "Hot"),
                Arguments.of(NATIVE, "boolean", field(SchemaBuilder.bool(), "boolean", 0, 0, 0), false,
                        expected(SchemaBuilder.bool(), "boolean", 0, 0, 0), false),
                Arguments.of(NATIVE, "int", field(SchemaBuilder.int32(), "int", 0, 9, 0), 42,
                        expected(SchemaBuilder.int32(), "int", 0, 9, 0), 42),
                Arguments.of(NATIVE, "long", field(SchemaBuilder.int64(), "long", 0, 18, 0), 42L,
                        expected(SchemaBuilder.int64(), "long", 0, 18, 0), 42L),
                Arguments.of(NATIVE, "currency", decimalInput("currency", 18, 2), amount,
                        expected(Decimal.builder(2).parameter(FieldParameters.DECIMAL_PRECISION, "18"), "currency", 0,
                                18, 2), amount),
                Arguments.of(NATIVE, "currency from double", field(SchemaBuilder.float64(), "currency", 0, 18, 2),
                        12.3, expected(Decimal.builder(2).parameter(FieldParameters.DECIMAL_PRECISION, "18"),
                                "currency", 0, 18, 2), new BigDecimal("12.30")),
                Arguments.of(NATIVE, "percent", decimalInput("percent", 5, 2), new BigDecimal("0.50"),
                        expected(Decimal.builder(2).parameter(FieldParameters.DECIMAL_PRECISION, "5"), "percent", 0,
                                5, 2), new BigDecimal("0.50")),
                Arguments.of(NATIVE, "double without precision", field(SchemaBuilder.float64(), "double", 0, 0, 0),
                        1.5, expected(SchemaBuilder.float64(), "double", 0, 0, 0), 1.5),
                Arguments.of(NATIVE, "date", field(org.apache.kafka.connect.data.Date.builder(), "date", 0, 0, 0), DAY,
                        expected(org.apache.kafka.connect.data.Date.builder(), "date", 0, 0, 0), DAY),
                Arguments.of(NATIVE, "time", field(Time.builder(), "time", 0, 0, 0), TIME_OF_DAY,
                        expected(Time.builder(), "time", 0, 0, 0), TIME_OF_DAY),
                Arguments.of(NATIVE, "datetime", field(Timestamp.builder(), "datetime", 0, 0, 0), new Date(COMMIT_MS),
                        zonedTimestamp(), "2026-11-21T14:00:00.123Z"),
                Arguments.of(NATIVE, "multipicklist", field(SchemaBuilder.string(), "multipicklist", 4099, 0, 0),
                        "A;B", stringArray("multipicklist", 4099), List.of("A", "B")),
                Arguments.of(NATIVE, "multipicklist array", stringArray("multipicklist", 4099), List.of("A", "B"),
                        stringArray("multipicklist", 4099), List.of("A", "B")),
                Arguments.of(NATIVE, "base64", field(SchemaBuilder.bytes(), "base64", 0, 0, 0), BYTES,
                        expected(SchemaBuilder.bytes(), "base64", 0, 0, 0), BYTES),
                Arguments.of(NATIVE, "anyType", field(SchemaBuilder.string(), "anyType", 0, 0, 0), "x",
                        expected(SchemaBuilder.string(), "anyType", 0, 0, 0), "x"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyType")
    void everySalesforceTypeGetsTheSchemaAndValueOfItsColumn(SchemaStyle style, String type, Schema in, Object value,
            Schema expectedSchema, Object expectedValue) {
        SinkRecord out = configured(style).apply(row("f", in, value));

        assertThat(out.valueSchema().field("f").schema()).isEqualTo(expectedSchema);
        assertThat(((Struct) out.value()).get("f")).isEqualTo(expectedValue);
    }

    @Test
    void calculatedParameterAndDocAreKept() {
        Schema formula = SchemaBuilder.float64().doc("Amount with tax").parameter(FieldParameters.TYPE, "currency")
                .parameter(FieldParameters.PRECISION, "18").parameter(FieldParameters.SCALE, "2")
                .parameter(FieldParameters.CALCULATED, "true").optional().build();

        Schema out = configured(NATIVE).apply(row("f", formula, 1.0)).valueSchema().field("f").schema();

        assertThat(out.doc()).isEqualTo("Amount with tax");
        assertThat(out.parameters()).containsEntry(FieldParameters.CALCULATED, "true");
    }

    @Test
    void nullValuesStayNull() {
        SinkRecord out = configured(NATIVE).apply(row("f", field(Timestamp.builder(), "datetime", 0, 0, 0), null));

        assertThat(((Struct) out.value()).get("f")).isNull();
    }

    @Test
    void lastOpIsAVarchar32InBothStyles() {
        for (SchemaStyle style : SchemaStyle.values()) {
            SinkRecord out = configured(style).apply(row("_hc_lastop", Schema.OPTIONAL_STRING_SCHEMA, "UPDATED"));

            Schema lastop = out.valueSchema().field("_hc_lastop").schema();
            assertThat(lastop.parameters()).isEqualTo(Map.of(TYPE, "VARCHAR", LENGTH, "32"));
            assertThat(((Struct) out.value()).getString("_hc_lastop")).isEqualTo("UPDATED");
        }
    }

    @Test
    void keySfidBecomesAVarchar18AndStaysRequired() {
        SinkRecord out = configured(HEROKU_CONNECT).apply(row("f", Schema.OPTIONAL_STRING_SCHEMA, "x"));

        Schema sfid = out.keySchema().field("sfid").schema();
        assertThat(sfid.isOptional()).isFalse();
        assertThat(sfid.parameters()).containsEntry(TYPE, "VARCHAR").containsEntry(LENGTH, "18");
        assertThat(((Struct) out.key()).getString("sfid")).isEqualTo(ID);
        assertThat(out.valueSchema().field("sfid").schema().parameters()).containsEntry(LENGTH, "18");
    }

    @Test
    void fieldsWithoutSalesforceTypePassUnchanged() {
        Schema plain = SchemaBuilder.string().optional().parameter("x", "y").build();

        SinkRecord out = configured(NATIVE).apply(row("note", plain, "hello"));

        assertThat(out.valueSchema().field("note").schema()).isSameAs(plain);
        assertThat(((Struct) out.value()).getString("note")).isEqualTo("hello");
        assertThat(out.valueSchema().name()).isEqualTo("lockstep.Account.Value");
        assertThat(out.topic()).isEqualTo("account");
        assertThat(out.kafkaOffset()).isEqualTo(42);
    }

    @Test
    void convertedSchemasAreCachedPerInputSchema() {
        configured(NATIVE);
        Schema datetime = field(Timestamp.builder(), "datetime", 0, 0, 0);
        SinkRecord first = transform.apply(row("f", datetime, new Date(COMMIT_MS)));
        SinkRecord second = transform.apply(row("f", datetime, new Date(COMMIT_MS + 1)));

        assertThat(second.valueSchema()).isSameAs(first.valueSchema());
    }

    @Test
    void tombstonePassesUnchanged() {
        SinkRecord hardDelete = new SinkRecord("account", 3, null, Map.of("sfid", ID), null, null, 42);

        assertThat(configured(NATIVE).apply(hardDelete)).isSameAs(hardDelete);
    }

    @Test
    void textHoldingNulIsRefusedNamingRecordFieldAndValue() {
        SinkRecord in = row("name", field(SchemaBuilder.string(), "string", 80, 0, 0), "Ac\u0000me");

        assertThatThrownBy(() -> configured(HEROKU_CONNECT).apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("account-3 offset 42").hasMessageContaining(ID).hasMessageContaining("name")
                .hasMessageContaining("Ac\u0000me").hasMessageContaining("U+0000");
    }

    @Test
    void nulInAFieldWithoutSalesforceTypeIsRefusedToo() {
        SinkRecord in = row("note", Schema.OPTIONAL_STRING_SCHEMA, "a\u0000");

        assertThatThrownBy(() -> configured(NATIVE).apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("note").hasMessageContaining("U+0000");
    }

    @Test
    void textLongerThanItsVarcharIsRefusedWithBothLengths() {
        SinkRecord in = row("name", field(SchemaBuilder.string(), "string", 10, 0, 0), "Acme Corporation");

        assertThatThrownBy(() -> configured(HEROKU_CONNECT).apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("account-3 offset 42").hasMessageContaining(ID).hasMessageContaining("name")
                .hasMessageContaining("Acme Corporation").hasMessageContaining("16 characters")
                .hasMessageContaining("varchar(10)").hasMessageContaining("widen");
    }

    @Test
    void varcharLengthCountsCharactersNotUtf16Units() {
        SinkRecord in = row("name", field(SchemaBuilder.string(), "string", 2, 0, 0), "\uD83D\uDE00\uD83D\uDE00");

        assertThat(((Struct) configured(HEROKU_CONNECT).apply(in).value()).getString("name")).hasSize(4);
    }

    @Test
    void nativeNumberWithMoreDecimalsThanTheScaleIsRefused() {
        SinkRecord in = row("amount", field(SchemaBuilder.float64(), "currency", 0, 18, 2), 1.005);

        assertThatThrownBy(() -> configured(NATIVE).apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("offset 42").hasMessageContaining(ID).hasMessageContaining("amount")
                .hasMessageContaining("1.005").hasMessageContaining("numeric(18,2)");
    }

    @Test
    void nativeNumberTooLargeForItsPrecisionIsRefused() {
        SinkRecord in = row("rate", decimalInput("percent", 5, 2), new BigDecimal("12345.60"));

        assertThatThrownBy(() -> configured(NATIVE).apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("rate").hasMessageContaining("12345.60").hasMessageContaining("numeric(5,2)");
    }

    @Test
    void nonFiniteDoubleForANumericColumnIsRefused() {
        SinkRecord in = row("amount", field(SchemaBuilder.float64(), "currency", 0, 18, 2), Double.NaN);

        assertThatThrownBy(() -> configured(NATIVE).apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("NaN").hasMessageContaining("finite");
    }

    @Test
    void longValuesAreShortenedInMessages() {
        String longText = "x".repeat(300) + "\u0000";
        SinkRecord in = row("description", field(SchemaBuilder.string(), "textarea", 32000, 0, 0), longText);

        assertThatThrownBy(() -> configured(HEROKU_CONNECT).apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("x".repeat(100) + "...").hasMessageNotContaining("x".repeat(101));
    }

    @Test
    void badSalesforceParameterIsRefusedNamingTheField() {
        Schema broken = SchemaBuilder.string().optional().parameter(FieldParameters.TYPE, "string")
                .parameter(FieldParameters.LENGTH, "eighty").build();

        assertThatThrownBy(() -> configured(NATIVE).apply(row("name", broken, "x")))
                .isInstanceOf(DataException.class).hasMessageContaining("name").hasMessageContaining("eighty");
    }

    @Test
    void envelopeInsteadOfRowFailsSayingWhereTheTransformGoes() {
        SinkRecord envelope = ChangeEvents.account().event("c").record(42);

        assertThatThrownBy(() -> configured(NATIVE).apply(envelope)).isInstanceOf(DataException.class)
                .hasMessageContaining("offset 42").hasMessageContaining(ID).hasMessageContaining("HerokuConnectRow");
    }

    @Test
    void valueThatIsNoRowFailsNamingTheRecord() {
        SinkRecord text = new SinkRecord("account", 3, null, Map.of("sfid", ID), null, "text", 42);

        assertThatThrownBy(() -> configured(NATIVE).apply(text)).isInstanceOf(DataException.class)
                .hasMessageContaining("account-3 offset 42").hasMessageContaining(ID);
    }

    @Test
    void schemalessSystemColumnsAreConvertedFromJsonValues() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("isdeleted", "true");
        fields.put("systemmodstamp", "2026-11-21T14:00:00.123+0000");
        fields.put("_hc_lastop", "UPDATED");

        @SuppressWarnings("unchecked")
        Map<String, Object> hc = (Map<String, Object>) configured(HEROKU_CONNECT).apply(schemalessRow(fields))
                .value();
        @SuppressWarnings("unchecked")
        Map<String, Object> nativeRow = (Map<String, Object>) configured(NATIVE).apply(schemalessRow(fields)).value();

        assertThat(hc).containsEntry("sfid", ID).containsEntry("isdeleted", true)
                .containsEntry("systemmodstamp", new Date(COMMIT_MS)).containsEntry("_hc_lastop", "UPDATED");
        assertThat(nativeRow).containsEntry("systemmodstamp", "2026-11-21T14:00:00.123Z");
    }

    @Test
    void schemalessSystemModstampIsReadFromEpochMillisDatesAndZonelessText() {
        configured(NATIVE);
        for (Object stamp : List.of(COMMIT_MS, new Date(COMMIT_MS), "2026-11-21T14:00:00.123",
                "2026-11-21T15:00:00.123+01:00", "2026-11-21T14:00:00.123Z")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> out = (Map<String, Object>) transform.apply(schemalessRow(Map.of("systemmodstamp",
                    stamp))).value();
            assertThat(out).as("from %s", stamp).containsEntry("systemmodstamp", "2026-11-21T14:00:00.123Z");
        }
    }

    @Test
    void schemalessOtherValuesAreConvertedByTheirJavaType() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("amount", new BigDecimal("12.34"));
        fields.put("tags__c", List.of("A", "B"));
        fields.put("body", ByteBuffer.wrap(BYTES));
        fields.put("name", "Acme");
        fields.put("count__c", 3L);

        @SuppressWarnings("unchecked")
        Map<String, Object> hc = (Map<String, Object>) configured(HEROKU_CONNECT).apply(schemalessRow(fields))
                .value();
        @SuppressWarnings("unchecked")
        Map<String, Object> nativeRow = (Map<String, Object>) configured(NATIVE).apply(schemalessRow(fields)).value();

        assertThat(hc).containsEntry("amount", 12.34).containsEntry("tags__c", "A;B")
                .containsEntry("body", "JVBERi0xLjc=").containsEntry("name", "Acme").containsEntry("count__c", 3L);
        assertThat(nativeRow).containsEntry("amount", new BigDecimal("12.34")).containsEntry("tags__c", List.of("A",
                "B")).containsEntry("name", "Acme");
        assertThat((byte[]) nativeRow.get("body")).isEqualTo(BYTES);
    }

    @Test
    void schemalessKeyPassesAndIsChecked() {
        SinkRecord out = configured(NATIVE).apply(schemalessRow(Map.of("name", "Acme")));

        assertThat(out.key()).isEqualTo(Map.of("sfid", ID));
        assertThat(out.keySchema()).isNull();
        assertThat(out.valueSchema()).isNull();
    }

    @Test
    void schemalessValueThatCannotBeConvertedFailsNamingRecordFieldAndValue() {
        SinkRecord in = schemalessRow(Map.of("systemmodstamp", "yesterday"));

        assertThatThrownBy(() -> configured(HEROKU_CONNECT).apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("account-3 offset 42").hasMessageContaining(ID)
                .hasMessageContaining("systemmodstamp").hasMessageContaining("yesterday")
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void schemalessNestedMapFailsNamingRecordFieldAndValue() {
        SinkRecord in = schemalessRow(Map.of("billingaddress", Map.of("City", "Paris")));

        assertThatThrownBy(() -> configured(NATIVE).apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("offset 42").hasMessageContaining("billingaddress")
                .hasMessageContaining("Paris").hasMessageContaining("schema");
    }

    @Test
    void schemalessSfidLongerThan18IsRefused() {
        SinkRecord in = new SinkRecord("account", 3, null, null, null, Map.of("sfid", ID + "X"), 42);

        assertThatThrownBy(() -> configured(NATIVE).apply(in)).isInstanceOf(DataException.class)
                .hasMessageContaining("sfid").hasMessageContaining("varchar(18)");
    }

    @Test
    void unknownSchemaStyleIsRefusedListingTheChoices() {
        assertThatThrownBy(() -> transform.configure(Map.of(PostgresValues.SCHEMA_STYLE_CONFIG, "fancy")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.style")
                .hasMessageContaining("one of heroku-connect, native");
    }

    @Test
    void schemaStyleIsCaseInsensitiveAndDefaultsToHerokuConnect() {
        transform.configure(Map.of(PostgresValues.SCHEMA_STYLE_CONFIG, "NATIVE"));
        SinkRecord nativeOut = transform.apply(row("f", field(Timestamp.builder(), "datetime", 0, 0, 0),
                new Date(COMMIT_MS)));
        transform.configure(Map.of());
        SinkRecord defaultOut = transform.apply(row("f", field(Timestamp.builder(), "datetime", 0, 0, 0),
                new Date(COMMIT_MS)));

        assertThat(nativeOut.valueSchema().field("f").schema().name()).isEqualTo("io.debezium.time.ZonedTimestamp");
        assertThat(defaultOut.valueSchema().field("f").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
    }
}
