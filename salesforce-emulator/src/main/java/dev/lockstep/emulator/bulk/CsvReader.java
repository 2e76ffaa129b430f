package dev.lockstep.emulator.bulk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CSV of a Bulk API 2.0 upload (RFC 4180): UTF-8 (a leading byte-order mark is skipped), a header row,
 * fields optionally enclosed in double quotes, embedded quotes doubled, delimiters and line breaks allowed inside
 * quoted fields. The job's {@code lineEnding} is enforced outside quotes as Salesforce enforces it: CRLF rows in an
 * LF job (or bare LF rows in a CRLF job) fail the job with {@code ClientInputError : LineEnding is invalid on user
 * data}. A carriage return not followed by a line feed is data. Blank lines are skipped.
 */
final class CsvReader {

    /** A parsed upload: the header names (trimmed) and the data rows, each as many fields as it had. */
    record Table(List<String> header, List<String[]> rows) {}

    private CsvReader() {}

    static Table parse(byte[] data, ColumnDelimiter delimiter, LineEnding lineEnding) throws CsvException {
        String text = new String(data, StandardCharsets.UTF_8);
        char d = delimiter.character();
        int n = text.length();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        int line = 1;
        List<String[]> records = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        while (i < n) {
            List<String> fields = new ArrayList<>();
            boolean endOfRecord = false;
            while (!endOfRecord) {
                value.setLength(0);
                if (i < n && text.charAt(i) == '"') {
                    int openedAt = line;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new CsvException("ClientInputError : Unable to parse CSV: the quoted field starting"
                                    + " on line " + openedAt + " is never closed");
                        }
                        char c = text.charAt(i);
                        if (c == '"') {
                            if (i + 1 < n && text.charAt(i + 1) == '"') {
                                value.append('"');
                                i += 2;
                                continue;
                            }
                            i++;
                            break;
                        }
                        if (c == '\n') {
                            line++;
                        }
                        value.append(c);
                        i++;
                    }
                    if (i < n && text.charAt(i) != d && !lineBreakAt(text, i)) {
                        throw new CsvException("ClientInputError : Unable to parse CSV: unexpected character '"
                                + text.charAt(i) + "' after a closing quote on line " + line);
                    }
                } else {
                    while (i < n) {
                        char c = text.charAt(i);
                        if (c == d || lineBreakAt(text, i)) {
                            break;
                        }
                        value.append(c);
                        i++;
                    }
                }
                fields.add(value.toString());
                if (i >= n) {
                    endOfRecord = true;
                } else if (text.charAt(i) == d) {
                    i++;
                    if (i >= n) {
                        fields.add("");
                        endOfRecord = true;
                    }
                } else {
                    boolean crlf = text.charAt(i) == '\r';
                    if (crlf != (lineEnding == LineEnding.CRLF)) {
                        throw new CsvException("ClientInputError : LineEnding is invalid on user data. Current"
                                + " LineEnding setting is " + lineEnding.name());
                    }
                    i += crlf ? 2 : 1;
                    line++;
                    endOfRecord = true;
                }
            }
            // A lone empty field is a blank line; in a one-column file it is an empty value, ignored anyway.
            boolean blank = fields.size() == 1 && fields.get(0).isEmpty();
            if (!blank) {
                records.add(fields.toArray(new String[0]));
            }
        }
        if (records.isEmpty()) {
            return new Table(List.of(), List.of());
        }
        List<String> header = new ArrayList<>();
        for (String name : records.get(0)) {
            header.add(name.trim());
        }
        return new Table(header, records.subList(1, records.size()));
    }

    /** A row ends at LF or at CRLF; which of the two the job allows is checked by the caller. */
    private static boolean lineBreakAt(String text, int i) {
        char c = text.charAt(i);
        return c == '\n' || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n');
    }
}
