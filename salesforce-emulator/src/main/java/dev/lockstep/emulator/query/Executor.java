package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.RecordView;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs a {@link Plan} over the org's records, under the read lock the caller holds: filter, sort, OFFSET and
 * LIMIT, then read the columns of the rows kept (and only those), attach child subqueries with one pass over the
 * child object, or fold the rows into aggregates.
 */
final class Executor {

    private Executor() {}

    /** Runs a top-level plan; {@code rest} adds the cells REST needs for {@code attributes}. */
    static ResultSet run(Plan plan, Ctx ctx, boolean rest) {
        if (plan.aggregate()) {
            List<Object[]> rows = aggregate(plan, ctx);
            return new ResultSet(plan, rows, rows.size());
        }
        if (plan.countOnly) {
            int matched = 0;
            for (RecordView view : candidates(plan, ctx)) {
                if (plan.where.test(view, ctx)) {
                    matched++;
                }
            }
            int count = Math.max(0, matched - plan.offset);
            return new ResultSet(plan, List.of(), plan.limit < 0 ? count : Math.min(count, plan.limit));
        }
        List<RecordView> kept = select(plan, candidates(plan, ctx), ctx, true);
        List<Object[]> rows = rows(plan, kept, ctx, rest);
        return new ResultSet(plan, rows, rows.size());
    }

    /** The values of the single column of a semi-join subquery. */
    static Set<String> values(Plan plan, Ctx ctx) {
        Set<String> values = new HashSet<>();
        for (RecordView view : select(plan, candidates(plan, ctx), ctx, true)) {
            Object value = plan.columns.get(0).source().get(view, ctx);
            if (value != null) {
                values.add((String) value);
            }
        }
        return values;
    }

    private static List<RecordView> candidates(Plan plan, Ctx ctx) {
        if (plan.idLookup == null) {
            return ctx.org.records(plan.object, ctx.includeDeleted);
        }
        List<RecordView> found = new ArrayList<>();
        for (String id : new TreeSet<>(plan.idLookup)) {
            ctx.org.view(id).filter(v -> v.def().name().equals(plan.object.name())
                    && (ctx.includeDeleted || !v.isDeleted())).ifPresent(found::add);
        }
        return found;
    }

