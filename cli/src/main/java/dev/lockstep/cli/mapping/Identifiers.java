package dev.lockstep.cli.mapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Postgres identifiers as mapping files and the schema management use them: plain lower-case names of at most
 * {@value #MAX_BYTES} bytes, quoted in SQL only where Postgres needs it, and long generated names (indexes)
 * shortened so that Postgres does not truncate them on its own.
 */
public final class Identifiers {

    /** Postgres' identifier limit ({@code NAMEDATALEN - 1}); longer names are silently truncated by Postgres. */
    public static final int MAX_BYTES = 63;

    /** Columns every mapped table has besides the mapped fields; no field may be renamed to one of them. */
    public static final List<String> SYSTEM_COLUMNS = List.of("id", Mapping.SFID, "_hc_lastop", "_hc_err");

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]*");

    /** Salesforce API names of objects and fields: a letter, then letters, digits and underscores. */
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    /**
     * Postgres' reserved key words (including those that may be function or type names), which cannot name a
     * column or table unquoted. From the key-word appendix of the Postgres documentation.
     */
    private static final Set<String> RESERVED = Set.of("all", "analyse", "analyze", "and", "any", "array", "as",
            "asc", "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate", "collation",
            "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
            "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default",
            "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign",
            "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
            "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
            "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
            "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user",
            "similar", "some", "symmetric", "system_user", "table", "tablesample", "then", "to", "trailing", "true",
            "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with");

    private Identifiers() {
    }

    /**
     * Why a name chosen in a mapping file ({@code schema}, {@code table_name}, {@code column_names}) cannot be used
     * as it is, or null when it can: it must be a plain lower-case identifier of at most {@value #MAX_BYTES} bytes
     * that is not reserved, so that applications can write it without quotes.
     */
    public static String problem(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        if (!PLAIN.matcher(name).matches()) {
            return "'" + name + "' is not a plain lower-case Postgres identifier (a-z, 0-9 and _, not starting with"
                    + " a digit)";
        }
        if (bytes(name) > MAX_BYTES) {
            return "'" + name + "' is " + bytes(name) + " bytes long; Postgres identifiers have at most " + MAX_BYTES;
        }
        if (RESERVED.contains(name)) {
            return "'" + name + "' is a reserved word in Postgres";
        }
        return null;
    }

    /** Whether a name is a Salesforce API name (object or field) as a mapping file may write it. */
    public static boolean isApiName(String name) {
        return API_NAME.matcher(name).matches();
    }

    /** The name as written in SQL: as it is when Postgres reads it unquoted as itself, else double-quoted. */
    public static String quote(String name) {
        if (PLAIN.matcher(name).matches() && !RESERVED.contains(name)) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code schema.name}, each part quoted where needed. */
    public static String qualified(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    /**
     * A generated name (index, constraint) that fits Postgres' limit: unchanged when it fits, else cut to leave
     * room for {@code _} and the first 8 hex digits of the full name's SHA-256, so two long names that share their
     * beginning still differ, and the same long name always gives the same short one.
     */
    public static String shorten(String name) {
        if (bytes(name) <= MAX_BYTES) {
            return name;
        }
        String suffix = "_" + sha256(name).substring(0, 8);
        StringBuilder kept = new StringBuilder();
        int budget = MAX_BYTES - suffix.length();
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            String character = new String(Character.toChars(codePoint));
            if (bytes(kept.toString()) + bytes(character) > budget) {
                break;
            }
            kept.append(character);
            i += Character.charCount(codePoint);
        }
        return kept + suffix;
    }

    /**
     * The name Postgres itself gives a generated object such as the sequence of a {@code serial} column
     * ({@code <table>_<column>_seq}): when too long, the longer of the two parts loses characters first, as
     * Postgres' {@code makeObjectName} does (names are ASCII here, as {@link #problem(String)} requires).
     */
    public static String postgresName(String table, String column, String label) {
        int available = MAX_BYTES - label.length() - 2;
        int tableChars = table.length();
        int columnChars = column.length();
        while (tableChars + columnChars > available) {
            if (tableChars > columnChars) {
                tableChars--;
            } else {
                columnChars--;
            }
        }
        return table.substring(0, tableChars) + "_" + column.substring(0, columnChars) + "_" + label;
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
