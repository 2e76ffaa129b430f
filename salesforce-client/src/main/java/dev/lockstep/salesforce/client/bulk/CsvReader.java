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
        List<String> row = new ArrayList<>();
        while (true) {
            value.setLength(0);
            int c = read();
            if (c == '"') {
                readQuoted();
                c = read();
                // Anything between the closing quote and the delimiter is kept, leniently, as Excel does.
                while (c != -1 && c != delimiter && c != '\n' && c != '\r') {
                    value.append((char) c);
                    c = read();
                }
            } else {
                while (c != -1 && c != delimiter && c != '\n' && c != '\r') {
                    value.append((char) c);
                    c = read();
                }
            }
            row.add(value.toString());
            if (c == delimiter) {
                continue;
            }
            if (c == '\r' && fill() && buffer[position] == '\n') {
                position++;
            }
            rows++;
            return row;
        }
    }

    private void readQuoted() throws IOException {
        while (true) {
            int c = read();
            if (c == -1) {
                throw new IOException("CSV input ends inside a quoted value, in row " + (rows + 1)
                        + ": the download was cut off");
            }
            if (c == '"') {
                if (fill() && buffer[position] == '"') {
                    position++;
                    value.append('"');
                } else {
                    return;
                }
            } else {
                value.append((char) c);
            }
        }
    }

    private int read() throws IOException {
        return fill() ? buffer[position++] : -1;
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
