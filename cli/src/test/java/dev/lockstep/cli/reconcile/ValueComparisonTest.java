package dev.lockstep.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueComparisonTest {

    private static final Instant T = Instant.parse("2026-03-04T10:15:30.250Z");

    @Test
    void dateTimesWithinOneSecondAreTheSame() {
        assertThat(ValueComparison.same(T, T.plusMillis(999))).isTrue();
        assertThat(ValueComparison.same(T, T.minusSeconds(1))).isTrue();
        assertThat(ValueComparison.same(T, T.plusMillis(1001))).isFalse();
        assertThat(ValueComparison.same(LocalTime.of(9, 0), LocalTime.of(9, 0, 1))).isTrue();
        assertThat(ValueComparison.same(LocalTime.of(9, 0), LocalTime.of(9, 0, 2))).isFalse();
    }

    @Test
    void numbersAreComparedAsNumbers() {
        // A Heroku Connect double precision column holding a currency read at scale 2.
        assertThat(ValueComparison.same(new BigDecimal("0.30"), 0.3)).isTrue();
        assertThat(ValueComparison.same(new BigDecimal("10.25"), 10.25)).isTrue();
        assertThat(ValueComparison.same(new BigDecimal("10.25"), 10.26)).isFalse();
        assertThat(ValueComparison.same(new BigDecimal("1002"), 1002.26)).as("below the field's scale").isFalse();
        // A native numeric(p,s) column.
        assertThat(ValueComparison.same(new BigDecimal("10.25"), new BigDecimal("10.250"))).isTrue();
        assertThat(ValueComparison.same(new BigDecimal("71.75"), new BigDecimal("71.7"))).isFalse();
        assertThat(ValueComparison.same(7, 7L)).isTrue();
        assertThat(ValueComparison.same(new BigDecimal("7"), 7)).isTrue();
        assertThat(ValueComparison.same(7, 8)).isFalse();
    }

    @Test
    void textIsComparedByteForByte() {
        assertThat(ValueComparison.same("Zoë", "Zoë")).isTrue();
        // The same letter written with a combining accent is other bytes.
        assertThat(ValueComparison.same("Zoë", "Zoe\u0308")).isFalse();
        assertThat(ValueComparison.same("a ", "a")).isFalse();
        assertThat(ValueComparison.same("", null)).isFalse();
    }

    @Test
    void blobsEqualTheirBytesOrTheirBase64Text() {
        byte[] bytes = "%PDF-1.7".getBytes(StandardCharsets.US_ASCII);
        assertThat(ValueComparison.same(bytes, bytes.clone())).isTrue();
        assertThat(ValueComparison.same(bytes, Base64.getEncoder().encodeToString(bytes))).isTrue();
        assertThat(ValueComparison.same(bytes, "JVBERi0xLjY=")).isFalse();
    }

    @Test
    void multiSelectPicklistsAreTheSameListWhateverTheirForm() {
        assertThat(ValueComparison.same(List.of("Gold", "Silver"), "Gold;Silver")).isTrue();
        assertThat(ValueComparison.same("Gold;Silver", List.of("Gold", "Silver"))).isTrue();
        assertThat(ValueComparison.same(List.of("Gold", "Silver"), List.of("Gold", "Silver"))).isTrue();
        assertThat(ValueComparison.same(List.of("Gold", "Silver"), "Silver;Gold")).isFalse();
    }

    @Test
    void nullEqualsOnlyNullAndOtherTypesByEquals() {
        assertThat(ValueComparison.same(null, null)).isTrue();
        assertThat(ValueComparison.same(null, "x")).isFalse();
        assertThat(ValueComparison.same(Boolean.TRUE, Boolean.TRUE)).isTrue();
        assertThat(ValueComparison.same(Boolean.TRUE, Boolean.FALSE)).isFalse();
        assertThat(ValueComparison.same(LocalDate.of(2026, 1, 31), LocalDate.of(2026, 1, 31))).isTrue();
        assertThat(ValueComparison.same(T, T.toString())).isFalse();
    }

    @Test
    void reportsShowTextQuotedAndCutAndBlobsBySize() {
        assertThat(ValueComparison.show("a \"b\"\n")).isEqualTo("\"a \\\"b\\\"\\n\"");
        assertThat(ValueComparison.show("x".repeat(100))).startsWith("\"xxx").endsWith("...\"").hasSize(85);
        assertThat(ValueComparison.show(new byte[] {1, 2, 3})).isEqualTo("3 bytes (base64 AQID)");
        assertThat(ValueComparison.show(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(ValueComparison.show(null)).isEqualTo("null");
        assertThat(ValueComparison.show(T)).isEqualTo("2026-03-04T10:15:30.250Z");
    }
}
