package dev.lockstep.emulator.org;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One committed change of one record, handed to {@link OrgListener}s in commit order. {@code values} holds the
 * record's stored values after the change (before it, for a delete), by field name; {@code changedFields} names
 * the fields a create set or an update changed, {@code nulledFields} those an update set to null.
 */
public record Change(Type type, String object, String recordId, Instant commitTimestamp,
        List<String> changedFields, List<String> nulledFields, Map<String, Object> values) {

    /** What happened to the record. */
    public enum Type { CREATE, UPDATE, DELETE, UNDELETE, HARD_DELETE }
}
