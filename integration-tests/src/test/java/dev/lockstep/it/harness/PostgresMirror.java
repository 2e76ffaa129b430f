package dev.lockstep.it.harness;

import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.reconcile.ValueComparison;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mapped Postgres table read back and compared with the emulator's records, as a user migrating from Heroku
 * Connect would check it: field by field, row counts, duplicate {@code sfid}s and child rows whose parent row is
 * missing. What counts as equal (datetimes within 1 s, numbers as numbers, text byte-exact) and how columns are
 * read ({@code timestamp} as UTC wall-clock time, whatever the JVM's zone) is {@link ValueComparison}, the definition
 * {@code lockstep reconcile} uses.
 */
public final class PostgresMirror {

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
                row.put(meta.getColumnLabel(i), ValueComparison.postgresValue(rs, i, meta.getColumnTypeName(i)));
            }
            rows.put((String) row.get(Mapping.SFID), row);
        }
        return rows;
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
                } else if (!ValueComparison.same(expected, actual)) {
                    differences.add(mapping.objectName() + " " + record.getKey() + " " + field + ": Salesforce "
                            + ValueComparison.show(expected) + ", " + column + " " + ValueComparison.show(actual));
                }
            }
        }
        return differences;
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
