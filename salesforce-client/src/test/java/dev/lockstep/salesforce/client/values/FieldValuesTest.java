package dev.lockstep.salesforce.client.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every describe type from REST JSON and Bulk CSV text, and the two kinds of error. */
class FieldValuesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FieldValues VALUES = FieldValues.of(describe());

    private static JsonNode describe() {
        ObjectNode describe = JSON.createObjectNode().put("name", "Sample__c");
        ArrayNode fields = describe.putArray("fields");
        String[][] all = {{"Id", "id", "0"}, {"Owner__c", "reference", "0"}, {"Name", "string", "0"},
            {"Status__c", "picklist", "0"}, {"Notes__c", "textarea", "0"}, {"Email__c", "email", "0"},
            {"Phone__c", "phone", "0"}, {"Site__c", "url", "0"}, {"Combo__c", "combobox", "0"},
            {"Secret__c", "encryptedstring", "0"}, {"Flag__c", "boolean", "0"}, {"Quantity__c", "int", "0"},
            {"Ratio__c", "double", "6"}, {"Discount__c", "percent", "2"}, {"Amount__c", "currency", "2"},
            {"Due__c", "date", "0"}, {"At__c", "datetime", "0"}, {"Alarm__c", "time", "0"},
            {"Colors__c", "multipicklist", "0"}, {"Blob__c", "base64", "0"}, {"Address__c", "address", "0"},
            {"Location__c", "location", "0"}, {"Big__c", "long", "0"}, {"Any__c", "anyType", "0"}};
        for (String[] f : all) {
            fields.addObject().put("name", f[0]).put("type", f[1]).put("scale", Integer.parseInt(f[2]));
        }
        return describe;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void textTypesAreStringsFromJsonAndCsv() {
        for (String field : List.of("Id", "Owner__c", "Name", "Status__c", "Notes__c", "Email__c", "Phone__c",
                "Site__c", "Combo__c", "Secret__c", "Any__c")) {
            assertThat(VALUES.fromJson(field, json("\"a;b\\nc\""))).isEqualTo("a;b\nc");
            assertThat(VALUES.fromCsv(field, "a;b\nc")).isEqualTo("a;b\nc");
        }
    }

    @Test
    void nullsAndEmptyCsvValuesAreNull() {
        assertThat(VALUES.fromJson("Amount__c", json("null"))).isNull();
        assertThat(VALUES.fromJson("Amount__c", null)).isNull();
        assertThat(VALUES.fromCsv("Amount__c", "")).isNull();
        assertThat(VALUES.fromCsv("Name", "")).isNull();
        assertThat(VALUES.fromCsv("Flag__c", null)).isNull();
    }

    @Test
    void booleansParseFromJsonAndCsv() {
        assertThat(VALUES.fromJson("Flag__c", json("true"))).isEqualTo(Boolean.TRUE);
        assertThat(VALUES.fromCsv("Flag__c", "false")).isEqualTo(Boolean.FALSE);
        assertThat(VALUES.fromCsv("Flag__c", "TRUE")).isEqualTo(Boolean.TRUE);
    }

    @Test
    void integersAndLongsAreExact() {
        assertThat(VALUES.fromJson("Quantity__c", json("42"))).isEqualTo(42);
        assertThat(VALUES.fromJson("Quantity__c", json("42.0"))).isEqualTo(42);
        assertThat(VALUES.fromCsv("Quantity__c", "-7")).isEqualTo(-7);
        assertThat(VALUES.fromCsv("Big__c", "9007199254740993")).isEqualTo(9007199254740993L);
    }

    @Test
    void decimalsAreBigDecimalsAtTheFieldsScale() {
        assertThat(VALUES.fromJson("Amount__c", json("1234.5"))).isEqualTo(new BigDecimal("1234.50"));
        assertThat(VALUES.fromCsv("Amount__c", "0.125")).isEqualTo(new BigDecimal("0.13"));
        assertThat(VALUES.fromCsv("Discount__c", "12.5")).isEqualTo(new BigDecimal("12.50"));
        assertThat(VALUES.fromJson("Ratio__c", json("0.1"))).isEqualTo(new BigDecimal("0.100000"));
        assertThat(VALUES.fromCsv("Ratio__c", "1E+2")).isEqualTo(new BigDecimal("100.000000"));
    }

    @Test
    void datesAcceptSalesforcesTrailingZ() {
        assertThat(VALUES.fromJson("Due__c", json("\"2024-02-29\""))).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(VALUES.fromCsv("Due__c", "1940-06-07Z")).isEqualTo(LocalDate.of(1940, 6, 7));
    }

    @Test
    void dateTimesParseSalesforcesFormatZuluAndOffsets() {
        Instant expected = Instant.parse("2013-05-20T20:49:32Z");
        assertThat(VALUES.fromJson("At__c", json("\"2013-05-20T20:49:32.000+0000\""))).isEqualTo(expected);
        assertThat(VALUES.fromCsv("At__c", "2013-05-20T20:49:32.000Z")).isEqualTo(expected);
        assertThat(VALUES.fromCsv("At__c", "2013-05-20T20:49:32Z")).isEqualTo(expected);
        assertThat(VALUES.fromCsv("At__c", "2013-05-20T22:49:32.000+02:00")).isEqualTo(expected);
        assertThat(VALUES.fromCsv("At__c", "2013-05-20T15:49:32-0500")).isEqualTo(expected);
        assertThat(VALUES.fromCsv("At__c", "1969-12-31T23:59:59.999+0000"))
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.999Z"));
        assertThat(VALUES.fromCsv("At__c", "2013-05-20T20:49:32.123456Z"))
                .isEqualTo(Instant.parse("2013-05-20T20:49:32.123456Z"));
    }

    @Test
    void timesAreWallClockTimes() {
        assertThat(VALUES.fromJson("Alarm__c", json("\"13:45:00.000Z\""))).isEqualTo(LocalTime.of(13, 45));
        assertThat(VALUES.fromCsv("Alarm__c", "08:05:09.250Z")).isEqualTo(LocalTime.of(8, 5, 9, 250_000_000));
    }

    @Test
    void datesAndTimesOutsideSalesforcesOwnFormsStillParseOrFailAsBefore() {
        assertThat(VALUES.fromCsv("Alarm__c", "08:05Z")).isEqualTo(LocalTime.of(8, 5));
        assertThat(VALUES.fromCsv("Alarm__c", "08:05:09.123456")).isEqualTo(LocalTime.of(8, 5, 9, 123_456_000));
        assertThat(VALUES.fromCsv("Alarm__c", "23:59:59.999")).isEqualTo(LocalTime.of(23, 59, 59, 999_000_000));
        assertThatThrownBy(() -> VALUES.fromCsv("Alarm__c", "24:00:00.000Z")).isInstanceOf(SalesforceException.class);
        assertThatThrownBy(() -> VALUES.fromCsv("Due__c", "2023-02-29")).isInstanceOf(SalesforceException.class);
        assertThatThrownBy(() -> VALUES.fromCsv("Due__c", "2023-0a-01")).isInstanceOf(SalesforceException.class);
        assertThat(VALUES.fromCsv("Due__c", "+12024-01-01")).isEqualTo(LocalDate.of(12024, 1, 1));
    }

    @Test
    void multiPicklistsSplitOnSemicolons() {
        assertThat(VALUES.fromJson("Colors__c", json("\"Red;Blue\""))).isEqualTo(List.of("Red", "Blue"));
        assertThat(VALUES.fromCsv("Colors__c", "Green")).isEqualTo(List.of("Green"));
    }

    @Test
    void base64IsTheBlobUrlInRestAndTheBytesInCsv() {
        String url = "/services/data/v61.0/sobjects/Sample__c/a00000000000001AAA/Blob__c";
        assertThat(VALUES.fromJson("Blob__c", json("\"" + url + "\""))).isEqualTo(url);
        assertThat((byte[]) VALUES.fromCsv("Blob__c", "aMOpbGxv")).isEqualTo("héllo".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void compoundsAreMapsOfTheirComponents() {
        Object address = VALUES.fromJson("Address__c", json("{\"street\":\"1 Main St\",\"city\":\"Paris\","
                + "\"postalCode\":\"75001\",\"countryCode\":\"FR\",\"latitude\":48.86,\"longitude\":null}"));
        @SuppressWarnings("unchecked")
        Map<String, Object> parts = (Map<String, Object>) address;
        assertThat(parts).containsExactly(Map.entry("street", "1 Main St"), Map.entry("city", "Paris"),
                Map.entry("postalCode", "75001"), Map.entry("countryCode", "FR"),
                Map.entry("latitude", new BigDecimal("48.86")), new java.util.AbstractMap.SimpleEntry<>("longitude",
                        null));
        assertThat(VALUES.fromJson("Location__c", json("{\"latitude\":37.794,\"longitude\":-122.395}")))
                .isEqualTo(Map.of("latitude", new BigDecimal("37.794"), "longitude", new BigDecimal("-122.395")));
    }

    @Test
    void fieldNamesMatchCaseInsensitivelyAndRecordsUseTheDescribesSpelling() {
        assertThat(VALUES.fromCsv("amount__C", "1")).isEqualTo(new BigDecimal("1.00"));
        Map<String, Object> record = VALUES.record(json("{\"attributes\":{\"type\":\"Sample__c\"},\"id\":\"x\","
                + "\"Flag__c\":true,\"Owner__r\":{\"Name\":\"Ann\"}}"));
        assertThat(record).containsExactly(Map.entry("Id", "x"), Map.entry("Flag__c", true));
    }

    @Test
    void anUnknownFieldIsFatalAndNamesObjectAndField() {
        SalesforceException e = catchThrowableOfType(SalesforceException.class,
                () -> VALUES.fromCsv("Nope__c", "1"));
        assertThat(e.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(e.errorCode()).isEqualTo(FieldValues.UNKNOWN_FIELD);
        assertThat(e.getMessage()).contains("Sample__c").contains("Nope__c");
    }

    @Test
    void unparsableValuesArePerRecordAndNameObjectFieldAndValue() {
        Object[][] bad = {{"Flag__c", "yes"}, {"Quantity__c", "4.5"}, {"Quantity__c", "99999999999"},
            {"Amount__c", "12,5"}, {"Due__c", "2024-02-30"}, {"At__c", "2013-05-20T20:49:32"},
            {"At__c", "yesterday"}, {"At__c", "2013-13-20T20:49:32.000+0000"}, {"At__c", "2013-02-30T20:49:32.000Z"},
            {"At__c", "2013-05-20T25:49:32.000+0000"}, {"Alarm__c", "25:00:00.000Z"}, {"Blob__c", "%%%"}, {"Address__c", "x"}};
        for (Object[] b : bad) {
            SalesforceException e = catchThrowableOfType(SalesforceException.class,
                    () -> VALUES.fromCsv((String) b[0], (String) b[1]));
            assertThat(e).as("%s = %s", b[0], b[1]).isNotNull();
            assertThat(e.category()).isEqualTo(ErrorCategory.PER_RECORD);
            assertThat(e.errorCode()).isEqualTo(FieldValues.UNPARSABLE_VALUE);
            assertThat(e.getMessage()).contains("Sample__c." + b[0]).contains("\"" + b[1] + "\"");
        }
        SalesforceException json = catchThrowableOfType(SalesforceException.class,
                () -> VALUES.fromJson("Quantity__c", json("\"many\"")));
        assertThat(json.category()).isEqualTo(ErrorCategory.PER_RECORD);
        assertThat(catchThrowableOfType(SalesforceException.class, () -> VALUES.fromJson("Address__c",
                json("\"x\""))).category()).isEqualTo(ErrorCategory.PER_RECORD);
    }

    @Test
    void aLongBadValueIsCutInTheMessage() {
        String value = "x".repeat(500);
        SalesforceException e = catchThrowableOfType(SalesforceException.class,
                () -> VALUES.fromCsv("Amount__c", value));
        assertThat(e.getMessage()).hasSizeLessThan(300);
    }
}
