package dev.lockstep.it.harness;

import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.common.SchemaStyle;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A mapped Postgres table read back and compared with the emulator's records, as a user migrating from Heroku
 * Connect would check it: field by field (datetimes within 1 s, currency to its scale, text byte-exact), row counts,
 * duplicate {@code sfid}s and child rows whose parent row is missing.
 *
 * <p>Values are read with their Postgres types and normalised to the emulator's Java types: {@code timestamp}
 * columns are read as UTC wall-clock time (Heroku Connect's convention), whatever the JVM's zone.
 */
public final class PostgresMirror {

    private static final Duration DATETIME_TOLERANCE = Duration.ofSeconds(1);

    private final PostgresExtension postgres;

    public PostgresMirror(PostgresExtension postgres) {
        this.postgres = postgres;
    }

    /** Every row of a mapping's table: sfid → column → value (normalised). Soft-deleted rows included. */
    public Map<String, Map<String, Object>> rows(Mapping mapping) throws SQLException {
        try (Connection c = postgres.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + mapping.qualifiedTable() + " ORDER BY sfid")) {
            return rows(rs);
        }
    }

    /** The rows of these sfids only (those that have one), as {@link #rows(Mapping)} reads them. */
    public Map<String, Map<String, Object>> rows(Mapping mapping, Collection<String> sfids) throws SQLException {
        try (Connection c = postgres.connection(); PreparedStatement s = c.prepareStatement("SELECT * FROM "
                + mapping.qualifiedTable() + " WHERE " + Mapping.SFID + " = ANY (?) ORDER BY " + Mapping.SFID)) {
            s.setArray(1, c.createArrayOf("varchar", sfids.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                return rows(rs);
            }
        }
    }

    private static Map<String, Map<String, Object>> rows(ResultSet rs) throws SQLException {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
            Map<String, Object> row = new HashMap<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                row.put(meta.getColumnLabel(i), read(rs, i, meta.getColumnTypeName(i)));
            }
            rows.put((String) row.get(Mapping.SFID), row);
        }
        return rows;
    }

    private static Object read(ResultSet rs, int i, String type) throws SQLException {
        return switch (type) {
            case "timestamp" -> {
                LocalDateTime t = rs.getObject(i, LocalDateTime.class);
                yield t == null ? null : t.toInstant(ZoneOffset.UTC);
            }
            case "timestamptz" -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                yield t == null ? null : t.toInstant();
            }
            case "date" -> rs.getObject(i, LocalDate.class);
            case "time" -> rs.getObject(i, LocalTime.class);
            case "_text" -> {
                Array a = rs.getArray(i);
                yield a == null ? null : Arrays.asList((Object[]) a.getArray());
            }
            default -> rs.getObject(i);
        };
    }

    /**
     * The differences between the live Salesforce records and the table's rows that are not soft-deleted, for the
     * given fields, one line each; empty when they agree.
     */
    public List<String> differencesFrom(Mapping mapping, Map<String, Map<String, Object>> records, List<String> fields)
            throws SQLException {
        Map<String, Map<String, Object>> rows = rows(mapping);
        rows.values().removeIf(row -> Boolean.TRUE.equals(row.get("isdeleted")));
        List<String> differences = differences(mapping, records, rows, fields);
        for (String sfid : rows.keySet()) {
            if (!records.containsKey(sfid)) {
                differences.add(mapping.qualifiedTable() + " row " + sfid + " is not a live " + mapping.objectName());
            }
        }
        return differences;
    }

    /**
     * The differences between some live Salesforce records (e.g. a sample of a large object) and their rows, for the
     * given fields, one line each; rows of other records are not read.
     */
    public List<String> differencesIn(Mapping mapping, Map<String, Map<String, Object>> records, List<String> fields)
            throws SQLException {
        Map<String, Map<String, Object>> rows = rows(mapping, records.keySet());
        rows.values().removeIf(row -> Boolean.TRUE.equals(row.get("isdeleted")));
        return differences(mapping, records, rows, fields);
    }

    private static List<String> differences(Mapping mapping, Map<String, Map<String, Object>> records,
            Map<String, Map<String, Object>> rows, List<String> fields) {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> record : records.entrySet()) {
            Map<String, Object> row = rows.get(record.getKey());
            if (row == null) {
                differences.add(mapping.objectName() + " " + record.getKey() + ": no row in " + mapping.qualifiedTable());
                continue;
            }
            for (String field : fields) {
                String column = mapping.column(field);
                Object expected = record.getValue().get(field);
                Object actual = row.get(column);
                if (!row.containsKey(column)) {
                    differences.add(mapping.qualifiedTable() + " has no column " + column);
                } else if (!same(expected, actual, mapping.schemaStyle())) {
                    differences.add(mapping.objectName() + " " + record.getKey() + " " + field + ": Salesforce "
                            + show(expected) + ", " + column + " " + show(actual));
                }
            }
        }
        return differences;
    }

    static boolean same(Object expected, Object actual, SchemaStyle style) {
        if (expected == null || actual == null) {
            return expected == null && actual == null;
        }
        if (expected instanceof BigDecimal d) {
            if (actual instanceof BigDecimal a) {
                return d.compareTo(a) == 0;
            }
            return actual instanceof Number n && d.doubleValue() == n.doubleValue();
        }
        if (expected instanceof Instant t) {
            return actual instanceof Instant a && Duration.between(t, a).abs().compareTo(DATETIME_TOLERANCE) <= 0;
        }
        if (expected instanceof LocalTime t) {
            return actual instanceof LocalTime a && Duration.between(t, a).abs().compareTo(DATETIME_TOLERANCE) <= 0;
        }
        if (expected instanceof byte[] b) {
            if (actual instanceof byte[] a) {
                return Arrays.equals(b, a);
            }
            return Base64.getEncoder().encodeToString(b).equals(actual);
        }
        if (expected instanceof String s && actual instanceof List<?> list) {
            return Arrays.asList(s.split(";")).equals(list);
        }
        if (expected instanceof String s && actual instanceof String a) {
            return Arrays.equals(s.getBytes(StandardCharsets.UTF_8), a.getBytes(StandardCharsets.UTF_8));
        }
        return Objects.equals(expected, actual);
    }

    private static String show(Object value) {
        if (value instanceof byte[] b) {
            return "bytes" + Arrays.toString(b);
        }
        return value == null ? "null" : value + " (" + value.getClass().getSimpleName() + ")";
    }

    /** Live (not soft-deleted) rows of a mapping's table. */
    public long liveRows(Mapping mapping) throws SQLException {
        String where = hasColumn(mapping, "isdeleted") ? " WHERE isdeleted IS NOT TRUE" : "";
        return count("SELECT count(*) FROM " + mapping.qualifiedTable() + where);
    }

    /** The sfids that appear on more than one row. */
    public List<String> duplicateSfids(Mapping mapping) throws SQLException {
        List<String> duplicates = new ArrayList<>();
        for (Map<String, Object> row : postgres.query("SELECT sfid FROM " + mapping.qualifiedTable()
                + " GROUP BY sfid HAVING count(*) > 1")) {
            duplicates.add((String) row.get("sfid"));
        }
        return duplicates;
    }

    /**
     * Child rows whose reference column names a parent that has no row, e.g. {@code SELECT c.sfid FROM
     * salesforce.contact c LEFT JOIN salesforce.account a ON c.accountid = a.sfid WHERE c.accountid IS NOT NULL AND
     * a.sfid IS NULL}.
     */
    public List<String> orphans(Mapping child, String referenceField, Mapping parent) throws SQLException {
        String column = child.column(referenceField);
        List<String> orphans = new ArrayList<>();
        for (Map<String, Object> row : postgres.query("SELECT c.sfid FROM " + child.qualifiedTable() + " c LEFT JOIN "
                + parent.qualifiedTable() + " p ON c." + column + " = p.sfid WHERE c." + column
                + " IS NOT NULL AND p.sfid IS NULL")) {
            orphans.add((String) row.get("sfid"));
        }
        return orphans;
    }

    private boolean hasColumn(Mapping mapping, String column) throws SQLException {
        return count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" + mapping.schema()
                + "' AND table_name = '" + mapping.table() + "' AND column_name = '" + column + "'") > 0;
    }

    private long count(String sql) throws SQLException {
        return ((Number) postgres.query(sql).get(0).values().iterator().next()).longValue();
    }

    /** The columns of a table with their types as Postgres prints them ({@code format_type}), in column order. */
    public Map<String, String> columns(String schema, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        for (Map<String, Object> row : postgres.query("SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type"
                + " FROM pg_attribute a WHERE a.attrelid = '" + schema + "." + table + "'::regclass"
                + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            columns.put((String) row.get("attname"), (String) row.get("type"));
        }
        return columns;
    }
}
