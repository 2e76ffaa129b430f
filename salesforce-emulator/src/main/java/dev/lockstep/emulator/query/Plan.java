package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.SObjectDef;
import java.util.Comparator;
import java.util.List;

/**
 * A SOQL statement bound to the schema, ready to run: what to read from each row, how to filter, sort and cut
 * the rows, and how to lay out the results. A result row is an {@code Object[]}: first one cell per column in
 * SELECT order (what Bulk API writes), then, for REST, the record's Id and one {@link Source.ParentRef} per parent
 * object in the JSON tree, so that {@code attributes} can be written without going back to the org.
 */
final class Plan {

    /** One output column: a dotted name such as {@code Owner.Name}; {@code child} is set for a subquery. */
    record Column(String name, Source source, FieldDef field, Plan child) {}

    /** The JSON shape of a REST record. */
    sealed interface Node permits Leaf, Parent, Child {}

    /** A field value in cell {@code slot}. */
    record Leaf(String key, int slot, FieldDef field) implements Node {}

    /** A parent object whose {@link Source.ParentRef} is in cell {@code slot} (null: the parent is empty). */
    record Parent(String key, int slot, boolean polymorphic, List<Node> children) implements Node {}

    /** A child subquery whose rows are in cell {@code slot}. */
    record Child(String key, int slot) implements Node {}

    /** A cell that REST rows carry besides the columns: a parent reference. */
    record RefSlot(int slot, Source source) {}

    /** One ORDER BY key over records. */
    record SortKey(Source source, Comparator<Object> order, boolean descending, boolean nullsFirst) {}

    /** One ORDER BY key over aggregated rows: the cell to compare. */
    record CellSort(int slot, Comparator<Object> order, boolean descending, boolean nullsFirst) {}

    /** A child subquery in cell {@code slot}. */
    record ChildJoin(int slot, Plan plan) {}

    /** A GROUP BY field. */
    record Group(Source source, FieldDef field) {}

    /** An aggregate function over a field ({@code COUNT}, {@code COUNT_DISTINCT}, {@code MAX}, ...). */
    record Agg(String function, Source source, FieldDef field) {}

    /**
     * The aggregation of an aggregate query. Its rows hold the columns, then every group value, then every
     * aggregate; {@code outputs[i]} says which cell column {@code i} copies (&gt;= 0: an aggregate,
     * &lt; 0: group {@code -1 - outputs[i]}).
     */
    record Aggregation(List<Group> groups, List<Agg> aggregates, int[] outputs, List<CellSort> order) {}

    final SObjectDef object;
    final List<Column> columns;
    final List<Node> tree;
    final List<RefSlot> refs;
    final RowFilter where;
    final List<String> idLookup;
    final List<SortKey> order;
    final int limit;
    final int offset;
    final boolean countOnly;
    final Aggregation aggregation;
    final List<ChildJoin> children;
    final FieldDef joinField;

    Plan(SObjectDef object, List<Column> columns, List<Node> tree, List<RefSlot> refs, RowFilter where,
            List<String> idLookup, List<SortKey> order, int limit, int offset, boolean countOnly,
            Aggregation aggregation, List<ChildJoin> children, FieldDef joinField) {
        this.object = object;
        this.columns = List.copyOf(columns);
        this.tree = List.copyOf(tree);
        this.refs = List.copyOf(refs);
        this.where = where;
        this.idLookup = idLookup == null ? null : List.copyOf(idLookup);
        this.order = List.copyOf(order);
        this.limit = limit;
        this.offset = offset;
        this.countOnly = countOnly;
        this.aggregation = aggregation;
        this.children = List.copyOf(children);
        this.joinField = joinField;
    }

    /** The cell of a REST row that holds the record's Id. */
    int idSlot() {
        return columns.size();
    }

    /** How many cells a row has: the columns alone, or with the REST extras. */
    int width(boolean rest) {
        if (aggregation != null) {
            return columns.size() + aggregation.groups().size() + aggregation.aggregates().size();
        }
        return rest ? columns.size() + 1 + refs.size() : columns.size();
    }

    boolean aggregate() {
        return aggregation != null;
    }
}
