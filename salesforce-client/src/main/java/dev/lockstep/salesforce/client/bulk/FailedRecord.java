package dev.lockstep.salesforce.client.bulk;

import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.ErrorClassifier;
import dev.lockstep.salesforce.client.rest.RestApi.RecordError;
import java.util.List;
import java.util.Map;

/**
 * One row of an ingest job's {@code failedResults}.
 *
 * @param id {@code sf__Id}; null for a failed insert
 * @param errors {@code sf__Error} parsed into status code, message and fields
 * @param fields the row's original columns as uploaded, as text
 */
public record FailedRecord(String id, List<RecordError> errors, Map<String, String> fields) {

    /**
     * What to do about the row: RETRIABLE for a row lock (upload it again), PER_RECORD for a rejected record
     * (route it to the error path), FATAL for an error code the classifier does not know.
     */
    public ErrorCategory category() {
        return errors.isEmpty() ? ErrorCategory.FATAL : ErrorClassifier.classify(400, errors.get(0).statusCode());
    }
}
