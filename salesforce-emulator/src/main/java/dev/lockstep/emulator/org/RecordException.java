package dev.lockstep.emulator.org;

import java.util.List;

/** One record was rejected, for the reasons listed. A single-record REST call turns it into a 400 error array. */
public class RecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<RecordError> errors;

    public RecordException(List<RecordError> errors) {
        super(errors.isEmpty() ? "record rejected" : errors.get(0).statusCode() + ": " + errors.get(0).message());
        this.errors = List.copyOf(errors);
    }

    public RecordException(RecordError error) {
        this(List.of(error));
    }

    public List<RecordError> errors() {
        return errors;
    }
}
