package dev.lockstep.salesforce.client.bulk;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV one row at a time, as Bulk API 2.0 writes it (reference §4.1): UTF-8, any one-character
 * delimiter, LF or CRLF (a lone CR too), values optionally quoted with {@code "}, quotes doubled inside, line
 * breaks allowed inside quotes. Holds one row and a fixed buffer, never the document, so it can read results of any
 * size. Not thread-safe: one reader per stream.
 */
public final class CsvReader implements Closeable {

    private final Reader in;
    private final char delimiter;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder value = new StringBuilder(64);
    private int position;
    private int limit;
    private long rows;
    /** The last row's width, to size the next. */
    private int width = 8;
    /** The value {@link #readPlain} found whole in the buffer, or null when it is in {@link #value}. */
    private String plain;

    public CsvReader(Reader in, char delimiter) {
        this.in = in;
        this.delimiter = delimiter;
    }

    /** A comma-delimited reader of UTF-8 bytes. */
    public static CsvReader utf8(InputStream in) {
        return new CsvReader(new InputStreamReader(in, StandardCharsets.UTF_8), ',');
    }

    /** Rows read so far, the header included. */
    public long rows() {
        return rows;
    }

    /**
     * The next row's values (unquoted; an empty value is {@code ""}), or null at the end of the input. A line with
     * nothing on it is a row of one empty value; the line break after the last row is optional.
     *
     * @throws IOException when reading fails or the input ends inside a quoted value (a cut-off download)
     */
    public List<String> next() throws IOException {
        if (!fill()) {
            return null;
        }
        List<String> row = new ArrayList<>(width);
        while (true) {
            value.setLength(0);
            int c;
            if (buffer[position] == '"') {
                position++;
                readQuoted();
                // Anything between the closing quote and the delimiter is kept, leniently, as Excel does.
                c = readPlain(true);
                row.add(value.toString());
            } else {
                c = readPlain(false);
                row.add(plain != null ? plain : value.toString());
            }
            if (c == delimiter) {
                if (!fill()) {
                    row.add(""); // the input ends right after a delimiter: one more empty value
                    rows++;
                    width = row.size();
                    return row;
                }
                continue;
            }
            if (c == '\r' && fill() && buffer[position] == '\n') {
                position++;
            }
            rows++;
            width = row.size();
            return row;
        }
    }

    /**
     * Reads up to the next delimiter or line break and consumes it, returning it (-1 at the end of the input).
     * Scans the buffer for runs instead of handling one character at a time: unless {@code intoValue}, a value
     * that lies whole in the buffer becomes a String in one copy ({@link #plain}); otherwise its runs are appended
     * to {@link #value}.
     */
    private int readPlain(boolean intoValue) throws IOException {
        plain = null;
        boolean appended = intoValue;
        while (fill()) {
            char[] b = buffer;
            int start = position;
            int end = limit;
            for (int i = start; i < end; i++) {
                char ch = b[i];
                if (ch == delimiter || ch == '\n' || ch == '\r') {
                    if (appended) {
                        value.append(b, start, i - start);
                    } else {
                        plain = new String(b, start, i - start);
                    }
                    position = i + 1;
                    return ch;
                }
            }
            value.append(b, start, end - start);
            appended = true;
            position = end;
        }
        if (!appended) {
            plain = "";
        }
        return -1;
    }

    /** Reads a quoted value's content, after its opening quote, up to and including its closing quote. */
    private void readQuoted() throws IOException {
        while (true) {
            if (!fill()) {
                throw new IOException("CSV input ends inside a quoted value, in row " + (rows + 1)
                        + ": the download was cut off");
            }
            char[] b = buffer;
            int start = position;
            int end = limit;
            int i = start;
            while (i < end && b[i] != '"') {
                i++;
            }
            value.append(b, start, i - start);
            position = i;
            if (i == end) {
                continue;
            }
            position++;
            if (fill() && buffer[position] == '"') {
                position++;
                value.append('"');
            } else {
                return;
            }
        }
    }

    /** True when a character is buffered, reading more if needed. */
    private boolean fill() throws IOException {
        while (position >= limit) {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                return false;
            }
            position = 0;
            limit = n;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
