package dev.lockstep.cli.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Walks Salesforce's records and a table's rows side by side, both in Id order, like the merge step of a merge sort:
 * each step takes the smaller Id, so records and rows meet without either side being held in memory. A record with
 * no live row is missing, a live row with no record is extra, and a record and its row are compared field by field
 * with {@link ValueComparison}. Either side arriving out of order fails the walk rather than reporting wrong
 * differences.
 */
public final class RecordMerge {

    static final String SYSTEM_MODSTAMP = "SystemModstamp";

    private RecordMerge() {
    }

    /**
     * A compared field and its column.
     *
     * @param field the Salesforce field, as describe spells it
     * @param column the column holding it
     */
    public record Field(String field, String column) {
    }

    /** Why a record counts as missing from the table. */
    public enum MissingReason {
        NO_ROW("no row"), SOFT_DELETED("row is soft-deleted (isdeleted = true)");

        private final String text;

        MissingReason(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** A live Salesforce record without a live row. */
    public record Missing(String id, MissingReason reason) {
    }

    /** A field whose column does not hold the record's value. */
    public record FieldDifference(String id, String field, String column, String salesforce, String postgres) {
    }

    /**
     * What a walk found. Lists hold at most the limit given to {@link #merge}; counts are complete. The Ids of every
     * differing record are kept (one string each) for a targeted re-read and for repair.
     */
    public static final class Result {
        private final int limit;
        long salesforceRecords;
        long liveRows;
        long deletedRows;
        long missingCount;
        final List<Missing> missing = new ArrayList<>();
        long extraCount;
        final List<String> extra = new ArrayList<>();
        long fieldDifferenceCount;
        final List<FieldDifference> fieldDifferences = new ArrayList<>();
        long differingRecords;
        final List<String> differingIds = new ArrayList<>();
        final List<String> extraIds = new ArrayList<>();
        Instant oldestModstamp;

        Result(int limit) {
            this.limit = limit;
        }

        /** Live records read from Salesforce. */
        public long salesforceRecords() {
            return salesforceRecords;
        }

        /** Rows with an {@code sfid} that are not soft-deleted. */
        public long liveRows() {
            return liveRows;
        }

        /** Soft-deleted rows. */
        public long deletedRows() {
            return deletedRows;
        }

        public long missingCount() {
            return missingCount;
        }

        public List<Missing> missing() {
            return List.copyOf(missing);
        }

        public long extraCount() {
            return extraCount;
        }

        /** Some extra rows' {@code sfid}s. */
        public List<String> extra() {
            return List.copyOf(extra);
        }

        public long fieldDifferenceCount() {
            return fieldDifferenceCount;
        }

        public List<FieldDifference> fieldDifferences() {
            return List.copyOf(fieldDifferences);
        }

        /** Records with at least one differing field. */
        public long differingRecords() {
            return differingRecords;
        }

        /** Every Id that differs in any way (missing, extra, fields), in Id order. */
        public List<String> differingIds() {
            return List.copyOf(differingIds);
        }

        /** Every extra row's {@code sfid}, in order. */
        public List<String> extraIds() {
            return List.copyOf(extraIds);
        }

        /** The oldest {@code SystemModstamp} among missing and differing records (null when none or not mapped). */
        public Instant oldestModstamp() {
            return oldestModstamp;
        }

        public boolean equal() {
            return missingCount == 0 && extraCount == 0 && fieldDifferenceCount == 0;
        }

        /**
         * This walk's counts with the differences a second walk over {@link #differingIds()} found: what was only
         * in flight during this walk is gone from it.
         */
        public Result settledBy(Result again) {
            Result settled = new Result(limit);
            settled.salesforceRecords = salesforceRecords;
            settled.liveRows = liveRows;
            settled.deletedRows = deletedRows;
            settled.missingCount = again.missingCount;
            settled.missing.addAll(again.missing);
            settled.extraCount = again.extraCount;
            settled.extra.addAll(again.extra);
            settled.fieldDifferenceCount = again.fieldDifferenceCount;
            settled.fieldDifferences.addAll(again.fieldDifferences);
            settled.differingRecords = again.differingRecords;
            settled.differingIds.addAll(again.differingIds);
            settled.extraIds.addAll(again.extraIds);
            settled.oldestModstamp = again.oldestModstamp;
            return settled;
        }

        private <T> void add(List<T> list, T item) {
            if (list.size() < limit) {
                list.add(item);
            }
        }

        private void missing(Map<String, Object> record, MissingReason reason) {
            String id = (String) record.get(SalesforceRecords.ID);
            missingCount++;
            add(missing, new Missing(id, reason));
            differingIds.add(id);
            modstamp(record);
        }

        private void extra(String sfid) {
            extraCount++;
            add(extra, sfid);
            differingIds.add(sfid);
            extraIds.add(sfid);
        }

        private void compare(Map<String, Object> record, PostgresTable.Row row, List<Field> fields) {
            boolean differs = false;
            for (int i = 0; i < fields.size(); i++) {
                Field f = fields.get(i);
                Object expected = record.get(f.field());
                Object actual = row.values().get(i);
                if (!ValueComparison.same(expected, actual)) {
                    differs = true;
                    fieldDifferenceCount++;
                    add(fieldDifferences, new FieldDifference(row.sfid(), f.field(), f.column(),
                            ValueComparison.show(expected), ValueComparison.show(actual)));
                }
            }
            if (differs) {
                differingRecords++;
                differingIds.add(row.sfid());
                modstamp(record);
            }
        }

        private void modstamp(Map<String, Object> record) {
            if (record.get(SYSTEM_MODSTAMP) instanceof Instant stamp
                    && (oldestModstamp == null || stamp.isBefore(oldestModstamp))) {
                oldestModstamp = stamp;
            }
        }
    }

    /**
     * Walks both sides.
     *
     * @param salesforce live records in Id order, each with {@code Id} and the fields
     * @param postgres rows in {@code sfid} order whose values are the fields' columns, in {@code fields} order; a
     *     repeated {@code sfid} (a duplicate, reported separately) is compared once
     * @param limit the most items kept per list
     * @throws IllegalStateException when either side is not in Id order
     */
    public static Result merge(Iterator<Map<String, Object>> salesforce, Iterator<PostgresTable.Row> postgres,
            List<Field> fields, int limit) {
        Result result = new Result(limit);
        Ordered<Map<String, Object>> records = new Ordered<>(salesforce, r -> (String) r.get(SalesforceRecords.ID),
                "Salesforce returned the records", false);
        Ordered<PostgresTable.Row> rows = new Ordered<>(postgres, PostgresTable.Row::sfid,
                "Postgres returned the rows", true);
        while (records.peek() != null || rows.peek() != null) {
            Map<String, Object> record = records.peek();
            PostgresTable.Row row = rows.peek();
            int order = record == null ? 1 : row == null ? -1 : records.key().compareTo(rows.key());
            if (order < 0) {
                result.salesforceRecords++;
                result.missing(records.take(), MissingReason.NO_ROW);
            } else if (order > 0) {
                count(result, rows.take(), true);
            } else {
                result.salesforceRecords++;
                records.take();
                rows.take();
                count(result, row, false);
                if (row.deleted()) {
                    result.missing(record, MissingReason.SOFT_DELETED);
                } else {
                    result.compare(record, row, fields);
                }
            }
        }
        return result;
    }

    private static void count(Result result, PostgresTable.Row row, boolean alone) {
        if (row.deleted()) {
            result.deletedRows++;
        } else {
            result.liveRows++;
            if (alone) {
                result.extra(row.sfid());
            }
        }
    }

    /** One side of the walk: looks one item ahead, checks the order and skips repeats of a key. */
    private static final class Ordered<T> {
        private final Iterator<T> items;
        private final java.util.function.Function<T, String> key;
        private final String what;
        private final boolean skipRepeats;
        private T next;
        private String nextKey;
        private String lastKey;

        Ordered(Iterator<T> items, java.util.function.Function<T, String> key, String what, boolean skipRepeats) {
            this.items = items;
            this.key = key;
            this.what = what;
            this.skipRepeats = skipRepeats;
        }

        T peek() {
            while (next == null && items.hasNext()) {
                T item = items.next();
                String k = key.apply(item);
                if (k == null) {
                    throw new IllegalStateException(what + " with one without an Id");
                }
                if (lastKey != null) {
                    int order = k.compareTo(lastKey);
                    if (order == 0 && skipRepeats) {
                        continue;
                    }
                    if (order <= 0) {
                        throw new IllegalStateException(what + " out of Id order (" + k + " after " + lastKey
                                + "), so they cannot be compared in one pass; nothing is reported from a wrong walk");
                    }
                }
                next = item;
                nextKey = k;
            }
            return next;
        }

        String key() {
            return nextKey;
        }

        T take() {
            T item = peek();
            lastKey = nextKey;
            next = null;
            return item;
        }
    }
}
