package dev.lockstep.cli.schema;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.mapping.Identifiers;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.ObjectDescribe;
import dev.lockstep.common.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Postgres table of one mapping, exactly as Heroku Connect makes it: one column per mapped field (named by
 * {@link Mapping#column(String)}, typed by {@link ColumnType#of} in the mapping's schema style), {@code sfid} for the
 * Id, then {@code id serial} (primary key {@code <table>_pkey}), {@code _hc_lastop varchar(32)} and
 * {@code _hc_err text}; a unique constraint {@code hcu_idx_<table>_sfid}, an index
 * {@code hc_idx_<table>_systemmodstamp} and one index per entry of the mapping's {@code indexes}
 * ({@code hcu_idx_...} when unique, {@code hc_idx_...} otherwise).
 *
 * @param mapping the mapping, resolved against describe (fields spelt as Salesforce spells them)
 * @param columns the columns in table order
 * @param indexes the indexes: the sfid constraint first, then systemmodstamp, then the mapping's in file order
 * @param unmappedFields fields of the object that have no column (compounds left out), in describe order
 * @param warnings what resolving the mapping changed, e.g. a compound replaced by its components
 */
public record TableDefinition(Mapping mapping, List<Column> columns, List<Index> indexes, List<String> unmappedFields,
        List<String> warnings) {

    /** {@code _hc_lastop}: the last sync operation on the row (PENDING, SYNCED, FAILED, ...). */
    public static final String LAST_OP = "_hc_lastop";
    /** {@code _hc_err}: the error of the last failed write to Salesforce, as JSON. */
    public static final String ERROR = "_hc_err";
    /** {@code id}: the row's serial number, primary key, not stable across reloads (as in Heroku Connect). */
    public static final String ID = "id";

    private static final String SYSTEM_MODSTAMP = "SystemModstamp";

    public TableDefinition {
        columns = List.copyOf(columns);
        indexes = List.copyOf(indexes);
        unmappedFields = List.copyOf(unmappedFields);
        warnings = List.copyOf(warnings);
    }

    /**
     * One column.
     *
     * @param name the column name
     * @param type its type
     * @param field the Salesforce field it holds ({@code Id} for sfid), or null for the other system columns
     */
    public record Column(String name, ColumnType type, String field) {

        /** The type as written in {@code CREATE TABLE}: {@code serial} for {@code id}, else the type's DDL. */
        public String ddlType() {
            return field == null && name.equals(ID) ? "serial" : type.ddl();
        }
    }

    /**
     * One single-column index (Heroku Connect indexes single columns only).
     *
     * @param name the index name, at most 63 bytes
     * @param column the indexed column
     * @param unique a unique index
     * @param constraint made as a unique table constraint ({@code CONSTRAINT name UNIQUE (column)}) rather than
     *     with {@code CREATE INDEX}, as Heroku Connect makes the sfid index
     */
    public record Index(String name, String column, boolean unique, boolean constraint) {
    }

    /** The table of a mapping, after checking and resolving the mapping against its object's describe. */
    public static TableDefinition of(Mapping mapping, JsonNode describe) throws MappingException {
        return of(MappingCheck.resolve(mapping, describe));
    }

    /** The table of a resolved mapping. */
    public static TableDefinition of(MappingCheck.Resolved resolved) {
        Mapping mapping = resolved.mapping();
        ObjectDescribe describe = resolved.describe();
        List<Column> columns = new ArrayList<>();
        String idField = null;
        for (String field : mapping.fields()) {
            ObjectDescribe.Field described = describe.field(field).orElseThrow(() -> new IllegalArgumentException(
                    mapping.describe() + " is not resolved against this describe: no field " + field));
            if (described.type().equals("id")) {
                idField = described.name();
                continue;
            }
            columns.add(new Column(mapping.column(field), described.columnType(mapping.schemaStyle()), field));
        }
        columns.add(new Column(Mapping.SFID, ColumnType.of("id", ColumnType.ID_LENGTH, 0, 0, mapping.schemaStyle()),
                idField == null ? "Id" : idField));
        columns.add(new Column(ID, new ColumnType(ColumnType.INTEGER, 0, 0, 0), null));
        columns.add(new Column(LAST_OP, new ColumnType(ColumnType.VARCHAR, 32, 0, 0), null));
        columns.add(new Column(ERROR, new ColumnType(ColumnType.TEXT, 0, 0, 0), null));

        String table = mapping.table();
        List<Index> indexes = new ArrayList<>();
        indexes.add(new Index(indexName(table, Mapping.SFID, true), Mapping.SFID, true, true));
        Boolean modstampUnique = mapping.indexes().get(SYSTEM_MODSTAMP);
        String modstamp = mapping.column(SYSTEM_MODSTAMP);
        if (columns.stream().anyMatch(c -> c.name().equals(modstamp))) {
            boolean unique = Boolean.TRUE.equals(modstampUnique);
            indexes.add(new Index(indexName(table, modstamp, unique), modstamp, unique, false));
        }
        mapping.indexes().forEach((field, unique) -> {
            String column = mapping.column(field);
            if (!column.equals(Mapping.SFID) && !column.equals(modstamp)) {
                indexes.add(new Index(indexName(table, column, unique), column, unique, false));
            }
        });
        return new TableDefinition(mapping, columns, indexes, resolved.unmappedFields(), resolved.warnings());
    }

    private static String indexName(String table, String column, boolean unique) {
        return Identifiers.shorten((unique ? "hcu_idx_" : "hc_idx_") + table + "_" + column);
    }

    public String schema() {
        return mapping.schema();
    }

    public String table() {
        return mapping.table();
    }

    /** {@code schema.table} as written in SQL. */
    public String qualifiedName() {
        return Identifiers.qualified(schema(), table());
    }

    /** {@code <table>_pkey}, the primary key constraint on {@code id}. */
    public String primaryKeyName() {
        return Identifiers.shorten(table() + "_pkey");
    }

    /** {@code <table>_id_seq}: the sequence Postgres makes for {@code id serial}, named as Postgres names it. */
    public String sequenceName() {
        return Identifiers.postgresName(table(), ID, "seq");
    }

    /** The column of a name. */
    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** {@code CREATE SCHEMA IF NOT EXISTS ...} (without the closing semicolon). */
    public String createSchemaSql() {
        return "CREATE SCHEMA IF NOT EXISTS " + Identifiers.quote(schema());
    }

    /** {@code CREATE TABLE ...} with one column a line, the primary key and the sfid constraint. */
    public String createTableSql() {
        StringBuilder sql = new StringBuilder("CREATE TABLE ").append(qualifiedName()).append(" (\n");
        for (Column column : columns) {
            sql.append("    ").append(Identifiers.quote(column.name())).append(' ').append(column.ddlType())
                    .append(",\n");
        }
        sql.append("    CONSTRAINT ").append(Identifiers.quote(primaryKeyName())).append(" PRIMARY KEY (")
                .append(Identifiers.quote(ID)).append(')');
        for (Index index : indexes) {
            if (index.constraint()) {
                sql.append(",\n    ").append(constraintClause(index));
            }
        }
        return sql.append("\n)").toString();
    }

    /** {@code ALTER TABLE ... ADD CONSTRAINT ...} for a constraint index of this table. */
    public String addConstraintSql(Index index) {
        return "ALTER TABLE " + qualifiedName() + " ADD " + constraintClause(index);
    }

    private static String constraintClause(Index index) {
        return "CONSTRAINT " + Identifiers.quote(index.name()) + " UNIQUE (" + Identifiers.quote(index.column()) + ")";
    }

    /** {@code CREATE [UNIQUE] INDEX ...} for an index of this table. */
    public String createIndexSql(Index index) {
        return "CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX " + Identifiers.quote(index.name()) + " ON "
                + qualifiedName() + " (" + Identifiers.quote(index.column()) + ")";
    }

    /** {@code ALTER TABLE ... ADD COLUMN ...} for a column of this table. */
    public String addColumnSql(Column column) {
        return "ALTER TABLE " + qualifiedName() + " ADD COLUMN " + Identifiers.quote(column.name()) + " "
                + column.ddlType();
    }

    /**
     * The whole DDL of the table as a script: schema, table, then the indexes made with {@code CREATE INDEX}, each
     * statement ending with a semicolon, one column a line. The same definition always renders the same text.
     */
    public String ddl() {
        StringBuilder ddl = new StringBuilder();
        ddl.append(createSchemaSql()).append(";\n\n").append(createTableSql()).append(";\n");
        List<Index> created = indexes.stream().filter(i -> !i.constraint()).toList();
        if (!created.isEmpty()) {
            ddl.append('\n');
            created.forEach(index -> ddl.append(createIndexSql(index)).append(";\n"));
        }
        return ddl.toString();
    }
}
