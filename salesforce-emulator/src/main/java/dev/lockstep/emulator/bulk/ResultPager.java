package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.query.QueryResult;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Cuts a query job's result rows into the CSV chunks of {@code GET .../jobs/query/{id}/results}. A chunk is made
 * when asked for, from the rows kept since the query ran; nothing is rendered ahead.
 * <p>
 * A locator names the row a chunk starts at. Salesforce's locators are opaque, base64-looking and pseudo-random
 * ({@code MTAwMDA} in its documentation is base64 of "10000"); here a locator is the unpadded URL-safe base64 of
 * the row offset, so the documented example means the same thing, a locator can be fetched again as long as the job
 * exists, and it never needs URL-encoding (clients such as jsforce put it in the URL as is). The last chunk's
 * {@code Sforce-Locator} is the literal string {@code null}.
 * <p>
 * Without {@code maxRecords} a chunk holds {@value #DEFAULT_MAX_RECORDS} rows: Salesforce picks the size itself;
 * this one keeps a chunk of typical rows around 10 to 30 MB, so a million-row export takes ten requests.
 */
final class ResultPager {

    /** Rows per chunk when the client does not send {@code maxRecords}. */
    static final int DEFAULT_MAX_RECORDS = 100_000;

    /** The literal {@code Sforce-Locator} of the last chunk. */
    static final String NO_MORE = "null";

    /** One chunk: its CSV, its row count ({@code Sforce-NumberOfRecords}) and the next locator or {@code null}. */
    record Page(byte[] csv, int numberOfRecords, String nextLocator) {}

    private ResultPager() {}

    /**
     * The chunk {@code locator} names (the first when null or empty) of at most {@code maxRecords} rows (the default
     * when null).
     *
     * @throws OrgException 400 for a locator that names no chunk of these rows or a maxRecords below 1
     */
    static Page page(QueryResult result, String locator, String maxRecords, ColumnDelimiter delimiter,
            LineEnding lineEnding) {
        List<Object[]> rows = result.rows();
        int from = locator == null || locator.isEmpty() ? 0 : decode(locator, rows.size());
        int size = maxRecords == null || maxRecords.isEmpty() ? DEFAULT_MAX_RECORDS : parseMaxRecords(maxRecords);
        int to = (int) Math.min(rows.size(), (long) from + size);
        List<String> columns = result.columns();
        int width = columns.size();
        CsvBuffer csv = new CsvBuffer(delimiter, lineEnding, estimate(to - from, width));
        for (int c = 0; c < width; c++) {
            if (c > 0) {
                csv.delimiter();
            }
            csv.quoted(columns.get(c));
        }
        csv.endRow();
        for (int r = from; r < to; r++) {
            Object[] row = rows.get(r);
            for (int c = 0; c < width; c++) {
                if (c > 0) {
                    csv.delimiter();
                }
                csv.value(row[c]);
            }
            csv.endRow();
        }
        return new Page(csv.toByteArray(), to - from, to < rows.size() ? encode(to) : NO_MORE);
    }

    /** The locator of the chunk starting at row {@code offset}. */
    static String encode(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Integer.toString(offset).getBytes(StandardCharsets.US_ASCII));
    }

    /** The row a locator starts at: within (0, rowCount], as only {@link #encode} makes them. */
    static int decode(String locator, int rowCount) {
        int offset;
        try {
            String text = new String(Base64.getUrlDecoder().decode(locator), StandardCharsets.US_ASCII);
            offset = Integer.parseInt(text);
        } catch (IllegalArgumentException e) {
            throw invalidLocator(locator);
        }
        if (offset <= 0 || offset > rowCount || !encode(offset).equals(locator)) {
            throw invalidLocator(locator);
        }
        return offset;
    }

    private static int parseMaxRecords(String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below, as for a number out of range
        }
        throw BulkErrors.apiError(400, "maxRecords must be a whole number of at least 1, was: " + text);
    }

    private static OrgException invalidLocator(String locator) {
        return new OrgException(400, "INVALID_QUERY_LOCATOR", "Invalid locator: " + locator);
    }

    /** A first guess of the chunk's size, so that the buffer rarely grows: ~24 bytes a value. */
    private static int estimate(int rows, int width) {
        return (int) Math.min(1L << 30, 256 + (long) rows * Math.max(width, 1) * 24);
    }
}
