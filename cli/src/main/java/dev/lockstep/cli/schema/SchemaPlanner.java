package dev.lockstep.cli.schema;

import dev.lockstep.cli.mapping.Identifiers;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.schema.PostgresCatalog.Table;
import dev.lockstep.cli.schema.SchemaPlan.Change;
import dev.lockstep.cli.schema.SchemaPlan.Finding;
import dev.lockstep.cli.schema.SchemaPlan.Severity;
import dev.lockstep.cli.schema.TableDefinition.Column;
import dev.lockstep.cli.schema.TableDefinition.Index;
import dev.lockstep.common.ColumnType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares the tables the mappings need with what a Postgres database holds, and plans the difference. Lockstep
 * only adds: schemas, tables, columns (for fields mapped or gained in Salesforce), primary keys and indexes. What
 * it would have to drop or retype is reported as a finding with the statement to run by hand, because those
 * changes lose data or lock large tables, and the people who own the database decide when. Planning again after
 * the plan was applied yields no changes.
 */
public final class SchemaPlanner {

    private final List<Change> changes = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();

    private SchemaPlanner() {
    }

    /**
     * Plans the changes that make the database hold the tables of the definitions.
     *
     * @param definitions the tables, one per mapping, no two for the same table
     * @param connection where to read the catalog from; nothing is changed through it
     */
    public static SchemaPlan plan(List<TableDefinition> definitions, Connection connection) throws SQLException {
        SchemaPlanner planner = new SchemaPlanner();
        Map<String, PostgresCatalog> catalogs = new HashMap<>();
        Set<String> tables = new HashSet<>();
        for (TableDefinition definition : definitions) {
            if (!tables.add(definition.schema() + "." + definition.table())) {
                throw new IllegalArgumentException("two definitions for the table " + definition.qualifiedName()
                        + "; the mapping file check rejects this, so it is a caller's mistake");
            }
            PostgresCatalog catalog = catalogs.get(definition.schema());
            if (catalog == null) {
                catalog = PostgresCatalog.read(connection, definition.schema());
                catalogs.put(definition.schema(), catalog);
                if (!catalog.exists()) {
                    planner.change("create schema " + Identifiers.quote(definition.schema()),
                            definition.createSchemaSql());
                }
            }
            Optional<Table> table = catalog.table(definition.table());
            if (table.isEmpty()) {
                planner.createTable(definition);
            } else {
                planner.compare(definition, table.get());
            }
        }
        return new SchemaPlan(planner.changes, planner.findings);
    }

    private void change(String description, String sql) {
        changes.add(new Change(description, sql));
    }

    private void finding(Severity severity, TableDefinition definition, String text) {
        findings.add(new Finding(severity, definition.mapping().describe(), text, null));
    }

    /** A finding resolved by a statement, which ends its text. */
    private void finding(Severity severity, TableDefinition definition, String text, String sql) {
        findings.add(new Finding(severity, definition.mapping().describe(), text + " " + sql + ";", sql));
    }

    private void createTable(TableDefinition definition) {
        change("create table " + definition.qualifiedName() + " (" + definition.columns().size() + " columns)",
                definition.createTableSql());
        definition.indexes().stream().filter(index -> !index.constraint())
                .forEach(index -> createIndex(definition, index));
    }

    private void createIndex(TableDefinition definition, Index index) {
        change("create " + (index.unique() ? "unique " : "") + "index " + index.name() + " on "
                + definition.qualifiedName() + " (" + index.column() + ")", definition.createIndexSql(index));
    }

