package dev.lockstep.emulator.cdc;

import java.util.List;
import java.util.Map;

/**
 * One Change Data Capture event as the bus keeps it, independent of the transport that delivers it.
 *
 * <p>{@code fields} holds, by the event schema's top-level field names, every field of the record the change
 * carries (Java-typed as the org stores them; compound fields such as {@code BillingAddress} or a person
 * {@code Name} as a map of their component names, {@code City}, {@code FirstName}, ...). Which fields a transport
 * writes depends on the change type: see {@code docs/emulator.md}. {@code changedFields}, {@code nulledFields} and
 * {@code diffFields} name top-level fields or compound components as {@code BillingAddress.City}.
 *
 * @param entityName the object, e.g. {@code Account}
 * @param eventName the event's name, e.g. {@code AccountChangeEvent} or {@code Sync_Sample__ChangeEvent}
 * @param changeType CREATE, UPDATE, DELETE, UNDELETE, GAP_CREATE, GAP_UPDATE, GAP_DELETE, GAP_UNDELETE or
 *     GAP_OVERFLOW
 * @param schema the Avro schema of the entity when the change was committed (its id changes with the fields)
 */
public record ChangeEvent(String entityName, String eventName, List<String> recordIds, String changeType,
        String changeOrigin, String transactionKey, int sequenceNumber, long commitTimestamp, long commitNumber,
        String commitUser, List<String> changedFields, List<String> nulledFields, List<String> diffFields,
        Map<String, Object> fields, EventSchemas.EventSchema schema) {

    public ChangeEvent {
        recordIds = List.copyOf(recordIds);
        changedFields = List.copyOf(changedFields);
        nulledFields = List.copyOf(nulledFields);
        diffFields = List.copyOf(diffFields);
    }

    public boolean isGap() {
        return changeType.startsWith("GAP_");
    }
}
