package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.org.OrgException;
import java.util.List;

/**
 * The request-level errors of Bulk API 2.0, in one place because several are not documented exactly.
 * <p>
 * Verified: 404 {@code NOT_FOUND} for an unknown resource; 412 {@code JOB_NOT_COMPLETE} with its message for query
 * results fetched too early; 409 for query results fetched with another API version than the job's (the code in
 * the body is not documented; {@code API_ERROR} is used); 400 {@code INVALIDENTITY} and {@code API_ERROR} on query
 * job creation. Assumed [M]: {@code INVALIDJOB} for a create request missing what it needs,
 * {@code INVALIDJOBSTATE} (HTTP 400) for a request the job's state does not allow, {@code JSON_PARSER_ERROR} for
 * values outside an enum such as {@code operation}, and {@code INVALIDBATCH} for an upload over the size cap.
 */
final class BulkErrors {

    private BulkErrors() {}

    static OrgException notFound() {
        return new OrgException(404, "NOT_FOUND", "The requested resource does not exist");
    }

    static OrgException invalidJob(String message) {
        return new OrgException(400, "INVALIDJOB", message);
    }

    static OrgException invalidJobState(String message) {
        return new OrgException(400, "INVALIDJOBSTATE", message);
    }

    static OrgException invalidEntity(String object) {
        return new OrgException(400, "INVALIDENTITY", "sObject type '" + object + "' is not supported.");
    }

    /** A JSON value that is not one of an enum's constants, worded as Salesforce's JSON deserializer words it. */
    static OrgException badEnum(String enumName, String value, String field) {
        return new OrgException(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of " + enumName
                + " from VALUE_STRING value " + value + " or request may be missing a required field",
                List.of(field));
    }

    static OrgException apiError(int status, String message) {
        return new OrgException(status, "API_ERROR", message);
    }

    static OrgException uploadTooLarge(long bytes, long maxBase64Bytes) {
        return new OrgException(400, "INVALIDBATCH", "The upload of " + bytes + " bytes exceeds the maximum of "
                + maxBase64Bytes + " bytes once base64-encoded; upload at most 100 MB of CSV per request");
    }

    /** 412 for query results of a job that is not JobComplete; the state is spelled IN_PROGRESS and so on. */
    static OrgException jobNotComplete(JobState state) {
        return new OrgException(412, "JOB_NOT_COMPLETE", "can only download query results of successfully completed"
                + " bulk job with status: JOB_COMPLETE. Current status: " + state.name());
    }
}