    private void compare(TableDefinition definition, Table table) {
        String name = definition.qualifiedName();
        if (!table.isTable()) {
            finding(Severity.ERROR, definition, name + " is a " + table.kind() + ", not a table, so the sync cannot"
                    + " write rows into it: rename or drop it, or give the mapping another config.table_name");
            return;
        }
        Set<String> added = new HashSet<>();
        for (Column column : definition.columns()) {
            PostgresCatalog.Column actual = table.columns().get(column.name());
            if (actual == null) {
                change("add column " + name + "." + Identifiers.quote(column.name()) + " " + column.ddlType()
                        + holding(definition, column), definition.addColumnSql(column));
                added.add(column.name());
            } else {
                compareType(definition, column, ColumnType.parse(actual.formatType()));
            }
        }
        Set<String> unmappedWithColumn = new HashSet<>();
        for (PostgresCatalog.Column actual : table.columns().values()) {
            if (definition.column(actual.name()).isEmpty()) {
                extraColumn(definition, actual.name()).ifPresent(unmappedWithColumn::add);
            }
        }
        primaryKey(definition, table);
        sfidIndex(definition, table, added.contains(Mapping.SFID));
        for (Index index : definition.indexes()) {
            if (!index.constraint()) {
                index(definition, table, index);
            }
        }
        List<String> unmapped = definition.unmappedFields().stream()
                .filter(field -> !unmappedWithColumn.contains(field)).toList();
        if (!definition.mapping().allFields() && !unmapped.isEmpty()) {
            finding(Severity.INFO, definition, (unmapped.size() == 1
                    ? "Salesforce field " + unmapped.get(0) + " is not mapped"
                    : "Salesforce fields " + String.join(", ", unmapped) + " are not mapped")
                    + "; add to config.fields (or set all_fields) what should be synced");
        }
    }

    private static String holding(TableDefinition definition, Column column) {
        return column.field() == null ? " (system column)"
                : " for " + definition.mapping().objectName() + "." + column.field();
    }

    private void compareType(TableDefinition definition, Column column, ColumnType actual) {
        ColumnType expected = column.type();
        if (actual.equals(expected)) {
            return;
        }
        String quoted = Identifiers.quote(column.name());
        String alter = "ALTER TABLE " + definition.qualifiedName() + " ALTER COLUMN " + quoted + " TYPE "
                + expected.ddl() + using(quoted, actual, expected);
        finding(Severity.WARNING, definition, "column " + definition.qualifiedName() + "." + quoted + " is "
                + actual.ddl() + " in Postgres, " + expected.ddl() + " expected" + holding(definition, column)
                + "; not changed (Lockstep never retypes a column): keep it if every value fits, or run", alter);
    }

    /** The USING clause a retype needs where Postgres has no assignment cast between the two types. */
    private static String using(String column, ColumnType from, ColumnType to) {
        String source = from.name();
        String target = to.name();
        if (source.equals(ColumnType.TIMESTAMP) && target.equals(ColumnType.TIMESTAMPTZ)
                || source.equals(ColumnType.TIMESTAMPTZ) && target.equals(ColumnType.TIMESTAMP)) {
            // Heroku Connect's timestamps hold UTC.
            return " USING " + column + " AT TIME ZONE 'UTC'";
        }
        if (target.equals(ColumnType.TEXT_ARRAY) && isText(source)) {
            return " USING string_to_array(" + column + ", ';')";
        }
        if (isText(target) && source.equals(ColumnType.TEXT_ARRAY)) {
            return " USING array_to_string(" + column + ", ';')";
        }
        if (target.equals(ColumnType.BYTEA) && isText(source)) {
            return " USING decode(" + column + ", 'base64')";
        }
        if (isText(target) && source.equals(ColumnType.BYTEA)) {
            return " USING encode(" + column + ", 'base64')";
        }
        if (isText(source) == isText(target) && isNumber(source) == isNumber(target)) {
            return "";
        }
        return " USING " + column + "::" + to.ddl();
    }

    private static boolean isText(String type) {
        return type.equals(ColumnType.VARCHAR) || type.equals(ColumnType.TEXT);
    }

    private static boolean isNumber(String type) {
        return Set.of(ColumnType.INTEGER, ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.NUMERIC).contains(type);
    }

