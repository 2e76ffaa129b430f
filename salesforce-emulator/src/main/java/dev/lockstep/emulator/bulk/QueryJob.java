package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.org.OrgClock;
import dev.lockstep.emulator.query.QueryResult;
import java.util.Map;

/**
 * A query job: its options and the rows its query selected when the job was created (a snapshot; later writes do
 * not change them), or why running the query failed.
 */
final class QueryJob extends BulkJob {

    private final String query;
    private QueryResult result;
    private String failure;

    QueryJob(String id, long sequence, String operation, String query, String createdById, int apiVersion,
            ColumnDelimiter delimiter, LineEnding lineEnding, OrgClock clock) {
        super(id, sequence, operation, null, createdById, apiVersion, delimiter, lineEnding,
                JobState.UPLOAD_COMPLETE, clock);
        this.query = query;
    }

    @Override
    String jobType() {
        return "V2Query";
    }

    String query() {
        return query;
    }

    /** The rows the query selected; the job completes with them. */
    synchronized void result(QueryResult rows) {
        this.result = rows;
        object(rows.object());
    }

    /** Running the query failed for a reason that is not the client's; the job fails with {@code message}. */
    synchronized void failure(String message) {
        this.failure = message;
    }

    synchronized String failure() {
        return failure;
    }

    synchronized int rowCount() {
        return result == null ? 0 : result.rows().size();
    }

    /** The rows, if the job is JobComplete; 412 {@code JOB_NOT_COMPLETE} otherwise. */
    synchronized QueryResult completedResult() {
        if (state() != JobState.JOB_COMPLETE) {
            throw BulkErrors.jobNotComplete(state());
        }
        return result;
    }

    /** Aborts a job that has not ended. */
    synchronized void abort() {
        if (state().terminal()) {
            throw BulkErrors.invalidJobState("Unable to abort the job: it is already in state " + state().wire());
        }
        moveTo(JobState.ABORTED);
    }

    /** A query job can be deleted once it ended: JobComplete, Aborted or Failed. */
    synchronized void checkDeletable() {
        if (!state().terminal()) {
            throw BulkErrors.invalidJobState("Unable to delete the job: it is in state " + state().wire()
                    + "; only jobs in state JobComplete, Aborted or Failed can be deleted");
        }
    }

    /** Drops the rows of a deleted job. */
    synchronized void release() {
        result = null;
    }

    @Override
    synchronized Map<String, Object> info(Detail detail) {
        Map<String, Object> info = head();
        info.put("concurrencyMode", "Parallel");
        info.put("contentType", "CSV");
        info.put("apiVersion", apiVersionNumber());
        if (detail != Detail.CREATED) {
            info.put("jobType", jobType());
        }
        info.put("lineEnding", lineEnding().name());
        info.put("columnDelimiter", delimiter().name());
        if (detail == Detail.FULL) {
            info.put("numberRecordsProcessed", numberRecordsProcessed());
            info.put("retries", 0);
            info.put("totalProcessingTime", totalProcessingTime());
            info.put("isPkChunkingSupported", Boolean.TRUE);
            if (errorMessage() != null) {
                info.put("errorMessage", errorMessage());
            }
        }
        return info;
    }
}