    /** The records that pass the filter (unless already filtered), in ORDER BY order, cut by OFFSET and LIMIT. */
    private static List<RecordView> select(Plan plan, List<RecordView> records, Ctx ctx, boolean filter) {
        int limit = plan.limit < 0 ? Integer.MAX_VALUE : plan.limit;
        if (plan.order.isEmpty()) {
            List<RecordView> kept = new ArrayList<>();
            int skipped = 0;
            for (int i = 0, n = records.size(); i < n && kept.size() < limit; i++) {
                RecordView view = records.get(i);
                if (filter && !plan.where.test(view, ctx)) {
                    continue;
                }
                if (skipped < plan.offset) {
                    skipped++;
                    continue;
                }
                kept.add(view);
            }
            return kept;
        }
        List<Plan.SortKey> keys = plan.order;
        int keyCount = keys.size();
        List<Sortable> matched = new ArrayList<>();
        for (RecordView view : records) {
            if (filter && !plan.where.test(view, ctx)) {
                continue;
            }
            Object[] values = new Object[keyCount];
            for (int k = 0; k < keyCount; k++) {
                values[k] = keys.get(k).source().get(view, ctx);
            }
            matched.add(new Sortable(view, values));
        }
        Plan.SortKey[] sortKeys = keys.toArray(new Plan.SortKey[0]);
        matched.sort((a, b) -> {
            for (int k = 0; k < keyCount; k++) {
                Plan.SortKey key = sortKeys[k];
                int c = compare(a.keys[k], b.keys[k], key.order(), key.descending(), key.nullsFirst());
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        int from = Math.min(plan.offset, matched.size());
        int to = (int) Math.min((long) from + limit, matched.size());
        List<RecordView> kept = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            kept.add(matched.get(i).view);
        }
        return kept;
    }

    private record Sortable(RecordView view, Object[] keys) {}

    /** Nulls sort first or last whatever the direction; Salesforce sorts them first unless told otherwise. */
    static int compare(Object a, Object b, Comparator<Object> order, boolean descending, boolean nullsFirst) {
        if (a == null || b == null) {
            if (a == b) {
                return 0;
            }
            return (a == null) == nullsFirst ? -1 : 1;
        }
        int c = order.compare(a, b);
        return descending ? -c : c;
    }

    private static List<Object[]> rows(Plan plan, List<RecordView> views, Ctx ctx, boolean rest) {
        int width = plan.width(rest);
        List<Plan.Column> columns = plan.columns;
        int columnCount = columns.size();
        Source[] sources = new Source[columnCount];
        for (int i = 0; i < columnCount; i++) {
            sources[i] = columns.get(i).source();
        }
        List<Object[]> rows = new ArrayList<>(views.size());
        for (RecordView view : views) {
            Object[] cells = new Object[width];
            for (int i = 0; i < columnCount; i++) {
                if (sources[i] != null) {
                    cells[i] = sources[i].get(view, ctx);
                }
            }
            if (rest) {
                cells[plan.idSlot()] = view.id();
                for (Plan.RefSlot ref : plan.refs) {
                    cells[ref.slot()] = ref.source().get(view, ctx);
                }
            }
            rows.add(cells);
        }
        if (!plan.children.isEmpty() && !views.isEmpty()) {
            attachChildren(plan, views, rows, ctx, rest);
        }
        return rows;
    }

    /** Fills each child subquery cell from one pass over the child object's records. */
    private static void attachChildren(Plan plan, List<RecordView> parents, List<Object[]> rows, Ctx ctx,
            boolean rest) {
        Map<String, Integer> rowOf = new HashMap<>();
        for (int i = 0; i < parents.size(); i++) {
            rowOf.put(parents.get(i).id(), i);
        }
        for (Plan.ChildJoin join : plan.children) {
            Plan child = join.plan();
            Map<Integer, List<RecordView>> byParent = new LinkedHashMap<>();
            for (RecordView view : ctx.org.records(child.object, ctx.includeDeleted)) {
                Object parentId = view.get(child.joinField);
                Integer row = parentId == null ? null : rowOf.get(parentId);
                if (row != null && child.where.test(view, ctx)) {
                    byParent.computeIfAbsent(row, r -> new ArrayList<>()).add(view);
                }
            }
            byParent.forEach((row, views) -> {
                List<Object[]> childRows = rows(child, select(child, views, ctx, false), ctx, rest);
                if (!childRows.isEmpty()) {
                    rows.get(row)[join.slot()] = new ResultSet.ChildRows(child, childRows);
                }
            });
        }
    }

    // ------------------------------------------------------------------------------------------- aggregates

    private static List<Object[]> aggregate(Plan plan, Ctx ctx) {
        Plan.Aggregation aggregation = plan.aggregation;
        List<Plan.Group> groups = aggregation.groups();
        List<Plan.Agg> aggregates = aggregation.aggregates();
        Map<List<Object>, Folding> folded = new LinkedHashMap<>();
        for (RecordView view : candidates(plan, ctx)) {
            if (!plan.where.test(view, ctx)) {
                continue;
            }
            Object[] values = new Object[groups.size()];
            Object[] keys = new Object[groups.size()];
            for (int g = 0; g < values.length; g++) {
                values[g] = groups.get(g).source().get(view, ctx);
                keys[g] = Comparators.groupKey(groups.get(g).field(), values[g]);
            }
            Folding folding = folded.computeIfAbsent(Arrays.asList(keys), k -> new Folding(values, aggregates));
            for (int a = 0; a < aggregates.size(); a++) {
                folding.accumulators[a].add(aggregates.get(a).source().get(view, ctx));
            }
        }
        if (folded.isEmpty() && groups.isEmpty()) {
            folded.put(List.of(), new Folding(new Object[0], aggregates));
        }
        int columnCount = plan.columns.size();
        int groupBase = columnCount;
        int aggregateBase = groupBase + groups.size();
        int[] outputs = aggregation.outputs();
        List<Object[]> rows = new ArrayList<>(folded.size());
        for (Folding folding : folded.values()) {
            Object[] cells = new Object[plan.width(false)];
            System.arraycopy(folding.groupValues, 0, cells, groupBase, groups.size());
            for (int a = 0; a < aggregates.size(); a++) {
                cells[aggregateBase + a] = folding.accumulators[a].result();
            }
            for (int i = 0; i < columnCount; i++) {
                cells[i] = outputs[i] >= 0 ? cells[aggregateBase + outputs[i]] : cells[groupBase + (-1 - outputs[i])];
            }
            rows.add(cells);
        }
        List<Plan.CellSort> order = aggregation.order();
        if (!order.isEmpty()) {
            rows.sort((a, b) -> {
                for (Plan.CellSort key : order) {
                    int c = compare(a[key.slot()], b[key.slot()], key.order(), key.descending(), key.nullsFirst());
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            });
        }
        int from = Math.min(plan.offset, rows.size());
        int to = plan.limit < 0 ? rows.size() : (int) Math.min((long) from + plan.limit, rows.size());
        return new ArrayList<>(rows.subList(from, to));
    }

    /** One group's values and running aggregates. */
    private static final class Folding {
        final Object[] groupValues;
        final Accumulator[] accumulators;

        Folding(Object[] groupValues, List<Plan.Agg> aggregates) {
            this.groupValues = groupValues;
            this.accumulators = new Accumulator[aggregates.size()];
            for (int a = 0; a < accumulators.length; a++) {
                accumulators[a] = Accumulator.of(aggregates.get(a));
            }
        }
    }

    /** A running aggregate function. */
    private abstract static class Accumulator {

        abstract void add(Object value);

        abstract Object result();

        static Accumulator of(Plan.Agg agg) {
            return switch (agg.function()) {
                case "COUNT" -> new Accumulator() {
                    private int count;

                    @Override
                    void add(Object value) {
                        count += value == null ? 0 : 1;
                    }

                    @Override
                    Object result() {
                        return count;
                    }
                };
                case "COUNT_DISTINCT" -> new Accumulator() {
                    private final Set<Object> seen = new HashSet<>();

                    @Override
                    void add(Object value) {
                        if (value != null) {
                            seen.add(Comparators.groupKey(agg.field(), value));
                        }
                    }

                    @Override
                    Object result() {
                        return seen.size();
                    }
                };
                case "SUM", "AVG" -> new Accumulator() {
                    private BigDecimal sum;
                    private int count;

                    @Override
                    void add(Object value) {
                        if (value != null) {
                            BigDecimal d = Comparators.decimal(value);
                            sum = sum == null ? d : sum.add(d);
                            count++;
                        }
                    }

                    @Override
                    Object result() {
                        if (sum == null || agg.function().equals("SUM")) {
                            return sum;
                        }
                        BigDecimal average = sum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL64)
                                .stripTrailingZeros();
                        return average.scale() < 0 ? average.setScale(0) : average;
                    }
                };
                default -> new Accumulator() {
                    private final Comparator<Object> order = Comparators.forField(agg.field());
                    private final boolean max = agg.function().equals("MAX");
                    private Object best;

                    @Override
                    void add(Object value) {
                        if (value != null && (best == null || (order.compare(value, best) > 0) == max
                                && order.compare(value, best) != 0)) {
                            best = value;
                        }
                    }

                    @Override
                    Object result() {
                        return best;
                    }
                };
            };
        }
    }
}
