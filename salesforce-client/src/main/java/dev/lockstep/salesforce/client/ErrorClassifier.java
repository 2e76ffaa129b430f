package dev.lockstep.salesforce.client;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.Set;

/**
 * The one place that decides what a Salesforce failure means ({@link ErrorCategory}), from the HTTP status and
 * Salesforce's error code (reference §1.4, §2.10), or from the exception a call died with.
 */
public final class ErrorClassifier {

    private static final Set<String> RETRIABLE_CODES = Set.of("UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE",
            "UNKNOWN_EXCEPTION", "REQUEST_RUNNING_TOO_LONG", "QUERY_TIMEOUT");
    private static final Set<String> AUTH_CODES = Set.of("INVALID_SESSION_ID", "INVALID_AUTH_HEADER");
    private static final Set<String> LIMIT_CODES = Set.of("REQUEST_LIMIT_EXCEEDED", "TXN_SECURITY_METERING_ERROR");
    private static final Set<String> PER_RECORD_CODES = Set.of("DUPLICATE_VALUE", "REQUIRED_FIELD_MISSING",
            "STRING_TOO_LONG", "INVALID_CROSS_REFERENCE_KEY", "FIELD_CUSTOM_VALIDATION_EXCEPTION",
            "FIELD_INTEGRITY_EXCEPTION", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "INVALID_EMAIL_ADDRESS",
            "NUMBER_OUTSIDE_VALID_RANGE", "ENTITY_IS_DELETED", "DUPLICATE_EXTERNAL_ID", "MALFORMED_ID",
            "INVALID_TYPE_ON_FIELD_IN_RECORD", "CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY", "DUPLICATES_DETECTED",
            "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", "ALL_OR_NONE_OPERATION_ROLLED_BACK");

    private ErrorClassifier() {}

    /** The category of an answered call: HTTP status plus Salesforce's error code (may be null). */
    public static ErrorCategory classify(int status, String errorCode) {
        if (errorCode != null) {
            if (AUTH_CODES.contains(errorCode)) {
                return ErrorCategory.AUTH;
            }
            if (LIMIT_CODES.contains(errorCode)) {
                return ErrorCategory.LIMIT;
            }
            if (RETRIABLE_CODES.contains(errorCode)) {
                return ErrorCategory.RETRIABLE;
            }
            if (PER_RECORD_CODES.contains(errorCode)) {
                return ErrorCategory.PER_RECORD;
            }
        }
        if (status == 401) {
            return ErrorCategory.AUTH;
        }
        if (status == 408 || status == 429 || status == 502 || status == 503 || status == 504 || status >= 500) {
            return ErrorCategory.RETRIABLE;
        }
        return ErrorCategory.FATAL;
    }

    /** The category of a call that got no answer: I/O errors and time-outs are worth a retry. */
    public static ErrorCategory classify(Throwable failure) {
        if (failure instanceof SalesforceException e) {
            return e.category();
        }
        if (failure instanceof HttpTimeoutException || failure instanceof IOException) {
            return ErrorCategory.RETRIABLE;
        }
        return ErrorCategory.FATAL;
    }
}
