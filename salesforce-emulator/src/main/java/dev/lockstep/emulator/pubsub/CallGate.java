package dev.lockstep.emulator.pubsub;

import dev.lockstep.emulator.auth.Session;
import dev.lockstep.emulator.auth.Sessions;
import dev.lockstep.emulator.control.Counters;
import dev.lockstep.emulator.control.Faults;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What every Pub/Sub RPC goes through before the service sees it: an rpc id, the authentication metadata
 * (reference §6.3), scripted faults and the request counters ({@code pubsub.subscribe}, {@code pubsub.gettopic},
 * ...).
 *
 * <p>Authentication: {@code accesstoken}, {@code instanceurl} and {@code tenantid} must all be there and non-blank
 * ({@code UNAUTHENTICATED}, {@code service.auth.headers.invalid}); the token must be a live session and the tenant
 * the org's 18-character id ({@code UNAUTHENTICATED}, {@code service.auth.error}). gRPC metadata keys travel in
 * lower case, so {@code accessToken} (the Java sample's spelling) matches too. The instance URL is not compared
 * with the emulator's address: clients reach the emulator as localhost or 127.0.0.1, over http, and Node's client
 * insists on an {@code https://} URL, so any non-blank value passes.
 *
 * <p>Faults armed for {@code pubsub} or {@code pubsub.<rpc>} (after authentication, as on the HTTP side): a status
 * fault ends the call with {@code UNAVAILABLE} / {@code service.unavailable} ({@code UNAUTHENTICATED} /
 * {@code service.auth.error} for status 401); a time-out fault holds the call, then ends it with a bare
 * {@code UNAVAILABLE} and no rpc id, as a reset by a proxy in front of Salesforce does.
 */
final class CallGate implements ServerInterceptor {

    /** The call's rpc id, for responses and error messages. */
    static final Context.Key<String> RPC_ID = Context.key("lockstep-pubsub-rpc-id");
    /** The caller's session, to re-check on long-lived streams. */
    static final Context.Key<Session> SESSION = Context.key("lockstep-pubsub-session");

    private static final Metadata.Key<String> ACCESS_TOKEN = Metadata.Key.of("accesstoken",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> INSTANCE_URL = Metadata.Key.of("instanceurl",
            Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> TENANT_ID = Metadata.Key.of("tenantid",
            Metadata.ASCII_STRING_MARSHALLER);

    private final Sessions sessions;
    private final String orgId;
    private final Faults faults;
    private final Counters counters;
    private final ScheduledExecutorService scheduler;

    CallGate(Sessions sessions, String orgId, Faults faults, Counters counters, ScheduledExecutorService scheduler) {
        this.sessions = sessions;
        this.orgId = orgId;
        this.faults = faults;
        this.counters = counters;
        this.scheduler = scheduler;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String rpcId = UUID.randomUUID().toString();
        String kind = "pubsub." + call.getMethodDescriptor().getBareMethodName().toLowerCase(Locale.ROOT);
        String token = headers.get(ACCESS_TOKEN);
        if (blank(token) || blank(headers.get(INSTANCE_URL)) || blank(headers.get(TENANT_ID))) {
            return refuse(call, PubSubErrors.error(Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_HEADERS_INVALID,
                    PubSubErrors.AUTH_MESSAGE, rpcId));
        }
        Optional<Session> session = sessions.resolve(token.trim());
        if (session.isEmpty() || !orgId.equals(headers.get(TENANT_ID).trim())) {
            return refuse(call, PubSubErrors.error(Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_ERROR,
                    PubSubErrors.AUTH_MESSAGE, rpcId));
        }
        counters.increment(kind);
        Optional<Faults.Fault> fault = faults.take(kind);
        if (fault.isPresent()) {
            return injected(call, fault.get(), rpcId);
        }
        Context context = Context.current().withValues(RPC_ID, rpcId, SESSION, session.get());
        return Contexts.interceptCall(context, call, headers, next);
    }

    private <Q, R> ServerCall.Listener<Q> injected(ServerCall<Q, R> call, Faults.Fault fault, String rpcId) {
        if (fault.type() == Faults.Type.TIMEOUT) {
            // Never hold a gRPC thread: the call just stays unanswered until the scheduler ends it.
            scheduler.schedule(() -> {
                try {
                    call.close(Status.UNAVAILABLE.withDescription("Connection reset (injected time-out)"),
                            new Metadata());
                } catch (IllegalStateException alreadyClosed) {
                    // The client gave up first.
                }
            }, fault.hold().toMillis(), TimeUnit.MILLISECONDS);
            return new ServerCall.Listener<>() {};
        }
        if (fault.status() == 401) {
            return refuse(call, PubSubErrors.error(Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_ERROR,
                    PubSubErrors.AUTH_MESSAGE, rpcId));
        }
        return refuse(call, PubSubErrors.error(Status.Code.UNAVAILABLE, PubSubErrors.SERVICE_UNAVAILABLE,
                "The Pub/Sub API service is unavailable (injected fault).", rpcId));
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, StatusRuntimeException error) {
        call.close(error.getStatus(), error.getTrailers());
        return new ServerCall.Listener<>() {};
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
