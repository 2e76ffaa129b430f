package dev.lockstep.emulator.query;

import java.util.List;

/**
 * The rows a query selected, snapshotted at query time: plain values (Strings, numbers, dates, parent references,
 * nested {@link ChildRows}), never live records, so a cursor keeps answering the same rows while the org changes.
 */
record ResultSet(Plan plan, List<Object[]> rows, int totalSize) {

    /** The rows of a child subquery for one parent. */
    record ChildRows(Plan plan, List<Object[]> rows) {}
}
