package dev.lockstep.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.org.Values;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The result CSV writer: its fast value formatting agrees with {@code Values.toText}, and its quoting. */
class CsvBufferTest {

    private static String write(Object value) {
        CsvBuffer csv = new CsvBuffer(ColumnDelimiter.COMMA, LineEnding.LF, 1);
        csv.value(value);
        return new String(csv.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void fastDateTimeAndDateFormattingMatchesValuesToText() {
        Random random = new Random(7);
        long min = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        for (int i = 0; i < 20_000; i++) {
            long millis = min + (long) (random.nextDouble() * (max - min));
            Instant instant = Instant.ofEpochMilli(millis);
            assertThat(write(instant)).isEqualTo("\"" + Values.toText(instant) + "\"");
            LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(millis, 86_400_000L));
            assertThat(write(date)).isEqualTo("\"" + Values.toText(date) + "\"");
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2000-02-29T12:00:00Z",
            "2100-03-01T00:00:00.001Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z"}) {
            Instant instant = Instant.parse(edge);
            assertThat(write(instant)).isEqualTo("\"" + Values.toText(instant) + "\"");
        }
    }

    @Test
    void valuesOutsideTheFastPathsFallBackToValuesToText() {
        Instant farFuture = Instant.parse("+12000-01-01T00:00:00Z");
        assertThat(write(farFuture)).isEqualTo("\"" + Values.toText(farFuture) + "\"");
        assertThat(write(LocalTime.of(9, 30))).isEqualTo("\"09:30:00.000Z\"");
        assertThat(write(new byte[] {1, 2, 3})).isEqualTo("\"AQID\"");
    }

    @Test
    void numbersBooleansAndNull() {
        assertThat(write(42)).isEqualTo("\"42\"");
        assertThat(write(-7)).isEqualTo("\"-7\"");
        assertThat(write(new BigDecimal("1E+3"))).isEqualTo("\"1000\"");
        assertThat(write(new BigDecimal("12.50"))).isEqualTo("\"12.50\"");
        assertThat(write(Boolean.TRUE)).isEqualTo("\"true\"");
        assertThat(write(Boolean.FALSE)).isEqualTo("\"false\"");
        assertThat(write(null)).isEmpty();
    }

    @Test
    void textIsQuotedWithQuotesDoubledAndEncodedAsUtf8() {
        String text = "Zoë \"the\" 🚀, naïve\nline\r\n€";
        assertThat(write(text)).isEqualTo("\"Zoë \"\"the\"\" 🚀, naïve\nline\r\n€\"");
        assertThat(write("bad \uD800 surrogate")).isEqualTo("\"bad ? surrogate\"");
    }

    @Test
    void headerNamesAreQuotedOnlyWhenNeededAndRowsUseTheJobsFormat() {
        CsvBuffer csv = new CsvBuffer(ColumnDelimiter.PIPE, LineEnding.CRLF, 1);
        csv.name("Account.External_Id__c").delimiter().name("odd|name").endRow().value("x").delimiter().value(null)
                .endRow();

        assertThat(new String(csv.toByteArray(), StandardCharsets.UTF_8))
                .isEqualTo("Account.External_Id__c|\"odd|name\"\r\n\"x\"|\r\n");
    }
}
