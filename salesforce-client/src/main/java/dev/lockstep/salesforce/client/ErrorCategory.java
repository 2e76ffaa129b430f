package dev.lockstep.salesforce.client;

/**
 * What a caller should do about a failed Salesforce call. Every failure the client reports carries exactly one.
 */
public enum ErrorCategory {
    /** Transient: I/O errors, 5xx, time-outs, row locks, service unavailable. Retry with backoff. */
    RETRIABLE,
    /** The session is invalid or expired. Log in again (the client does this once by itself) and replay. */
    AUTH,
    /** The API allocation is used up or too many long requests are in flight. Wait for the window. */
    LIMIT,
    /** Will not succeed as asked: bad credentials, bad configuration, malformed request. Tell the operator. */
    FATAL,
    /** One record was rejected; the rest of its batch stands. Route the record to the error path. */
    PER_RECORD
}
