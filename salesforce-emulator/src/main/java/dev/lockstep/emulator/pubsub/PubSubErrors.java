package dev.lockstep.emulator.pubsub;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Pub/Sub API errors as Salesforce sends them (reference §6.8): a standard gRPC status, a description ending in
 * {@code rpcId: <id>}, and the trailers {@code error-code} (one of the {@code sfdc.platform.eventbus.grpc.*} codes
 * below) and {@code rpc-id}. Clients branch on the error code (the official Java sample retries with EARLIEST on
 * the replay-id codes and waits on {@code service.unavailable}), so every error the emulator raises carries one.
 */
public final class PubSubErrors {

    public static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code",
            Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> RPC_ID = Metadata.Key.of("rpc-id", Metadata.ASCII_STRING_MARSHALLER);

    private static final String PREFIX = "sfdc.platform.eventbus.grpc.";
    public static final String SERVICE_UNAVAILABLE = PREFIX + "service.unavailable";
    public static final String AUTH_ERROR = PREFIX + "service.auth.error";
    public static final String AUTH_HEADERS_INVALID = PREFIX + "service.auth.headers.invalid";
    public static final String TOPIC_NOT_FOUND = PREFIX + "topic.not.found";
    public static final String TOPIC_VALIDATION_EMPTY = PREFIX + "topic.validation.empty";
    public static final String SCHEMA_VALIDATION_FAILED = PREFIX + "schema.validation.failed";
    public static final String REPLAY_ID_CORRUPTED = PREFIX + "subscription.fetch.replayid.corrupted";
    public static final String REPLAY_ID_VALIDATION_FAILED = PREFIX + "subscription.fetch.replayid.validation.failed";
    public static final String REQUESTED_EVENTS_INVALID = PREFIX + "subscription.fetch.requested.events.invalid";
    public static final String TOPIC_MISMATCH = PREFIX + "subscription.fetch.topic.mismatch";
    public static final String SUBSCRIPTION_INTERNAL_ERROR = PREFIX + "subscription.internal.error";
    public static final String PUBLISH_TOPIC_MISMATCH = PREFIX + "publish.topic.mismatch";
    public static final String PUBLISH_TOPIC_EMPTY = PREFIX + "publish.topic.validation.empty";

    /** Salesforce's wording for authentication failures, as clients print it. */
    static final String AUTH_MESSAGE = "An authentication exception occurred. Provide valid authentication via"
            + " metadata headers.";

    private PubSubErrors() {}

    /** The exception to end a call with: {@code status: message rpcId: id}, trailers error-code and rpc-id. */
    public static StatusRuntimeException error(Status.Code code, String errorCode, String message, String rpcId) {
        return Status.fromCode(code).withDescription(message + " rpcId: " + rpcId).asRuntimeException(
                trailers(errorCode, rpcId));
    }

    static Metadata trailers(String errorCode, String rpcId) {
        Metadata trailers = new Metadata();
        if (errorCode != null) {
            trailers.put(ERROR_CODE, errorCode);
        }
        if (rpcId != null) {
            trailers.put(RPC_ID, rpcId);
        }
        return trailers;
    }
}
