package dev.lockstep.salesforce.client.streaming;

import java.time.Instant;
import java.util.List;

/**
 * The header of a Change Data Capture event (reference §5.2). {@code changedFields}, {@code nulledFields} and
 * {@code diffFields} are field names, compound components as {@code BillingAddress.City}, already decoded from
 * Pub/Sub's bitmaps; CometD sends no nulled or diff fields, so those are empty for it.
 */
public record ChangeEventHeader(String entityName, List<String> recordIds, String changeType, String changeOrigin,
        String transactionKey, int sequenceNumber, Instant commitTimestamp, long commitNumber, String commitUser,
        List<String> changedFields, List<String> nulledFields, List<String> diffFields) {

    public ChangeEventHeader {
        recordIds = List.copyOf(recordIds);
        changedFields = List.copyOf(changedFields);
        nulledFields = List.copyOf(nulledFields);
        diffFields = List.copyOf(diffFields);
    }

    /** A gap event (GAP_CREATE, ..., GAP_OVERFLOW): no field values, re-read the records or the object. */
    public boolean isGap() {
        return changeType.startsWith("GAP_");
    }
}
