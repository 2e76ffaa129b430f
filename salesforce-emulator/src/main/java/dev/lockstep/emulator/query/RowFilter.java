package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.RecordView;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * A compiled WHERE condition. SOQL logic is two-valued: a comparison with an empty field is simply false, except
 * {@code != value} and {@code NOT IN}, which hold for empty fields (unlike SQL's three-valued logic).
 */
@FunctionalInterface
interface RowFilter {

    boolean test(RecordView row, Ctx ctx);

    RowFilter ALL = (row, ctx) -> true;
    RowFilter NONE = (row, ctx) -> false;

    static RowFilter and(List<RowFilter> parts) {
        RowFilter[] all = parts.toArray(new RowFilter[0]);
        return (row, ctx) -> {
            for (RowFilter part : all) {
                if (!part.test(row, ctx)) {
                    return false;
                }
            }
            return true;
        };
    }

    static RowFilter or(List<RowFilter> parts) {
        RowFilter[] any = parts.toArray(new RowFilter[0]);
        return (row, ctx) -> {
            for (RowFilter part : any) {
                if (part.test(row, ctx)) {
                    return true;
                }
            }
            return false;
        };
    }

    static RowFilter not(RowFilter inner) {
        return (row, ctx) -> !inner.test(row, ctx);
    }

    static RowFilter isNull(Source source) {
        return (row, ctx) -> source.get(row, ctx) == null;
    }

    static RowFilter notNull(Source source) {
        return (row, ctx) -> source.get(row, ctx) != null;
    }

    /** The field is set and {@code same} holds between its value and {@code literal}. */
    static RowFilter equalTo(Source source, BiPredicate<Object, Object> same, Object literal) {
        return (row, ctx) -> {
            Object value = source.get(row, ctx);
            return value != null && same.test(value, literal);
        };
    }

    /** The field is set and {@code accept} holds for {@code compare(value, literal)}. */
    static RowFilter compare(Source source, Comparator<Object> order, Object literal, IntPredicate accept) {
        return (row, ctx) -> {
            Object value = source.get(row, ctx);
            return value != null && accept.test(order.compare(value, literal));
        };
    }

    /** The field is set and within {@code [low, high)}. */
    static RowFilter within(Source source, Comparator<Object> order, Object low, Object high) {
        return (row, ctx) -> {
            Object value = source.get(row, ctx);
            return value != null && order.compare(value, low) >= 0 && order.compare(value, high) < 0;
        };
    }

    /** The field's key (see {@link Comparators#groupKey}) is one of {@code keys}, or it is empty and nulls count. */
    static RowFilter in(Source source, Function<Object, Object> key, Set<Object> keys, boolean includesNull) {
        return (row, ctx) -> {
            Object value = source.get(row, ctx);
            return value == null ? includesNull : keys.contains(key.apply(value));
        };
    }

    static RowFilter like(Source source, LikePattern pattern) {
        return (row, ctx) -> {
            Object value = source.get(row, ctx);
            return value != null && pattern.matches(value.toString());
        };
    }

    /**
     * INCLUDES: the multi-select value holds every value of at least one of {@code wanted} (each entry is a
     * {@code ;}-separated combination, lower-cased).
     */
    static RowFilter includes(Source source, List<Set<String>> wanted) {
        return (row, ctx) -> {
            Object value = source.get(row, ctx);
            if (value == null) {
                return false;
            }
            Set<String> selected = MultiPicklist.parts(value.toString());
            for (Set<String> combination : wanted) {
                if (selected.containsAll(combination)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** A semi-join: the field's value is among the values the inner query returns, computed once. */
    static RowFilter inSelect(Source source, Function<Ctx, Set<String>> values) {
        return new RowFilter() {
            private Set<String> computed;

            @Override
            public boolean test(RecordView row, Ctx ctx) {
                if (computed == null) {
                    computed = values.apply(ctx);
                }
                Object value = source.get(row, ctx);
                return value != null && computed.contains(value);
            }
        };
    }
}
