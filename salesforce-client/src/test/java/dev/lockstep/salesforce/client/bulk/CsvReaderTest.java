package dev.lockstep.salesforce.client.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 as Bulk API 2.0 writes it, read row by row; and the writer's side of the same rules. */
class CsvReaderTest {

    private static List<List<String>> read(String csv) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (CsvReader reader = CsvReader.utf8(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)))) {
            for (List<String> row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void readsQuotedAndUnquotedValuesWithDoubledQuotesAndEmbeddedDelimiters() throws IOException {
        assertThat(read("\"Id\",\"Name\"\n\"001\",\"Acme, \"\"The\"\" Co\"\n002,plain\n")).containsExactly(
                List.of("Id", "Name"), List.of("001", "Acme, \"The\" Co"), List.of("002", "plain"));
    }

    @Test
    void keepsLineBreaksInsideQuotesAndAcceptsCrlfAndNoFinalLineBreak() throws IOException {
        assertThat(read("a,b\r\n\"line 1\r\nline 2\nline 3\",x\r\n\"\",\r\nlast,row")).containsExactly(
                List.of("a", "b"), List.of("line 1\r\nline 2\nline 3", "x"), List.of("", ""), List.of("last", "row"));
    }

    @Test
    void decodesUtf8AcrossBufferBoundaries() throws IOException {
        String long1 = "é€😀".repeat(40_000);
        assertThat(read("v\n\"" + long1 + "\"\nnaïve\n")).containsExactly(List.of("v"), List.of(long1),
                List.of("naïve"));
    }

    @Test
    void readsTheSameRowsWhateverTheReadsBoundaries() throws IOException {
        String csv = "a,b,c\r\n\"q \"\"x\"\"\",plain value,\"\"\n\"\"after,,\"multi\r\nline\"\rlone cr,z,\n"
                + "\"quoted\"tail,\"\"\"\",end,";
        List<List<String>> expected = List.of(List.of("a", "b", "c"), List.of("q \"x\"", "plain value", ""),
                List.of("after", "", "multi\r\nline"), List.of("lone cr", "z", ""),
                List.of("quotedtail", "\"", "end", ""));
        for (int step = 1; step <= 7; step++) {
            int max = step;
            // A reader that hands out at most `max` characters a call, so every value straddles buffer refills.
            java.io.Reader trickle = new java.io.FilterReader(new StringReader(csv)) {
                @Override
                public int read(char[] cbuf, int off, int len) throws IOException {
                    return super.read(cbuf, off, Math.min(len, max));
                }
            };
            List<List<String>> rows = new ArrayList<>();
            try (CsvReader reader = new CsvReader(trickle, ',')) {
                for (List<String> row = reader.next(); row != null; row = reader.next()) {
                    rows.add(row);
                }
            }
            assertThat(rows).as("reads of at most %d characters", max).isEqualTo(expected);
        }
        assertThat(read(csv)).isEqualTo(expected);
    }

    @Test
    void readsOtherDelimitersAndCountsRows() throws IOException {
        CsvReader reader = new CsvReader(new StringReader("a|b\n1|\"x|y\"\n"), '|');
        assertThat(reader.next()).containsExactly("a", "b");
        assertThat(reader.next()).containsExactly("1", "x|y");
        assertThat(reader.next()).isNull();
        assertThat(reader.rows()).isEqualTo(2);
    }

    @Test
    void anInputCutOffInsideQuotesIsAnError() {
        assertThatThrownBy(() -> read("a\n\"never closed\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("row 2");
    }

    @Test
    void theWriterQuotesEverythingAndWritesNullAsEmpty() throws IOException {
        byte[] row = CsvWriter.row(java.util.Arrays.asList("say \"hi\"", null, List.of("Red", "Blue"),
                new java.math.BigDecimal("1E+3"), java.time.Instant.parse("2024-01-02T03:04:05Z"),
                java.time.LocalTime.of(13, 45), "multi\nline"));
        String text = new String(row, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("\"say \"\"hi\"\"\",,\"Red;Blue\",\"1000\",\"2024-01-02T03:04:05.000Z\","
                + "\"13:45:00.000Z\",\"multi\nline\"\n");
        assertThat(read(text)).containsExactly(List.of("say \"hi\"", "", "Red;Blue", "1000",
                "2024-01-02T03:04:05.000Z", "13:45:00.000Z", "multi\nline"));
    }
}
