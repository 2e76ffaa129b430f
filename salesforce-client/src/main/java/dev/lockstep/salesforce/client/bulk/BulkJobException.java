package dev.lockstep.salesforce.client.bulk;

import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;

/**
 * A Bulk job that ended Failed or Aborted, or did not end in time. Carries the job's last JobInfo, so that the
 * caller can still read the results of an ingest job (its failed and unprocessed records).
 */
public final class BulkJobException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    /** Error code of a job that ended Failed. */
    public static final String JOB_FAILED = "JOB_FAILED";
    /** Error code of a job that ended Aborted. */
    public static final String JOB_ABORTED = "JOB_ABORTED";
    /** Error code of a job still running when the client stopped waiting. */
    public static final String JOB_TIMEOUT = "JOB_TIMEOUT";

    private final transient JobInfo job;

    BulkJobException(ErrorCategory category, String errorCode, String message, JobInfo job) {
        super(category, 0, errorCode, message);
        this.job = job;
    }

    /** The job as Salesforce last described it (null after deserialization). */
    public JobInfo job() {
        return job;
    }
}
