package dev.lockstep.salesforce.client.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Safe pieces of SOQL (reference §3): literals with correct quoting and escaping, and checked identifiers, so no
 * value can change a query's meaning. Build a query from identifiers checked by {@link #identifier} and values
 * written by {@link #literal}; never concatenate raw input.
 */
public final class Soql {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*){0,5}");
    private static final DateTimeFormatter DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Soql() {}

    /**
     * A field, object or relationship path ({@code Owner.Name}) after checking it is one.
     *
     * @throws IllegalArgumentException naming the value when it is not a plain identifier
     */
    public static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a SOQL identifier: '" + name + "'");
        }
        return name;
    }

    /**
     * A value as a SOQL literal: strings single-quoted with backslash escapes, numbers and booleans bare, dates
     * ({@code 2024-01-31}) and date-times ({@code 2024-01-31T10:00:00.000Z}) unquoted as SOQL wants them,
     * {@code null} as {@code null}.
     */
    public static String literal(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return value.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("SOQL has no literal for " + d);
            }
            return BigDecimal.valueOf(d).toPlainString();
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof Instant instant) {
            return DATETIME.format(instant);
        }
        return quote(value.toString());
    }

    /** {@code (lit1, lit2, ...)} for {@code IN}; an empty collection is refused, since {@code IN ()} is invalid. */
    public static String list(Collection<?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("SOQL IN needs at least one value");
        }
        return values.stream().map(Soql::literal).collect(Collectors.joining(", ", "(", ")"));
    }

    /** A string in single quotes, with backslash, quotes and control characters escaped. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }
}
