package dev.lockstep.salesforce.client;

import java.util.Objects;

/**
 * A failed Salesforce call, classified. The message names the API and Salesforce's error code and text, never an
 * access token or an instance URL, so it is safe to log and to show an operator.
 */
public class SalesforceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCategory category;
    private final int httpStatus;
    private final String errorCode;

    public SalesforceException(ErrorCategory category, int httpStatus, String errorCode, String message) {
        this(category, httpStatus, errorCode, message, null);
    }

    public SalesforceException(ErrorCategory category, int httpStatus, String errorCode, String message,
            Throwable cause) {
        super(message, cause);
        this.category = Objects.requireNonNull(category, "category");
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public ErrorCategory category() {
        return category;
    }

    /** The HTTP status, or 0 when the call failed before an answer (I/O error, time-out). */
    public int httpStatus() {
        return httpStatus;
    }

    /** Salesforce's error code ({@code INVALID_SESSION_ID}, {@code invalid_grant}, ...), or null. */
    public String errorCode() {
        return errorCode;
    }

    public boolean isRetriable() {
        return category == ErrorCategory.RETRIABLE;
    }
}
