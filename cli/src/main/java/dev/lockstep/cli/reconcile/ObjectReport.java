package dev.lockstep.cli.reconcile;

import dev.lockstep.cli.mapping.Mapping;
import java.util.List;

/**
 * What reconciling one mapping found.
 *
 * @param mapping the mapping (resolved against describe)
 * @param problem why the mapping could not be compared (e.g. its table does not exist), or null
 * @param records the record-by-record walk: counts, missing and extra records, field differences; null with a
 *     problem
 * @param rowsWithoutSfid rows an application wrote that have no {@code sfid} (not compared: they are nobody's
 *     record yet)
 * @param duplicates {@code sfid}s held by more than one row
 * @param orphans live rows whose reference names a parent record without a row
 * @param missingColumns mapped fields whose column the table does not have (not compared)
 * @param notCompared mapped fields left out of the comparison, each with the reason
 */
public record ObjectReport(Mapping mapping, String problem, RecordMerge.Result records, long rowsWithoutSfid,
        PostgresTable.Found<PostgresTable.Duplicate> duplicates, PostgresTable.Found<PostgresTable.Orphan> orphans,
        List<String> missingColumns, List<String> notCompared) {

    public ObjectReport {
        missingColumns = List.copyOf(missingColumns);
        notCompared = List.copyOf(notCompared);
    }

    /** A mapping that could not be compared. */
    public static ObjectReport notCompared(Mapping mapping, String problem) {
        return new ObjectReport(mapping, problem, null, 0, new PostgresTable.Found<>(0, List.of()),
                new PostgresTable.Found<>(0, List.of()), List.of(), List.of());
    }

    /** Whether Salesforce and the table agree in every respect reconcile checks. */
    public boolean equal() {
        return problem == null && records.equal() && duplicates.total() == 0 && orphans.total() == 0
                && missingColumns.isEmpty();
    }

    /** The same report with another walk and other SQL checks (after a re-check). */
    public ObjectReport with(RecordMerge.Result newRecords, PostgresTable.Found<PostgresTable.Duplicate> newDuplicates,
            PostgresTable.Found<PostgresTable.Orphan> newOrphans) {
        return new ObjectReport(mapping, problem, newRecords, rowsWithoutSfid, newDuplicates, newOrphans,
                missingColumns, notCompared);
    }
}