    /** Reports a column no mapped field fills; returns the field it holds when that field is merely unmapped. */
    private Optional<String> extraColumn(TableDefinition definition, String column) {
        String name = definition.qualifiedName() + "." + Identifiers.quote(column);
        Mapping mapping = definition.mapping();
        Optional<String> field = definition.unmappedFields().stream().filter(f -> mapping.column(f).equals(column))
                .findFirst();
        if (field.isPresent()) {
            finding(Severity.INFO, definition, "column " + name + " holds " + mapping.objectName() + "."
                    + field.get() + ", which is not mapped; kept, no longer updated (map the field again to sync it)");
            return field;
        }
        finding(Severity.WARNING, definition, "column " + name + " holds no field of " + mapping.objectName()
                + " (deleted or renamed in Salesforce, or added by hand); kept, no longer updated: once nothing"
                + " reads it, run", "ALTER TABLE " + definition.qualifiedName() + " DROP COLUMN "
                + Identifiers.quote(column));
        return Optional.empty();
    }

    private void primaryKey(TableDefinition definition, Table table) {
        Optional<PostgresCatalog.Index> primaryKey = table.primaryKey();
        if (primaryKey.isEmpty()) {
            change("add primary key " + definition.primaryKeyName() + " on " + definition.qualifiedName() + " (id)",
                    "ALTER TABLE " + definition.qualifiedName() + " ADD CONSTRAINT "
                            + Identifiers.quote(definition.primaryKeyName()) + " PRIMARY KEY (id)");
        } else if (!primaryKey.get().covers(TableDefinition.ID)) {
            finding(Severity.WARNING, definition, "the primary key of " + definition.qualifiedName() + " is "
                    + primaryKey.get().definition() + ", not on id as in Heroku Connect's tables; not changed");
        }
    }

    private void sfidIndex(TableDefinition definition, Table table, boolean sfidAdded) {
        Index expected = definition.indexes().stream().filter(Index::constraint).findFirst().orElseThrow();
        Optional<PostgresCatalog.Index> actual = table.indexes().stream()
                .filter(i -> i.unique() && i.covers(Mapping.SFID)).findFirst();
        if (actual.isPresent()) {
            if (!actual.get().name().equals(expected.name())) {
                finding(Severity.INFO, definition, "the unique index on " + definition.qualifiedName() + " (sfid) is"
                        + " named " + actual.get().name() + " (Heroku Connect names it " + expected.name()
                        + "); not changed");
            }
        } else if (sfidAdded) {
            change("add unique constraint " + expected.name() + " on " + definition.qualifiedName() + " (sfid)",
                    definition.addConstraintSql(expected));
        } else {
            finding(Severity.ERROR, definition, definition.qualifiedName() + " has no unique index on sfid, and the"
                    + " sync upserts rows by sfid: remove rows with duplicate sfids, then run",
                    definition.addConstraintSql(expected));
        }
    }

    private void index(TableDefinition definition, Table table, Index expected) {
        Optional<PostgresCatalog.Index> named = table.index(expected.name());
        if (named.isPresent()) {
            PostgresCatalog.Index actual = named.get();
            if (!actual.covers(expected.column()) || actual.unique() != expected.unique()) {
                finding(Severity.WARNING, definition, "index " + expected.name() + " is " + actual.definition()
                        + ", expected " + definition.createIndexSql(expected) + "; not changed: to have it made as"
                        + " expected, drop it and plan again:", "DROP INDEX "
                        + Identifiers.qualified(definition.schema(), expected.name()));
            }
            return;
        }
        List<String> others = table.indexes().stream()
                .filter(i -> i.covers(expected.column()) && i.unique() == expected.unique())
                .map(PostgresCatalog.Index::name).collect(Collectors.toList());
        if (!others.isEmpty()) {
            finding(Severity.INFO, definition, "the " + (expected.unique() ? "unique " : "") + "index on "
                    + definition.qualifiedName() + " (" + expected.column() + ") is named " + String.join(", ", others)
                    + " (Heroku Connect names it " + expected.name() + "); not changed");
            return;
        }
        createIndex(definition, expected);
    }
}
