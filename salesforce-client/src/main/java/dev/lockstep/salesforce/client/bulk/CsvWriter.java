package dev.lockstep.salesforce.client.bulk;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes the CSV of an ingest upload (reference §4.1): comma-delimited, LF line endings, UTF-8, every value quoted
 * (so delimiters, quotes and line breaks inside values need no case analysis), quotes doubled. Values are written in
 * the forms Bulk accepts: {@code null} as an empty value (which Bulk leaves alone; write the text {@code #N/A} to
 * clear a field), {@link Instant} as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, {@link LocalTime} as {@code HH:mm:ss.SSSZ},
 * {@link BigDecimal} plain, {@code byte[]} as base64, a {@link Collection} (multi-select picklist) joined with
 * {@code ;}, anything else by {@code toString()}. Not thread-safe.
 */
final class CsvWriter {

    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'", Locale.ROOT);

    private CsvWriter() {}

    /** One row, with its line break, as UTF-8 bytes. */
    static byte[] row(Iterable<?> values) {
        StringBuilder line = new StringBuilder(128);
        boolean first = true;
        for (Object value : values) {
            if (!first) {
                line.append(',');
            }
            first = false;
            if (value != null) {
                line.append('"').append(text(value).replace("\"", "\"\"")).append('"');
            }
        }
        return line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    static String text(Object value) {
        if (value instanceof Instant instant) {
            return DATE_TIME.format(instant);
        }
        if (value instanceof LocalTime time) {
            return TIME.format(time);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.joining(";"));
        }
        return value.toString();
    }
}
