package dev.lockstep.emulator.org;

import java.util.List;

/** Why one record was rejected: {@code statusCode} (in per-record results) or {@code errorCode} (top level). */
public record RecordError(String statusCode, String message, List<String> fields) {

    public RecordError {
        fields = List.copyOf(fields == null ? List.of() : fields);
    }

    public static RecordError of(String statusCode, String message, String... fields) {
        return new RecordError(statusCode, message, List.of(fields));
    }
}
