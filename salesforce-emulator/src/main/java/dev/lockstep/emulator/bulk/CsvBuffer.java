package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.org.Values;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

/**
 * Writes CSV straight into a growable byte array, UTF-8 encoded, for result downloads of up to millions of rows.
 * Values are written as Bulk API 2.0 writes them: quoted, embedded quotes doubled, null as an empty unquoted field,
 * and in {@link Values#toText} form. The common types (text, date-times, dates, numbers, booleans) are formatted
 * here without a formatter or intermediate strings, because a query export formats tens of millions of values.
 */
final class CsvBuffer {

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final byte QUOTE = '"';
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private final byte delimiter;
    private final byte[] lineEnding;
    private byte[] bytes;
    private int length;

    CsvBuffer(ColumnDelimiter delimiter, LineEnding lineEnding, int initialCapacity) {
        this.delimiter = (byte) delimiter.character();
        this.lineEnding = lineEnding.bytes();
        this.bytes = new byte[Math.max(initialCapacity, 64)];
    }

    /** The delimiter between two fields of a row. */
    CsvBuffer delimiter() {
        ensure(1);
        bytes[length++] = delimiter;
        return this;
    }

    /** The end of a row. */
    CsvBuffer endRow() {
        ensure(lineEnding.length);
        for (byte b : lineEnding) {
            bytes[length++] = b;
        }
        return this;
    }

    /** A header name: written as is, quoted only when it holds a delimiter, a quote or a line break. */
    CsvBuffer name(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == delimiter || c == '"' || c == '\n' || c == '\r') {
                return quoted(name);
            }
        }
        ensure(name.length() * 3);
        appendUtf8(name, false);
        return this;
    }

    /** Text enclosed in quotes, embedded quotes doubled. */
    CsvBuffer quoted(String text) {
        ensure(text.length() * 3 + 2);
        bytes[length++] = QUOTE;
        appendUtf8(text, true);
        bytes[length++] = QUOTE;
        return this;
    }

    /** A stored field value in its {@link Values#toText} form, quoted; null is an empty field. */
    CsvBuffer value(Object value) {
        if (value == null) {
            return this;
        }
        if (value instanceof String s) {
            return quoted(s);
        }
        if (value instanceof Instant instant && dateTime(instant)) {
            return this;
        }
        if (value instanceof LocalDate date && date(date)) {
            return this;
        }
        if (value instanceof Boolean b) {
            return ascii(b ? TRUE : FALSE);
        }
        if (value instanceof Integer number) {
            return quotedAscii(Integer.toString(number));
        }
        if (value instanceof BigDecimal number) {
            return quotedAscii(number.toPlainString());
        }
        return quoted(Values.toText(value));
    }

    /** The bytes written so far. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    int size() {
        return length;
    }

    private CsvBuffer ascii(byte[] text) {
        ensure(text.length + 2);
        bytes[length++] = QUOTE;
        System.arraycopy(text, 0, bytes, length, text.length);
        length += text.length;
        bytes[length++] = QUOTE;
        return this;
    }

    private CsvBuffer quotedAscii(String text) {
        ensure(text.length() + 2);
        bytes[length++] = QUOTE;
        for (int i = 0; i < text.length(); i++) {
            bytes[length++] = (byte) text.charAt(i);
        }
        bytes[length++] = QUOTE;
        return this;
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSS+0000}; false (nothing written) outside years 1..9999, left to Values. */
    private boolean dateTime(Instant instant) {
        long millis;
        try {
            millis = instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return false;
        }
        long days = Math.floorDiv(millis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(millis, MILLIS_PER_DAY);
        long civil = civilFromDays(days);
        if (civil < 0) {
            return false;
        }
        ensure(30);
        bytes[length++] = QUOTE;
        writeCivil(civil);
        bytes[length++] = 'T';
        int seconds = millisOfDay / 1000;
        two(seconds / 3600);
        bytes[length++] = ':';
        two(seconds / 60 % 60);
        bytes[length++] = ':';
        two(seconds % 60);
        bytes[length++] = '.';
        int ms = millisOfDay % 1000;
        bytes[length++] = (byte) ('0' + ms / 100);
        two(ms % 100);
        bytes[length++] = '+';
        bytes[length++] = '0';
        bytes[length++] = '0';
        bytes[length++] = '0';
        bytes[length++] = '0';
        bytes[length++] = QUOTE;
        return true;
    }

    /** {@code yyyy-MM-dd}; false outside years 1..9999. */
    private boolean date(LocalDate date) {
        if (date.getYear() < 1 || date.getYear() > 9999) {
            return false;
        }
        ensure(12);
        bytes[length++] = QUOTE;
        writeCivil(((long) date.getYear() << 9) | (date.getMonthValue() << 5) | date.getDayOfMonth());
        bytes[length++] = QUOTE;
        return true;
    }

    /**
     * The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days), packed as
     * {@code year << 9 | month << 5 | day}; -1 outside years 1..9999.
     */
    private static long civilFromDays(long days) {
        long z = days + 719_468;
        long era = (z >= 0 ? z : z - 146_096) / 146_097;
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long monthIndex = (5 * dayOfYear + 2) / 153;
        long day = dayOfYear - (153 * monthIndex + 2) / 5 + 1;
        long month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 1 || year > 9999) {
            return -1;
        }
        return (year << 9) | (month << 5) | day;
    }

    private void writeCivil(long civil) {
        int year = (int) (civil >> 9);
        bytes[length++] = (byte) ('0' + year / 1000);
        bytes[length++] = (byte) ('0' + year / 100 % 10);
        two(year % 100);
        bytes[length++] = '-';
        two((int) (civil >> 5 & 0xF));
        bytes[length++] = '-';
        two((int) (civil & 0x1F));
    }

    private void two(int value) {
        bytes[length++] = (byte) ('0' + value / 10);
        bytes[length++] = (byte) ('0' + value % 10);
    }

    /**
     * UTF-8 of {@code text}, quotes doubled when {@code escapeQuotes}; an unpaired surrogate becomes {@code ?} as
     * {@link String#getBytes} makes it. The caller ensured 3 bytes of room per char (a quote takes 2, a
     * surrogate pair 4 for two chars), plus its own.
     */
    private void appendUtf8(String text, boolean escapeQuotes) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                if (c == '"' && escapeQuotes) {
                    bytes[length++] = QUOTE;
                }
                bytes[length++] = (byte) c;
            } else if (c < 0x800) {
                bytes[length++] = (byte) (0xC0 | c >> 6);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, text.charAt(++i));
                bytes[length++] = (byte) (0xF0 | cp >> 18);
                bytes[length++] = (byte) (0x80 | cp >> 12 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                bytes[length++] = '?';
            } else {
                bytes[length++] = (byte) (0xE0 | c >> 12);
                bytes[length++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[length++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) length + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                if ((long) length + more > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("CSV result larger than 2 GB");
                }
                wanted = Integer.MAX_VALUE - 8;
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
