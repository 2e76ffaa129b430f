package dev.lockstep.cli.schema;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one Postgres schema holds, read from the system catalogs: its tables (and views, which cannot be mapped)
 * with their columns, typed as {@code format_type()} prints them, and their indexes with the constraints they
 * back. The schema planner compares it with the tables the mappings need.
 *
 * @param schema the schema name
 * @param exists whether the schema exists
 * @param tables the relations of the schema by name
 */
public record PostgresCatalog(String schema, boolean exists, Map<String, Table> tables) {

    public PostgresCatalog {
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /**
     * A relation of the schema.
     *
     * @param name the relation name
     * @param kind {@code table}, {@code view}, {@code materialized view} or {@code foreign table}
     * @param columns the columns by name, in column order
     * @param indexes the indexes, by name
     */
    public record Table(String name, String kind, Map<String, Column> columns, List<Index> indexes) {

        public Table {
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
            indexes = List.copyOf(indexes);
        }

        /** Whether rows can be written to it: an ordinary or partitioned table. */
        public boolean isTable() {
            return kind.equals("table");
        }

        /** The primary key's index, if the table has one. */
        public Optional<Index> primaryKey() {
            return indexes.stream().filter(Index::primary).findFirst();
        }

        /** The index of a name. */
        public Optional<Index> index(String name) {
            return indexes.stream().filter(i -> i.name().equals(name)).findFirst();
        }
    }

    /**
     * A column.
     *
     * @param name the column name
     * @param formatType the type as {@code format_type()} prints it, e.g. {@code character varying(80)}
     * @param notNull declared NOT NULL
     * @param defaultExpression the default, e.g. {@code nextval('salesforce.account_id_seq'::regclass)}, or null
     */
    public record Column(String name, String formatType, boolean notNull, String defaultExpression) {
    }

    /**
     * An index.
     *
     * @param name the index name
     * @param columns the indexed columns in order; empty for an index on expressions only
     * @param unique a unique index
     * @param primary the primary key's index
     * @param constraint the name of the constraint the index backs, or null for a plain index
     * @param partial has a WHERE clause, or indexes expressions: it does not cover the columns plainly
     * @param definition {@code pg_get_indexdef()}, for messages
     */
    public record Index(String name, List<String> columns, boolean unique, boolean primary, String constraint,
            boolean partial, String definition) {

        public Index {
            columns = List.copyOf(columns);
        }

        /** Whether this is a plain index on exactly one column. */
        public boolean covers(String column) {
            return !partial && columns.equals(List.of(column));
        }
    }

    /** The relation of a name. */
    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    private static final String SCHEMA_SQL = "SELECT 1 FROM pg_namespace WHERE nspname = ?";

    private static final String COLUMNS_SQL = """
            SELECT c.relname, c.relkind, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   pg_get_expr(d.adbin, d.adrelid)
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            ORDER BY c.relname, a.attnum""";

    private static final String INDEXES_SQL = """
            SELECT t.relname, i.relname, x.indisunique, x.indisprimary, con.conname,
                   x.indpred IS NOT NULL OR x.indexprs IS NOT NULL, pg_get_indexdef(x.indexrelid),
                   ARRAY(SELECT a.attname::text
                         FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                         ORDER BY k.ord)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = t.oid
                                       AND con.contype IN ('p', 'u', 'x')
            WHERE n.nspname = ?
            ORDER BY t.relname, i.relname""";

    /** Reads a schema's tables, columns and indexes; a schema that does not exist reads as empty. */
    public static PostgresCatalog read(Connection connection, String schema) throws SQLException {
        boolean exists;
        try (PreparedStatement statement = connection.prepareStatement(SCHEMA_SQL)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                exists = rows.next();
            }
        }
        Map<String, String> kinds = new LinkedHashMap<>();
        Map<String, Map<String, Column>> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS_SQL)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String table = rows.getString(1);
                    kinds.put(table, kind(rows.getString(2)));
                    Map<String, Column> tableColumns = columns.computeIfAbsent(table, t -> new LinkedHashMap<>());
                    String column = rows.getString(3);
                    if (column != null) {
                        tableColumns.put(column, new Column(column, rows.getString(4), rows.getBoolean(5),
                                rows.getString(6)));
                    }
                }
            }
        }
        Map<String, List<Index>> indexes = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(INDEXES_SQL)) {
            statement.setString(1, schema);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    Array indexed = rows.getArray(8);
                    List<String> indexedColumns = Arrays.asList((String[]) indexed.getArray());
                    indexed.free();
                    indexes.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(new Index(
                            rows.getString(2), indexedColumns, rows.getBoolean(3), rows.getBoolean(4),
                            rows.getString(5), rows.getBoolean(6), rows.getString(7)));
                }
            }
        }
        Map<String, Table> tables = new LinkedHashMap<>();
        kinds.forEach((name, kind) -> tables.put(name, new Table(name, kind, columns.get(name),
                indexes.getOrDefault(name, List.of()))));
        return new PostgresCatalog(schema, exists, tables);
    }

    private static String kind(String relkind) {
        return switch (relkind) {
            case "r", "p" -> "table";
            case "v" -> "view";
            case "m" -> "materialized view";
            case "f" -> "foreign table";
            default -> "relation of kind " + relkind;
        };
    }
}
