package dev.lockstep.salesforce.client.streaming;

import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;

/**
 * The replay id a subscription asked to resume after is unknown or older than the retention (72 hours): events
 * were lost, so the caller must re-synchronise (re-snapshot or resubscribe from EARLIEST/LATEST by policy).
 */
public class ReplayIdInvalidException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    public ReplayIdInvalidException(String errorCode, String message) {
        super(ErrorCategory.FATAL, 400, errorCode, message);
    }
}
