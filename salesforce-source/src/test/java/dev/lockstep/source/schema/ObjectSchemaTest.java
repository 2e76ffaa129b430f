package dev.lockstep.source.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.common.Envelope;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.ChangeEventHeader;
import dev.lockstep.salesforce.client.streaming.ReplayId;
import dev.lockstep.salesforce.client.values.FieldValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class ObjectSchemaTest {

    private static final SchemaOptions DOUBLES = new SchemaOptions(false, false);
    private static final SchemaOptions PRECISE = new SchemaOptions(true, true);
    private static final Predicate<String> ALL = f -> true;
    private static final String SAMPLE_ID = "a00000000000001AAA";

    private static ObjectSchema schema(String object, SchemaOptions options) {
        return ObjectSchema.of(Describes.of(object), ALL, options, "lockstep." + object, 1);
    }

    /** A REST record as the client types it, from the record's JSON. */
    private static Map<String, Object> rest(String object, String json) throws Exception {
        return FieldValues.of(Describes.of(object)).record(Describes.JSON.readTree(json));
    }

    // ------------------------------------------------------------------------------------------ schemas

    @Test
    void everyDescribeTypeOfSyncSampleHasItsConnectTypeAndSalesforceParameters() {
        Schema after = schema("Sync_Sample__c", DOUBLES).afterSchema();

        assertField(after, "Id", Schema.Type.STRING, null, false, Map.of("salesforce.type", "id",
                "salesforce.length", "18"));
        assertField(after, "OwnerId", Schema.Type.STRING, null, true, Map.of("salesforce.type", "reference",
                "salesforce.length", "18"));
        assertField(after, "IsDeleted", Schema.Type.BOOLEAN, null, true, Map.of("salesforce.type", "boolean"));
        assertField(after, "Name", Schema.Type.STRING, null, true, Map.of("salesforce.type", "string",
                "salesforce.length", "80"));
        assertField(after, "CreatedDate", Schema.Type.INT64, Timestamp.LOGICAL_NAME, true,
                Map.of("salesforce.type", "datetime"));
        assertField(after, "Text_Area__c", Schema.Type.STRING, null, true, Map.of("salesforce.type", "textarea",
                "salesforce.length", "255"));
        assertField(after, "Long_Text__c", Schema.Type.STRING, null, true, Map.of("salesforce.type", "textarea",
                "salesforce.length", "32768"));
        assertField(after, "Status__c", Schema.Type.STRING, null, true, Map.of("salesforce.type", "picklist",
                "salesforce.length", "255"));
        assertField(after, "Colors__c", Schema.Type.STRING, null, true, Map.of("salesforce.type", "multipicklist",
                "salesforce.length", "4099"));
        assertField(after, "Flag__c", Schema.Type.BOOLEAN, null, true, Map.of("salesforce.type", "boolean"));
        assertField(after, "Quantity__c", Schema.Type.INT32, null, true, Map.of("salesforce.type", "int",
                "salesforce.precision", "9"));
        assertField(after, "Ratio__c", Schema.Type.FLOAT64, null, true, Map.of("salesforce.type", "double",
                "salesforce.precision", "18", "salesforce.scale", "6"));
        assertField(after, "Amount__c", Schema.Type.FLOAT64, null, true, Map.of("salesforce.type", "currency",
                "salesforce.precision", "16", "salesforce.scale", "2"));
        assertField(after, "Discount__c", Schema.Type.FLOAT64, null, true, Map.of("salesforce.type", "percent",
                "salesforce.precision", "5", "salesforce.scale", "2"));
        assertField(after, "Due_Date__c", Schema.Type.INT32, Date.LOGICAL_NAME, true,
                Map.of("salesforce.type", "date"));
        assertField(after, "Due_At__c", Schema.Type.INT64, Timestamp.LOGICAL_NAME, true,
                Map.of("salesforce.type", "datetime"));
        assertField(after, "Alarm_Time__c", Schema.Type.INT32, Time.LOGICAL_NAME, true,
                Map.of("salesforce.type", "time"));
        assertField(after, "Email__c", Schema.Type.STRING, null, true, Map.of("salesforce.type", "email",
                "salesforce.length", "80"));
        assertField(after, "Phone__c", Schema.Type.STRING, null, true, Map.of("salesforce.type", "phone",
                "salesforce.length", "40"));
        assertField(after, "Website__c", Schema.Type.STRING, null, true, Map.of("salesforce.type", "url",
                "salesforce.length", "255"));
        assertField(after, "Account__c", Schema.Type.STRING, null, true, Map.of("salesforce.type", "reference",
                "salesforce.length", "18"));
        assertField(after, "Attachment__c", Schema.Type.BYTES, null, true, Map.of("salesforce.type", "base64",
                "salesforce.length", "32768"));
        assertField(after, "Secret__c", Schema.Type.STRING, null, true, Map.of("salesforce.type",
                "encryptedstring", "salesforce.length", "175"));
        assertField(after, "Address__Street__s", Schema.Type.STRING, null, true, Map.of("salesforce.type",
                "textarea", "salesforce.length", "255"));
        assertField(after, "Address__StateCode__s", Schema.Type.STRING, null, true, Map.of("salesforce.type",
                "picklist", "salesforce.length", "10"));
        assertField(after, "Location__Latitude__s", Schema.Type.FLOAT64, null, true, Map.of("salesforce.type",
                "double", "salesforce.precision", "18", "salesforce.scale", "15"));
        assertField(after, "Total__c", Schema.Type.FLOAT64, null, true, Map.of("salesforce.type", "currency",
                "salesforce.precision", "18", "salesforce.scale", "2", "salesforce.calculated", "true"));
    }

    @Test
    void afterFieldsFollowDescribeOrderWithoutAddressOrLocationCompounds() {
        ObjectSchema schema = schema("Sync_Sample__c", DOUBLES);
        List<String> describeOrder = new ArrayList<>();
        Describes.of("Sync_Sample__c").path("fields").forEach(f -> {
            if (!Set.of("address", "location").contains(f.path("type").asText())) {
                describeOrder.add(f.path("name").asText());
            }
        });

        assertThat(schema.afterSchema().fields()).extracting(Field::name).containsExactlyElementsOf(describeOrder)
                .doesNotContain("Address__c", "Location__c")
                .contains("Address__City__s", "Location__Latitude__s", "Location__Longitude__s");
        assertThat(schema.selectFields()).containsExactlyElementsOf(describeOrder);
    }

    @Test
    void preciseDecimalsAreDecimalsAtTheDescribeScale() {
        Schema after = schema("Sync_Sample__c", PRECISE).afterSchema();

        assertField(after, "Ratio__c", Schema.Type.BYTES, Decimal.LOGICAL_NAME, true, Map.of("scale", "6",
                "connect.decimal.precision", "18", "salesforce.type", "double", "salesforce.precision", "18",
                "salesforce.scale", "6"));
        assertField(after, "Amount__c", Schema.Type.BYTES, Decimal.LOGICAL_NAME, true, Map.of("scale", "2",
                "connect.decimal.precision", "16", "salesforce.type", "currency", "salesforce.precision", "16",
                "salesforce.scale", "2"));
        assertField(after, "Discount__c", Schema.Type.BYTES, Decimal.LOGICAL_NAME, true, Map.of("scale", "2",
                "connect.decimal.precision", "5", "salesforce.type", "percent", "salesforce.precision", "5",
                "salesforce.scale", "2"));
        assertField(after, "Location__Longitude__s", Schema.Type.BYTES, Decimal.LOGICAL_NAME, true,
                Map.of("scale", "15", "connect.decimal.precision", "18", "salesforce.type", "double",
                        "salesforce.precision", "18", "salesforce.scale", "15"));
    }

    @Test
    void decimalsFromRecordsAndEventsLandAtTheFieldScaleInBothModes() {
        Map<String, Object> event = Map.of("Amount__c", 12.5, "Ratio__c", 0.1234567, "Discount__c", 7);
        Struct precise = schema("Sync_Sample__c", PRECISE).afterFromEvent(SAMPLE_ID, event);
        Struct doubles = schema("Sync_Sample__c", DOUBLES).afterFromEvent(SAMPLE_ID, event);

        assertThat(precise.get("Amount__c")).isEqualTo(new BigDecimal("12.50"));
        assertThat(precise.get("Ratio__c")).isEqualTo(new BigDecimal("0.123457"));
        assertThat(precise.get("Discount__c")).isEqualTo(new BigDecimal("7.00"));
        assertThat(doubles.get("Amount__c")).isEqualTo(12.5);
        assertThat(doubles.get("Ratio__c")).isEqualTo(0.123457);
        assertThat(doubles.get("Discount__c")).isEqualTo(7.0);
    }

    @Test
    void multipicklistsAreJoinedStringsOrArrays() throws Exception {
        Map<String, Object> record = rest("Sync_Sample__c", "{\"Id\":\"" + SAMPLE_ID + "\",\"Colors__c\":\"Red;Blue\"}");
        assertThat(record.get("Colors__c")).isEqualTo(List.of("Red", "Blue"));
        ObjectSchema strings = schema("Sync_Sample__c", DOUBLES);
        ObjectSchema arrays = schema("Sync_Sample__c", PRECISE);

        assertThat(strings.afterSchema().field("Colors__c").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(strings.afterFromRecord(record).get("Colors__c")).isEqualTo("Red;Blue");
        assertThat(strings.afterFromEvent(SAMPLE_ID, Map.of("Colors__c", "Red;Blue")).get("Colors__c"))
                .isEqualTo("Red;Blue");
        Schema array = arrays.afterSchema().field("Colors__c").schema();
        assertThat(array.type()).isEqualTo(Schema.Type.ARRAY);
        assertThat(array.valueSchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(array.isOptional()).isTrue();
        assertThat(arrays.afterFromRecord(record).get("Colors__c")).isEqualTo(List.of("Red", "Blue"));
        assertThat(arrays.afterFromEvent(SAMPLE_ID, Map.of("Colors__c", "Red;Blue")).get("Colors__c"))
                .isEqualTo(List.of("Red", "Blue"));
    }

    @Test
    void namesVersionsAndOptionalityFollowTheTopicAndObjectVersion() {
        ObjectSchema schema = ObjectSchema.of(Describes.of("Account"), ALL, DOUBLES, "lockstep.Account", 3);

        assertThat(schema.object()).isEqualTo("Account");
        assertThat(schema.topic()).isEqualTo("lockstep.Account");
        assertThat(schema.version()).isEqualTo(3);
        assertThat(schema.keySchema().name()).isEqualTo("lockstep.Account.Key");
        assertThat(schema.keySchema().fields()).extracting(Field::name).containsExactly("Id");
        assertThat(schema.keySchema().field("Id").schema().isOptional()).isFalse();
        assertThat(schema.afterSchema().name()).isEqualTo("lockstep.Account.Value");
        assertThat(schema.afterSchema().version()).isEqualTo(3);
        assertThat(schema.afterSchema().isOptional()).isTrue();
        assertThat(schema.afterSchema().fields()).filteredOn(f -> !f.name().equals("Id"))
                .allSatisfy(f -> assertThat(f.schema().isOptional()).as(f.name()).isTrue());
        assertThat(schema.envelopeSchema().name()).isEqualTo("lockstep.Account.Envelope");
        assertThat(schema.envelopeSchema().version()).isEqualTo(3);
        assertThat(schema.envelopeSchema().fields()).extracting(Field::name)
                .containsExactly("before", "after", "source", "op", "ts_ms");
        assertThat(schema.envelopeSchema().field("after").schema()).isSameAs(schema.afterSchema());
        assertThat(schema.envelopeSchema().field("source").schema()).isSameAs(ObjectSchema.sourceSchema());
        assertThat(ObjectSchema.sourceSchema().name()).isEqualTo("dev.lockstep.salesforce.Source");
        assertThat(ObjectSchema.of(Describes.of("Account"), ALL, DOUBLES, "lockstep.Account", 4).afterSchema())
                .isNotEqualTo(schema.afterSchema());
    }

    @Test
    void schemaNamesAreValidAvroNamesWhateverTheTopic() {
        ObjectSchema schema = ObjectSchema.of(Describes.of("Account"), ALL, DOUBLES, "my-sync.1st.Account", 1);

        assertThat(schema.topic()).isEqualTo("my-sync.1st.Account");
        assertThat(schema.afterSchema().name()).isEqualTo("my_sync._1st.Account.Value");
    }

    @Test
    void theSameDescribeGivesEqualSchemas() {
        assertThat(schema("Contact", DOUBLES).envelopeSchema()).isEqualTo(schema("Contact", DOUBLES).envelopeSchema());
    }

    // ------------------------------------------------------------------------------------------ filter

    @Test
    void theFilterLeavesFieldsOutButNeverId() {
        Predicate<String> onlyText = f -> f.equals("Text__c") || f.equals("Address__City__s");
        ObjectSchema schema = ObjectSchema.of(Describes.of("Sync_Sample__c"), onlyText, DOUBLES, "t.S", 1);

        assertThat(schema.afterSchema().fields()).extracting(Field::name)
                .containsExactly("Id", "Text__c", "Address__City__s");
        assertThat(schema.selectFields()).containsExactly("Id", "Text__c", "Address__City__s");
        ObjectSchema none = ObjectSchema.of(Describes.of("Sync_Sample__c"), f -> false, DOUBLES, "t.S", 1);
        assertThat(none.afterSchema().fields()).extracting(Field::name).containsExactly("Id");

        Map<String, Object> record = new HashMap<>();
        record.put("Id", SAMPLE_ID);
        record.put("Text__c", "kept");
        record.put("Quantity__c", 3);
        Struct fromRecord = schema.afterFromRecord(record);
        Struct fromEvent = schema.afterFromEvent(SAMPLE_ID, Map.of("Text__c", "kept", "Quantity__c", 3,
                "Address__c", Map.of("City", "Lyon", "Street", "1 rue")));
        assertThat(fromRecord.getString("Text__c")).isEqualTo("kept");
        assertThat(fromEvent.getString("Text__c")).isEqualTo("kept");
        assertThat(fromEvent.getString("Address__City__s")).isEqualTo("Lyon");
    }

    // ------------------------------------------------------------------------------------------ compounds

    @Test
    void billingAddressFromARestRecordAndFromAnEventGiveEqualComponents() throws Exception {
        ObjectSchema schema = schema("Account", PRECISE);
        String id = "001000000000001AAA";
        Map<String, Object> record = rest("Account", "{\"attributes\":{\"type\":\"Account\"},\"Id\":\"" + id
                + "\",\"Name\":\"Acme\",\"BillingAddress\":{\"street\":\"1 Market St\",\"city\":\"San Francisco\","
                + "\"state\":\"CA\",\"postalCode\":\"94105\",\"country\":\"USA\",\"latitude\":37.7936,"
                + "\"longitude\":-122.3958,\"geocodeAccuracy\":\"Address\"}}");
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("Street", "1 Market St");
        address.put("City", "San Francisco");
        address.put("State", "CA");
        address.put("PostalCode", "94105");
        address.put("Country", "USA");
        address.put("Latitude", 37.7936);
        address.put("Longitude", -122.3958);
        address.put("GeocodeAccuracy", "Address");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("Name", "Acme");
        event.put("BillingAddress", address);
        event.put("ShippingAddress", null);

        Struct fromRecord = schema.afterFromRecord(record);
        Struct fromEvent = schema.afterFromEvent(id, event);

        assertThat(fromRecord).isEqualTo(fromEvent);
        assertThat(fromEvent.getString("BillingStreet")).isEqualTo("1 Market St");
        assertThat(fromEvent.getString("BillingCity")).isEqualTo("San Francisco");
        assertThat(fromEvent.getString("BillingPostalCode")).isEqualTo("94105");
        assertThat(fromEvent.getString("BillingGeocodeAccuracy")).isEqualTo("Address");
        assertThat(fromEvent.get("BillingLatitude")).isEqualTo(new BigDecimal("37.793600000000000"));
        assertThat(fromEvent.get("ShippingCity")).isNull();
        assertThat(schema.afterSchema().field("BillingAddress")).isNull();
    }

    @Test
    void componentsARecordCarriesItselfWinOverItsCompoundMap() {
        ObjectSchema schema = schema("Account", DOUBLES);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("Id", "001000000000001AAA");
        record.put("BillingAddress", Map.of("city", "Old"));
        record.put("BillingCity", "New");

        assertThat(schema.afterFromRecord(record).getString("BillingCity")).isEqualTo("New");
    }

    @Test
    void aPersonNameArrivesAsItsComponentsAndItsFullNameOnlyFromRecords() throws Exception {
        ObjectSchema schema = schema("Contact", DOUBLES);
        String id = "003000000000001AAA";
        Map<String, Object> name = new LinkedHashMap<>();
        name.put("Salutation", "Ms.");
        name.put("FirstName", "Ada");
        name.put("LastName", "Lovelace");

        Struct fromEvent = schema.afterFromEvent(id, Map.of("Name", name, "MailingAddress", Map.of("City", "London")));
        Struct fromRecord = schema.afterFromRecord(rest("Contact", "{\"Id\":\"" + id + "\",\"Salutation\":\"Ms.\","
                + "\"FirstName\":\"Ada\",\"LastName\":\"Lovelace\",\"Name\":\"Ms. Ada Lovelace\","
                + "\"MailingCity\":\"London\"}"));

        assertThat(fromEvent.getString("FirstName")).isEqualTo("Ada");
        assertThat(fromEvent.getString("LastName")).isEqualTo("Lovelace");
        assertThat(fromEvent.getString("Salutation")).isEqualTo("Ms.");
        assertThat(fromEvent.getString("MailingCity")).isEqualTo("London");
        assertThat(fromEvent.getString("Name")).isNull();
        assertThat(fromRecord.getString("Name")).isEqualTo("Ms. Ada Lovelace");
        assertThat(schema.afterSchema().field("Name")).isNotNull();
        assertThat(schema.fieldsNotInEvents()).containsExactly("IsDeleted", "Name", "SystemModstamp");
        fromRecord.put("Name", null);
        assertThat(fromEvent).isEqualTo(fromRecord);
    }

    @Test
    void anAccountNameSentAsAStringIsTheNameField() {
        ObjectSchema schema = schema("Account", DOUBLES);

        assertThat(schema.afterFromEvent("001000000000001AAA", Map.of("Name", "Acme")).getString("Name"))
                .isEqualTo("Acme");
        assertThat(schema.fieldsNotInEvents()).containsExactly("IsDeleted", "SystemModstamp");
    }

    @Test
    void aGeolocationArrivesAsLatitudeAndLongitude() throws Exception {
        ObjectSchema schema = schema("Sync_Sample__c", DOUBLES);

        Struct fromEvent = schema.afterFromEvent(SAMPLE_ID, Map.of("Location__c",
                Map.of("Latitude", 45.75, "Longitude", 4.85)));
        Struct fromRestCompound = schema.afterFromRecord(rest("Sync_Sample__c", "{\"Id\":\"" + SAMPLE_ID
                + "\",\"Location__c\":{\"latitude\":45.75,\"longitude\":4.85}}"));
        Struct fromComponents = schema.afterFromRecord(rest("Sync_Sample__c", "{\"Id\":\"" + SAMPLE_ID
                + "\",\"Location__Latitude__s\":45.75,\"Location__Longitude__s\":4.85}"));

        assertThat(fromEvent.getFloat64("Location__Latitude__s")).isEqualTo(45.75);
        assertThat(fromEvent.getFloat64("Location__Longitude__s")).isEqualTo(4.85);
        assertThat(fromEvent).isEqualTo(fromRestCompound).isEqualTo(fromComponents);
    }

    @Test
    void componentKeysMatchTheEmulatorsForEveryCompoundOfTheDefaultOrg() {
        int compared = 0;
        for (SObjectDef def : dev.lockstep.emulator.org.Schema.defaultOrg().objects()) {
            for (FieldDef f : def.fields()) {
                String compound = f.compoundFieldName();
                if (compound != null && !compound.equals(f.name())) {
                    assertThat(ObjectSchema.componentKey(compound, f.name())).as("%s.%s", def.name(), f.name())
                            .isEqualTo(RecordView.componentName(compound, f.name()));
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(40);
        assertThat(ObjectSchema.componentKey("BillingAddress", "BillingStateCode")).isEqualTo("StateCode");
        assertThat(ObjectSchema.componentKey("Address", "GeocodeAccuracy")).isEqualTo("GeocodeAccuracy");
        assertThat(ObjectSchema.componentKey("Loc__c", "Loc__Latitude__s")).isEqualTo("Latitude");
        assertThat(ObjectSchema.componentKey("Name", "MiddleName")).isEqualTo("MiddleName");
    }

    // ------------------------------------------------------------------------------------------ header names

    @Test
    void headerNamesMapToAfterFieldsInDescribeOrder() {
        ObjectSchema schema = schema("Account", DOUBLES);

        assertThat(schema.afterFieldNames(List.of("LastModifiedDate", "BillingAddress.City", "Phone",
                "BillingAddress.City", "BillingAddress.PostalCode", "Unknown__c", "ShippingAddress.Nowhere")))
                .containsExactly("BillingCity", "BillingPostalCode", "Phone", "LastModifiedDate");
        assertThat(schema.afterFieldNames(List.of("ShippingAddress"))).containsExactly("ShippingStreet",
                "ShippingCity", "ShippingState", "ShippingPostalCode", "ShippingCountry", "ShippingLatitude",
                "ShippingLongitude", "ShippingGeocodeAccuracy");
        assertThat(schema.afterFieldNames(List.of())).isEmpty();
    }

    @Test
    void headerNamesOfPersonNamesAndGeolocationsMapToTheirComponentFields() {
        ObjectSchema contact = schema("Contact", DOUBLES);
        ObjectSchema sample = schema("Sync_Sample__c", DOUBLES);

        assertThat(contact.afterFieldNames(List.of("Name.FirstName", "MailingAddress.Street")))
                .containsExactly("FirstName", "MailingStreet");
        assertThat(contact.afterFieldNames(List.of("Name"))).containsExactly("LastName", "FirstName", "Salutation");
        assertThat(sample.afterFieldNames(List.of("Location__c.Longitude", "Address__c.StateCode", "Text__c")))
                .containsExactly("Text__c", "Address__StateCode__s", "Location__Longitude__s");
    }

    @Test
    void headerNamesLeftOutByTheFilterAreDropped() {
        ObjectSchema schema = ObjectSchema.of(Describes.of("Account"), f -> !f.equals("BillingCity"), DOUBLES,
                "lockstep.Account", 1);

        assertThat(schema.afterFieldNames(List.of("BillingAddress.City", "BillingAddress.Street")))
                .containsExactly("BillingStreet");
    }

    // ------------------------------------------------------------------------------------------ records vs events

    @Test
    void aRecordAndAnEventWithTheSameDataGiveEqualStructs() throws Exception {
        for (SchemaOptions options : List.of(DOUBLES, PRECISE)) {
            ObjectSchema schema = schema("Sync_Sample__c", options);
            Map<String, Object> record = new LinkedHashMap<>(rest("Sync_Sample__c", "{"
                    + "\"attributes\":{\"type\":\"Sync_Sample__c\",\"url\":\"/services/data/v61.0/sobjects/x\"},"
                    + "\"Id\":\"" + SAMPLE_ID + "\",\"Name\":\"S-1\",\"Text__c\":\"Zoë\",\"Colors__c\":\"Red;Blue\","
                    + "\"Flag__c\":true,\"Quantity__c\":3,\"Ratio__c\":0.5,\"Amount__c\":12.5,\"Discount__c\":7.25,"
                    + "\"Due_Date__c\":\"2031-02-28\",\"Due_At__c\":\"2031-02-28T13:14:15.678+0000\","
                    + "\"Alarm_Time__c\":\"07:30:00.000Z\",\"Address__City__s\":\"Lyon\","
                    + "\"Location__Latitude__s\":45.75,\"Location__Longitude__s\":4.85,\"Total__c\":37.5,"
                    + "\"SystemModstamp\":\"2031-02-28T13:14:15.678+0000\",\"IsDeleted\":false,"
                    + "\"Owner\":{\"attributes\":{\"type\":\"User\"},\"Name\":\"Jane\"}}"));
            // A Bulk row holds the bytes of a base64 field; a REST record only the blob's URL.
            record.put("Attachment__c", new byte[] {1, 2, 3});
            record.put("Owner.Name", "Jane");
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("Name", "S-1");
            event.put("Text__c", "Zoë");
            event.put("Colors__c", "Red;Blue");
            event.put("Flag__c", true);
            event.put("Quantity__c", 3);
            event.put("Ratio__c", 0.5);
            event.put("Amount__c", 12.5);
            event.put("Discount__c", 7.25);
            event.put("Due_Date__c", LocalDate.of(2031, 2, 28));
            event.put("Due_At__c", Instant.parse("2031-02-28T13:14:15.678Z"));
            event.put("Alarm_Time__c", LocalTime.of(7, 30));
            event.put("Attachment__c", new byte[] {1, 2, 3});
            event.put("Address__c", Map.of("City", "Lyon"));
            event.put("Location__c", Map.of("Latitude", 45.75, "Longitude", 4.85));
            event.put("Email__c", null);

            Struct fromRecord = schema.afterFromRecord(record);
            Struct fromEvent = schema.afterFromEvent(SAMPLE_ID, event);

            assertThat(schema.fieldsNotInEvents()).containsExactly("IsDeleted", "SystemModstamp", "Total__c");
            assertThat(schema.hasFieldsNotInEvents()).isTrue();
            assertThat(fromRecord.get("Total__c")).isNotNull();
            for (String notInEvents : schema.fieldsNotInEvents()) {
                fromRecord.put(notInEvents, null);
            }
            assertThat(fromEvent).as("%s", options).isEqualTo(fromRecord);
            assertThat(fromEvent.get("Due_Date__c")).isEqualTo(new java.util.Date(LocalDate.of(2031, 2, 28)
                    .toEpochDay() * 86_400_000L));
            assertThat(fromEvent.get("Due_At__c")).isEqualTo(java.util.Date.from(
                    Instant.parse("2031-02-28T13:14:15.678Z")));
            assertThat(fromEvent.get("Alarm_Time__c")).isEqualTo(new java.util.Date(27_000_000L));
        }
    }

    @Test
    void withoutFormulasAndSystemFieldsEventsCarryEveryField() {
        Set<String> leftOut = Set.of("IsDeleted", "SystemModstamp", "Total__c");
        ObjectSchema schema = ObjectSchema.of(Describes.of("Sync_Sample__c"), f -> !leftOut.contains(f), DOUBLES,
                "t.S", 1);

        assertThat(schema.hasFieldsNotInEvents()).isFalse();
        assertThat(schema.base64Fields()).containsExactly("Attachment__c");
    }

    @Test
    void anEventWithItsOwnIdFieldNeedsNoSeparateId() {
        ObjectSchema schema = schema("Account", DOUBLES);

        assertThat(schema.afterFromEvent(Map.of("Id", "001000000000001AAA", "Name", "Acme")))
                .isEqualTo(schema.afterFromEvent("001000000000001AAA", Map.of("Name", "Acme")));
        assertThatThrownBy(() -> schema.afterFromEvent(Map.of("Name", "Acme"))).isInstanceOf(DataException.class)
                .hasMessageContaining("recordIds");
    }

    // ------------------------------------------------------------------------------------------ errors

    @Test
    void anUnknownFieldAsksForAFreshDescribe() {
        ObjectSchema schema = schema("Account", DOUBLES);

        assertThatThrownBy(() -> schema.afterFromRecord(Map.of("Id", "001000000000001AAA", "New__c", "x")))
                .isInstanceOfSatisfying(UnknownFieldException.class, e -> {
                    assertThat(e.object()).isEqualTo("Account");
                    assertThat(e.field()).isEqualTo("New__c");
                    assertThat(e.getMessage()).contains("Account", "New__c", "refresh");
                });
        assertThatThrownBy(() -> schema.afterFromEvent("001000000000001AAA", Map.of("New__c", 1)))
                .isInstanceOfSatisfying(UnknownFieldException.class, e -> assertThat(e.field()).isEqualTo("New__c"));
        assertThatThrownBy(() -> schema.afterFromEvent("001000000000001AAA", Map.of("BillingAddress",
                Map.of("StateCode", "CA")))).isInstanceOfSatisfying(UnknownFieldException.class,
                        e -> assertThat(e.field()).isEqualTo("BillingAddress.StateCode"));
    }

    @Test
    void unknownFieldsSentAsNullAndParentPathsAreIgnored() {
        ObjectSchema schema = schema("Account", DOUBLES);
        Map<String, Object> event = new HashMap<>();
        event.put("New__c", null);
        Map<String, Object> address = new HashMap<>();
        address.put("City", "Paris");
        address.put("StateCode", null);
        event.put("BillingAddress", address);
        Map<String, Object> record = new HashMap<>();
        record.put("Id", "001000000000001AAA");
        record.put("Owner.Name", "Jane");
        record.put("attributes", Map.of("type", "Account"));

        assertThat(schema.afterFromEvent("001000000000001AAA", event).getString("BillingCity")).isEqualTo("Paris");
        assertThat(schema.afterFromRecord(record).getString("Id")).isEqualTo("001000000000001AAA");
    }

    @Test
    void aValueThatDoesNotFitItsFieldIsADataExceptionNamingObjectRecordAndField() {
        ObjectSchema schema = schema("Sync_Sample__c", DOUBLES);

        assertThatThrownBy(() -> schema.afterFromEvent(SAMPLE_ID, Map.of("Due_Date__c", "2031-02-28")))
                .isInstanceOf(DataException.class)
                .hasMessageContainingAll("Sync_Sample__c", SAMPLE_ID, "Due_Date__c", "date", "2031-02-28");
        assertThatThrownBy(() -> schema.afterFromEvent(SAMPLE_ID, Map.of("Quantity__c", 2.5)))
                .isInstanceOf(DataException.class).hasMessageContainingAll("Quantity__c", "2.5");
        assertThat(schema.afterFromEvent(SAMPLE_ID, Map.of("Quantity__c", 2.0)).getInt32("Quantity__c"))
                .isEqualTo(2);
        assertThatThrownBy(() -> schema.afterFromEvent(SAMPLE_ID, Map.of("Quantity__c", 3_000_000_000L)))
                .isInstanceOf(DataException.class).hasMessageContaining("Quantity__c");
        assertThatThrownBy(() -> schema.afterFromEvent(SAMPLE_ID, Map.of("Flag__c", "true")))
                .isInstanceOf(DataException.class).hasMessageContaining("Flag__c");
        assertThatThrownBy(() -> schema.afterFromEvent(SAMPLE_ID, Map.of("Amount__c", Double.NaN)))
                .isInstanceOf(DataException.class).hasMessageContaining("Amount__c");
        assertThatThrownBy(() -> schema.afterFromEvent(SAMPLE_ID, Map.of("Text__c", 42)))
                .isInstanceOf(DataException.class).hasMessageContaining("Text__c");
        assertThatThrownBy(() -> schema.afterFromEvent(SAMPLE_ID, Map.of("Address__c", "1 rue")))
                .isInstanceOf(DataException.class).hasMessageContaining("Address__c");
        String longText = "x".repeat(500);
        assertThatThrownBy(() -> schema.afterFromEvent(SAMPLE_ID, Map.of("Due_At__c", longText)))
                .isInstanceOf(DataException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("x".repeat(100) + "...")
                        .doesNotContain("x".repeat(101)));
    }

    @Test
    void aRestBase64ValueIsTheBlobUrlAndIsRefused() throws Exception {
        ObjectSchema schema = schema("Sync_Sample__c", DOUBLES);
        Map<String, Object> record = rest("Sync_Sample__c", "{\"Id\":\"" + SAMPLE_ID + "\",\"Attachment__c\":"
                + "\"/services/data/v61.0/sobjects/Sync_Sample__c/" + SAMPLE_ID + "/Attachment__c\"}");

        assertThatThrownBy(() -> schema.afterFromRecord(record)).isInstanceOf(DataException.class)
                .hasMessageContainingAll("Attachment__c", "blob");
    }

    @Test
    void aRecordWithoutIdIsADataException() {
        ObjectSchema schema = schema("Account", DOUBLES);

        assertThatThrownBy(() -> schema.afterFromRecord(Map.of("Name", "Acme"))).isInstanceOf(DataException.class)
                .hasMessageContaining("Account");
        assertThatThrownBy(() -> schema.key(null)).isInstanceOf(DataException.class);
    }

    @Test
    void aDescribeWithoutFieldsOrIdIsRefused() {
        ObjectNode noId = Describes.JSON.createObjectNode().put("name", "X__c");
        noId.putArray("fields").addObject().put("name", "Name").put("type", "string");

        assertThatThrownBy(() -> ObjectSchema.of(Describes.JSON.createObjectNode(), ALL, DOUBLES, "t.X", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ObjectSchema.of(noId, ALL, DOUBLES, "t.X", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Id");
        assertThatThrownBy(() -> ObjectSchema.of(Describes.of("Account"), ALL, DOUBLES, "t.X", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldsOfNewerOrLooseTypesAreText() {
        ObjectNode describe = Describes.JSON.createObjectNode().put("name", "X__c");
        describe.putArray("fields").add(field("Id", "id")).add(field("Any__c", "anyType"))
                .add(field("Json__c", "json")).add(field("Big__c", "long"));
        ObjectSchema schema = ObjectSchema.of(describe, ALL, DOUBLES, "t.X", 1);

        Struct after = schema.afterFromEvent("a01000000000001AAA", Map.of("Any__c", 12, "Json__c", "{}",
                "Big__c", 12_345_678_901L));
        assertThat(schema.afterSchema().field("Any__c").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(schema.afterSchema().field("Big__c").schema().type()).isEqualTo(Schema.Type.INT64);
        assertThat(after.getString("Any__c")).isEqualTo("12");
        assertThat(after.getInt64("Big__c")).isEqualTo(12_345_678_901L);
    }

    private static JsonNode field(String name, String type) {
        return Describes.JSON.createObjectNode().put("name", name).put("type", type);
    }

    // ------------------------------------------------------------------------------------------ envelope and source

    @Test
    void theSourceBlockRoundTrips() {
        SourceInfo source = SourceInfo.builder("lockstep", "00D000000000001EAA", "Account")
                .tsMs(1_714_156_685_000L).replayId("AAAAAAAAIKs=").changeType("UPDATE")
                .changeOrigin("com/salesforce/api/rest/61.0;client=lockstep").transactionKey("0006-ce66")
                .sequenceNumber(2).commitUser("005000000000001AAA").changedFields(List.of("Phone"))
                .nulledFields(List.of()).complete(false).build();

        Struct struct = source.toStruct();
        struct.validate();

        assertThat(struct.schema()).isSameAs(ObjectSchema.sourceSchema());
        assertThat(struct.getString(Envelope.Source.CONNECTOR)).isEqualTo("salesforce");
        assertThat(struct.getString(Envelope.Source.VERSION)).isEqualTo(dev.lockstep.common.Version.get());
        assertThat(struct.getBoolean(Envelope.Source.COMPLETE)).isFalse();
        assertThat(SourceInfo.fromStruct(struct)).isEqualTo(source);
        SourceInfo snapshot = SourceInfo.builder("lockstep", "00D000000000001EAA", "Account").tsMs(1L)
                .snapshot(Envelope.Source.SNAPSHOT_LAST).build();
        assertThat(SourceInfo.fromStruct(snapshot.toStruct())).isEqualTo(snapshot);
        assertThat(snapshot.toStruct().get(Envelope.Source.CHANGE_TYPE)).isNull();
        assertThat(snapshot.complete()).isTrue();
    }

    @Test
    void theSourceBlockTakesAChangeEventsHeader() {
        ChangeEventHeader header = new ChangeEventHeader("Account", List.of("001000000000001AAA"), "UPDATE",
                "com/salesforce/api/rest/61.0", "0006-ce66", 3, Instant.ofEpochMilli(1_714_156_685_000L), 11L,
                "005000000000001AAA", List.of("Phone"), List.of(), List.of());
        ChangeEvent event = new ChangeEvent("/data/AccountChangeEvent", ReplayId.ofLong(2_142_249L), "schema",
                header, Map.of(), "pubsub");

        SourceInfo source = SourceInfo.builder("lockstep", "00D000000000001EAA", "Account").event(event).build();

        assertThat(source.tsMs()).isEqualTo(1_714_156_685_000L);
        assertThat(source.replayId()).isEqualTo(ReplayId.ofLong(2_142_249L).toBase64());
        assertThat(List.of(source.changeType(), source.changeOrigin(), source.transactionKey(), source.commitUser()))
                .containsExactly("UPDATE", "com/salesforce/api/rest/61.0", "0006-ce66", "005000000000001AAA");
        assertThat(source.sequenceNumber()).isEqualTo(3);
        assertThat(source.snapshot()).isNull();
    }

    @Test
    void envelopesAreDebeziumShaped() {
        ObjectSchema schema = schema("Account", DOUBLES);
        SourceInfo source = SourceInfo.builder("lockstep", "00D000000000001EAA", "Account").tsMs(5L).build();
        Struct after = schema.afterFromEvent("001000000000001AAA", Map.of("Name", "Acme"));

        Struct created = schema.envelope(Envelope.OP_CREATE, after, source, 9L);
        Struct deleted = schema.envelope(Envelope.OP_DELETE, null, source.toStruct(), 9L);
        created.validate();
        deleted.validate();

        assertThat(created.schema()).isSameAs(schema.envelopeSchema());
        assertThat(created.get(Envelope.BEFORE)).isNull();
        assertThat(created.getStruct(Envelope.AFTER)).isEqualTo(after);
        assertThat(created.getString(Envelope.OP)).isEqualTo("c");
        assertThat(created.getInt64(Envelope.TS_MS)).isEqualTo(9L);
        assertThat(SourceInfo.fromStruct(created.getStruct(Envelope.SOURCE))).isEqualTo(source);
        assertThat(deleted.get(Envelope.AFTER)).isNull();
        assertThat(schema.key("001000000000001AAA").getString("Id")).isEqualTo("001000000000001AAA");
        assertThatThrownBy(() -> schema.envelope(Envelope.OP_UPDATE, null, source, 9L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> schema.envelope(Envelope.OP_DELETE, after, source, 9L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> schema.envelope("x", after, source, 9L)).isInstanceOf(IllegalArgumentException.class);
        Struct otherVersion = ObjectSchema.of(Describes.of("Account"), ALL, DOUBLES, "lockstep.Account", 2)
                .afterFromEvent("001000000000001AAA", Map.of());
        assertThatThrownBy(() -> schema.envelope(Envelope.OP_UPDATE, otherVersion, source, 9L))
                .isInstanceOf(DataException.class);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void assertField(Schema after, String name, Schema.Type type, String logicalName,
            boolean optional, Map<String, String> parameters) {
        Field field = after.field(name);
        assertThat(field).as(name).isNotNull();
        Schema s = field.schema();
        assertThat(s.type()).as("type of %s", name).isEqualTo(type);
        assertThat(s.name()).as("logical name of %s", name).isEqualTo(logicalName);
        assertThat(s.isOptional()).as("optional %s", name).isEqualTo(optional);
        assertThat(s.parameters()).as("parameters of %s", name).containsExactlyInAnyOrderEntriesOf(parameters);
    }
}
