package dev.lockstep.salesforce.client.pubsub;

import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.streaming.ReplayIdInvalidException;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Classifies a failed Pub/Sub call by its {@code error-code} trailer first and its gRPC status second (reference
 * §6.8): Salesforce's custom code says more than the status, and calls that never reached Pub/Sub (proxy resets)
 * carry only the status. Stateless.
 */
final class PubSubErrors {

    static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> RPC_ID = Metadata.Key.of("rpc-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final String PREFIX = "sfdc.platform.eventbus.grpc.";

    private PubSubErrors() {}

    /** The custom error code of a failed call, or null. */
    static String errorCode(Metadata trailers) {
        return trailers == null ? null : trailers.get(ERROR_CODE);
    }

    /**
     * The classified failure. Auth errors come back as {@link ErrorCategory#AUTH} (the caller renews the session
     * once); bad replay ids as {@link ReplayIdInvalidException}.
     */
    static SalesforceException classify(String call, Status status, Metadata trailers) {
        String code = errorCode(trailers);
        String suffix = code != null && code.startsWith(PREFIX) ? code.substring(PREFIX.length()) : code;
        String message = "Pub/Sub " + call + " failed: " + status.getCode()
                + (code == null ? "" : " " + code) + (status.getDescription() == null ? ""
                        : " (" + status.getDescription() + ")");
        int http = httpStatus(status.getCode());
        if (suffix != null) {
            if (suffix.endsWith("replayid.corrupted") || suffix.endsWith("replayid.validation.failed")) {
                return new ReplayIdInvalidException(code, message
                        + ". The stored replay id is unknown or older than the retention: events were lost, "
                        + "re-synchronise.");
            }
            if (suffix.equals("service.auth.error") || suffix.equals("service.auth.refresh.invalid")) {
                return new SalesforceException(ErrorCategory.AUTH, 401, code, message, status.asException());
            }
            if (suffix.equals("topic.not.found") || suffix.startsWith("topic.validation")
                    || suffix.endsWith("meta.permission") || suffix.equals("subscription.topic.cannot.subscribe")
                    || suffix.equals("service.auth.headers.invalid") || suffix.equals("service.tenant.license")
                    || suffix.equals("schema.validation.failed")) {
                return new SalesforceException(ErrorCategory.FATAL, http, code, message, status.asException());
            }
            if (suffix.equals("subscription.limit.exceeded") || suffix.startsWith("service.protection")
                    || suffix.equals("concurrent.client.limit.exceeded")) {
                return new SalesforceException(ErrorCategory.LIMIT, 429, code, message, status.asException());
            }
            if (suffix.equals("service.unavailable") || suffix.endsWith("api.unavailable")
                    || suffix.equals("subscription.internal.error") || suffix.equals("subscription.fetch.replay.repeated")) {
                return new SalesforceException(ErrorCategory.RETRIABLE, 503, code, message, status.asException());
            }
        }
        switch (status.getCode()) {
            case UNAUTHENTICATED:
                return new SalesforceException(ErrorCategory.AUTH, 401, code, message, status.asException());
            case UNAVAILABLE:
            case DEADLINE_EXCEEDED:
            case ABORTED:
            case INTERNAL:
            case UNKNOWN:
            case RESOURCE_EXHAUSTED:
                return new SalesforceException(ErrorCategory.RETRIABLE, http, code, message, status.asException());
            default:
                return new SalesforceException(ErrorCategory.FATAL, http, code, message, status.asException());
        }
    }

    /** An HTTP-like status for {@link SalesforceException#httpStatus()}, so callers can log one number. */
    private static int httpStatus(Status.Code code) {
        switch (code) {
            case UNAUTHENTICATED:
                return 401;
            case PERMISSION_DENIED:
                return 403;
            case NOT_FOUND:
                return 404;
            case INVALID_ARGUMENT:
            case FAILED_PRECONDITION:
                return 400;
            case RESOURCE_EXHAUSTED:
                return 429;
            case UNAVAILABLE:
                return 503;
            case DEADLINE_EXCEEDED:
                return 504;
            default:
                return 500;
        }
    }
}
