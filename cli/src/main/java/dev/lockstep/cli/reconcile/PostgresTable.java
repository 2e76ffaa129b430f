package dev.lockstep.cli.reconcile;

import dev.lockstep.cli.mapping.Identifiers;
import dev.lockstep.cli.mapping.Mapping;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The Postgres table of one mapping, read for a comparison: its rows in {@code sfid} order (byte order, the order
 * Salesforce's {@code ORDER BY Id} gives), streamed through a cursor so a table of any size takes little memory, and
 * the checks that are plain SQL (rows without {@code sfid}, duplicate {@code sfid}s, child rows without their parent
 * row). Needs a connection with auto-commit off, or the driver reads a whole result into memory.
 */
public final class PostgresTable {

    /** {@code isdeleted}: a soft-deleted row (Heroku Connect's delete). */
    public static final String IS_DELETED = "isdeleted";

    private static final int FETCH_SIZE = 1_000;

    private final Connection connection;
    private final Mapping mapping;
    private final Map<String, String> columnTypes;

    private PostgresTable(Connection connection, Mapping mapping, Map<String, String> columnTypes) {
        this.connection = connection;
        this.mapping = mapping;
        this.columnTypes = columnTypes;
    }

    /**
     * The table of a mapping, with its columns as the catalog has them; null when there is no such table.
     */
    public static PostgresTable open(Connection connection, Mapping mapping) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT column_name, udt_name FROM "
                + "information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            s.setString(1, mapping.schema());
            s.setString(2, mapping.table());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns.isEmpty() ? null : new PostgresTable(connection, mapping, columns);
    }

    public Mapping mapping() {
        return mapping;
    }

    /** {@code schema.table} as written in SQL. */
    public String sqlName() {
        return Identifiers.qualified(mapping.schema(), mapping.table());
    }

    public boolean hasColumn(String column) {
        return columnTypes.containsKey(column);
    }

    /** The column's type as {@code information_schema.columns.udt_name} has it ({@code timestamp}, ...), or null. */
    public String columnType(String column) {
        return columnTypes.get(column);
    }

    /** Whether rows are soft-deleted ({@code isdeleted}); tables of objects without IsDeleted have none. */
    public boolean softDeletes() {
        return hasColumn(IS_DELETED);
    }

    /**
     * One row: its {@code sfid}, whether it is soft-deleted, and the values of the requested columns, in the order
     * asked for, read as {@link ValueComparison#postgresValue} reads them.
     */
    public record Row(String sfid, boolean deleted, List<Object> values) {
    }

    /** Rows in {@code sfid} order, closed by the caller. */
    public interface Rows extends Iterator<Row>, AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    /**
     * The rows that have an {@code sfid}, in byte order of {@code sfid}, with the values of {@code columns} (every
     * one must exist).
     *
     * @param onlySfids when not null, only these rows
     */
    public Rows rows(List<String> columns, Collection<String> onlySfids) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT sfid, ")
                .append(softDeletes() ? IS_DELETED : "false")
                .append(" AS lockstep_deleted");
        for (String column : columns) {
            if (!hasColumn(column)) {
                throw new IllegalArgumentException(sqlName() + " has no column " + column);
            }
            sql.append(", ").append(Identifiers.quote(column));
        }
        sql.append(" FROM ").append(sqlName()).append(" WHERE sfid IS NOT NULL");
        if (onlySfids != null) {
            sql.append(" AND sfid = ANY (?)");
        }
        sql.append(" ORDER BY sfid COLLATE \"C\"");
        PreparedStatement statement = connection.prepareStatement(sql.toString());
        try {
            statement.setFetchSize(FETCH_SIZE);
            if (onlySfids != null) {
                statement.setArray(1, connection.createArrayOf("varchar", onlySfids.toArray()));
            }
            return new RowCursor(statement, statement.executeQuery(), columns.size());
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /** Reads one row ahead, so {@link #hasNext} can be asked any number of times. */
    private static final class RowCursor implements Rows {

        private final Statement statement;
        private final ResultSet rs;
        private final int width;
        private final String[] types;
        private Row next;
        private boolean done;

        RowCursor(Statement statement, ResultSet rs, int width) throws SQLException {
            this.statement = statement;
            this.rs = rs;
            this.width = width;
            ResultSetMetaData meta = rs.getMetaData();
            this.types = new String[width];
            for (int i = 0; i < width; i++) {
                types[i] = meta.getColumnTypeName(i + 3);
            }
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    if (rs.next()) {
                        List<Object> values = new ArrayList<>(width);
                        for (int i = 0; i < width; i++) {
                            values.add(ValueComparison.postgresValue(rs, i + 3, types[i]));
                        }
                        next = new Row(rs.getString(1), rs.getBoolean(2), values);
                    } else {
                        done = true;
                    }
                } catch (SQLException e) {
                    throw new PostgresReadException(e);
                }
            }
            return next != null;
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Row row = next;
            next = null;
            return row;
        }

        @Override
        public void close() throws SQLException {
            statement.close();
        }
    }

    /** A failure while streaming rows, carrying the driver's exception. */
    public static final class PostgresReadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PostgresReadException(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }

    /** Rows an application wrote that have no {@code sfid} (in a read-write mapping: not sent to Salesforce yet). */
    public long rowsWithoutSfid() throws SQLException {
        return count("SELECT count(*) FROM " + sqlName() + " WHERE sfid IS NULL");
    }

    /** An {@code sfid} held by more than one row. */
    public record Duplicate(String sfid, long rows) {
    }

    /** The {@code sfid}s held by more than one row, at most {@code limit} of them, and how many there are in all. */
    public Found<Duplicate> duplicates(int limit) throws SQLException {
        String groups = "SELECT sfid, count(*) AS n FROM " + sqlName() + " WHERE sfid IS NOT NULL GROUP BY sfid"
                + " HAVING count(*) > 1";
        List<Duplicate> duplicates = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(groups + " ORDER BY sfid COLLATE \"C\" LIMIT " + limit)) {
            while (rs.next()) {
                duplicates.add(new Duplicate(rs.getString(1), rs.getLong(2)));
            }
        }
        long total = duplicates.size() < limit ? duplicates.size() : count("SELECT count(*) FROM (" + groups + ") d");
        return new Found<>(total, duplicates);
    }

    /** A live row whose reference column names a parent that has no row in the parent's table. */
    public record Orphan(String sfid, String field, String column, String parentObject, String parentTable,
            String parentId) {
    }

    /**
     * Live rows whose {@code column} names a record of the parent mapping's object that has no row in its table, e.g.
     * contacts whose {@code accountid} has no row in {@code salesforce.account}.
     *
     * @param keyPrefix when the reference can point at several objects, the parent object's Id prefix (only Ids
     *     with it are the parent's); null otherwise
     */
    public Found<Orphan> orphans(String field, String column, Mapping parent, String keyPrefix, int limit)
            throws SQLException {
        String parentTable = Identifiers.qualified(parent.schema(), parent.table());
        String quoted = Identifiers.quote(column);
        String where = " FROM " + sqlName() + " c WHERE c." + quoted + " IS NOT NULL"
                + (softDeletes() ? " AND c." + IS_DELETED + " IS NOT TRUE" : "")
                + (keyPrefix != null ? " AND left(c." + quoted + ", 3) = ?" : "")
                + " AND NOT EXISTS (SELECT 1 FROM " + parentTable + " p WHERE p.sfid = c." + quoted + ")";
        List<Orphan> orphans = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT c.sfid, c." + quoted + where
                + " ORDER BY c.sfid COLLATE \"C\" LIMIT " + limit)) {
            if (keyPrefix != null) {
                s.setString(1, keyPrefix);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    orphans.add(new Orphan(rs.getString(1), field, column, parent.objectName(), parent.qualifiedTable(),
                            rs.getString(2)));
                }
            }
        }
        long total = orphans.size();
        if (total == limit) {
            try (PreparedStatement s = connection.prepareStatement("SELECT count(*)" + where)) {
                if (keyPrefix != null) {
                    s.setString(1, keyPrefix);
                }
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
        }
        return new Found<>(total, orphans);
    }

    /** Some of what a check found, and how many it found in all. */
    public record Found<T>(long total, List<T> shown) {

        public Found {
            shown = List.copyOf(shown);
        }
    }

    private long count(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
