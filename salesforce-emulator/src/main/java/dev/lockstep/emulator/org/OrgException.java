package dev.lockstep.emulator.org;

import java.util.List;

/**
 * A request-level failure, answered as Salesforce answers it: an HTTP status and the body
 * {@code [{"message": ..., "errorCode": ..., "fields": [...]}]}.
 */
public class OrgException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;
    private final List<String> fields;

    public OrgException(int status, String errorCode, String message) {
        this(status, errorCode, message, List.of());
    }

    public OrgException(int status, String errorCode, String message, List<String> fields) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.fields = List.copyOf(fields);
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public List<String> fields() {
        return fields;
    }
}
