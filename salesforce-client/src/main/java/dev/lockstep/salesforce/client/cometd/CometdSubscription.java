package dev.lockstep.salesforce.client.cometd;

import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.AccessToken;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.EventSink;
import dev.lockstep.salesforce.client.streaming.ReplayFrom;
import dev.lockstep.salesforce.client.streaming.ReplayId;
import dev.lockstep.salesforce.client.streaming.ReplayIdInvalidException;
import dev.lockstep.salesforce.client.streaming.Subscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.client.ClientSession;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel followed over its own succession of Bayeux sessions ({@link Attempt}s): a new one after every
 * failure, resubscribing after the last event received, so a re-login, a dropped stream or a network break loses
 * and repeats nothing.
 *
 * <p><b>Flow control.</b> CometD cannot be asked to hold events, but the client decides when to send the next
 * {@code /meta/connect} (the long poll that fetches them). Events of a connect response are queued in the
 * {@code inbox}; the next connect is held — by not completing the promise of an asynchronous outgoing extension, so
 * no thread waits — until the sink has taken every queued event. The buffer is therefore bounded by one connect
 * response (Salesforce: at most the 10 MB message size), and back-pressure reaches Salesforce. If the consumer
 * stays full past Salesforce's 40-second reconnect window the server forgets the client; the released connect then
 * gets {@code 403::Unknown client} and the subscription handshakes again from its position, losing nothing.
 *
 * <p><b>Threads.</b> CometD callbacks (Jetty threads) take the lock only to queue an event or record a state
 * change, never call the sink or Salesforce, and hand everything else to the client's worker thread. The sink, the
 * session's re-login, schema fetches and reconnect scheduling run on the worker. {@link #lastReplayId()} is
 * volatile. {@link #close()} may be called from any thread.
 */
final class CometdSubscription implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(CometdSubscription.class);
    private static final long LATEST = -1L;
    private static final long EARLIEST = -2L;

    private final CometdClient client;
    private final String channel;
    private final EventSink sink;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Object lock = new Object();

    // Guarded by lock.
    private final ArrayDeque<Pending> inbox = new ArrayDeque<>();
    /** The replay position of the next subscribe: -1, -2, or the id of the last event queued. */
    private long position;
    private Attempt current;
    private Promise<Boolean> heldConnect;
    /** Failures since the last successful connect, against the RetryPolicy. */
    private int failures;
    private int sessions;
    private boolean ended;
    private Future<?> scheduled;

    private volatile ReplayId lastDelivered;

    /** An event received and not yet delivered, kept as CometD parsed it: it is converted on the worker. */
    private record Pending(long replayId, Map<String, Object> data) {}

    CometdSubscription(CometdClient client, String channel, ReplayFrom from, EventSink sink) {
        this.client = client;
        this.channel = channel;
        this.sink = sink;
        switch (from.kind()) {
            case EARLIEST:
                position = EARLIEST;
                break;
            case CUSTOM:
                position = from.after().asLong();
                lastDelivered = from.after();
                break;
            default:
                position = LATEST;
        }
    }

    void start() {
        client.worker().execute(this::connect);
    }

    @Override
    public String channel() {
        return channel;
    }

    @Override
    public ReplayId lastReplayId() {
        return lastDelivered;
    }

    @Override
    public void capacityAvailable() {
        scheduleDrain();
    }

    // ---- Bayeux sessions -------------------------------------------------------------------------------------

    /** One BayeuxClient: a handshake, a subscribe and its long polls, until it fails or is closed. */
    private final class Attempt {

        final BayeuxClient bayeux;
        final ReplayExtension replay;
        /** The token of the latest request, the one to call stale if Salesforce rejects it. */
        volatile AccessToken token;

        Attempt(String url) {
            Map<String, Object> options = new HashMap<>();
            options.put(ClientTransport.MAX_MESSAGE_SIZE_OPTION, CometdClient.MAX_MESSAGE_SIZE);
            options.put(ClientTransport.MAX_NETWORK_DELAY_OPTION, CometdClient.MAX_NETWORK_DELAY_MILLIS);
            JettyHttpClientTransport transport = new JettyHttpClientTransport(options, client.jetty()) {
                @Override
                protected void customize(Request request) {
                    // Read on every request: after a re-login by any caller of the session, the next long poll
                    // already carries the new token. token() only blocks before the first login, done on the worker.
                    AccessToken t = client.session().token();
                    token = t;
                    request.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + t.value()));
                }
            };
            bayeux = new BayeuxClient(url, transport);
            replay = new ReplayExtension(() -> {
                synchronized (lock) {
                    return Map.of(channel, position);
                }
            });
            bayeux.addExtension(replay);
            bayeux.addExtension(new ClientSession.Extension() {
                @Override
                public void outgoing(ClientSession session, Message.Mutable message, Promise<Boolean> promise) {
                    if (Channel.META_CONNECT.equals(message.getChannel()) && hold(Attempt.this, promise)) {
                        return;
                    }
                    promise.succeed(true);
                }
            });
            bayeux.getChannel(Channel.META_CONNECT).addListener((ClientSessionChannel.MessageListener) (c, m) -> {
                if (m.isSuccessful()) {
                    connected(Attempt.this);
                } else {
                    failed(Attempt.this, m, "connect");
                }
            });
        }

        void handshake() {
            bayeux.handshake(reply -> {
                if (!reply.isSuccessful()) {
                    failed(this, reply, "handshake");
                } else if (!replay.enabled() && position() != LATEST) {
                    // Without replay Salesforce would start at the tip: the events since our position would be lost.
                    end(this, new SalesforceException(ErrorCategory.FATAL, 0, null, "The Streaming API did not "
                            + "switch on replay for " + channel + "; cannot resume from a stored position"));
                } else {
                    bayeux.getChannel(channel).subscribe((c, m) -> received(this, m), r -> {
                        if (!r.isSuccessful()) {
                            failed(this, r, "subscribe");
                        } else {
                            live(this);
                        }
                    });
                }
            });
        }
    }

    private long position() {
        synchronized (lock) {
            return position;
        }
    }

    /** Starts a new Bayeux session, on the worker thread. */
    private void connect() {
        String url;
        Attempt attempt;
        try {
            url = client.session().token().instanceUrl().resolve("/cometd/" + client.apiVersion()).toString();
        } catch (SalesforceException e) {
            retryOrEnd(null, e);
            return;
        }
        synchronized (lock) {
            if (ended) {
                return;
            }
            attempt = new Attempt(url);
            current = attempt;
            if (sessions++ > 0) {
                client.metrics().reconnect();
            }
        }
        client.metrics().handshake();
        attempt.handshake();
    }

    private boolean isCurrent(Attempt attempt) {
        synchronized (lock) {
            return !ended && attempt == current;
        }
    }

    private void connected(Attempt attempt) {
        synchronized (lock) {
            if (attempt == current) {
                failures = 0;
            }
        }
    }

    /** A failed handshake, subscribe or connect reply (Jetty thread): classified, then handled on the worker. */
    private void failed(Attempt attempt, Message reply, String where) {
        if (!isCurrent(attempt)) {
            return; // an abandoned session's replies, including those of our own abort
        }
        String error = reply.get(Message.ERROR_FIELD) instanceof String s ? s : "";
        String reason = failureReason(reply);
        String described = where + " failed: " + (error.isEmpty() ? transportFailure(reply) : error)
                + (reason.isEmpty() ? "" : " (" + reason + ")");
        if (error.startsWith("400::The replayId ") && error.contains("you provided was invalid")) {
            end(attempt, new ReplayIdInvalidException("INVALID_REPLAY_ID", "The Streaming API refused to resume "
                    + channel + " after replay id " + position() + ": " + error));
        } else if (where.equals("subscribe") && (error.contains("doesn't exist")
                || error.contains("Channel name not specified") || error.contains("must start with a leading")
                || error.contains("Restricted channel") || error.contains("not allowed to subscribe"))) {
            end(attempt, new SalesforceException(ErrorCategory.FATAL, 400, null, "Cannot subscribe to " + channel
                    + ": " + error + ". Check the channel name and that the object is selected for Change Data "
                    + "Capture."));
        } else if (isLimit(error) || isLimit(reason)) {
            // The org's event delivery or client allocation is used up: retrying cannot help before the window
            // rolls, so the caller decides when to come back.
            end(attempt, new SalesforceException(ErrorCategory.LIMIT, 403, null, "Streaming API " + described
                    + " on " + channel + ": the org's streaming allocation is used up; resume later from the last "
                    + "replay id"));
        } else if (error.startsWith("401") || reason.startsWith("401")) {
            // The token was rejected (401::Authentication invalid, or 403::Handshake denied for a 401 reason).
            client.worker().execute(() -> reauthenticate(attempt, described));
        } else {
            // 403::Unknown client (the server forgot us), network failures, 5xx, too busy: a new session after
            // backoff. No re-login: the token is not at fault, and a handshake with a bad one reports 401 above.
            SalesforceException e = new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Streaming API "
                    + described + " on " + channel);
            client.worker().execute(() -> retryOrEnd(attempt, e));
        }
    }

    /** Salesforce's allocation errors: {@code 403::Organization total events daily limit exceeded} and the like. */
    static boolean isLimit(String error) {
        return error != null && error.startsWith("403::") && error.toLowerCase(java.util.Locale.ROOT)
                .contains("limit exceeded");
    }

    private void reauthenticate(Attempt attempt, String described) {
        if (!abandon(attempt)) {
            return;
        }
        synchronized (lock) {
            // Auth failures in a row mean new tokens are refused too: they count against the retries.
            if (failures++ >= client.retry().maxRetries()) {
                endNow(new SalesforceException(ErrorCategory.AUTH, 401, null, "Streaming API " + described
                        + " on " + channel + " again after logging in again"));
                return;
            }
        }
        try {
            client.metrics().relogin();
            client.session().renew(attempt.token);
        } catch (SalesforceException e) {
            retryOrEnd(null, e);
            return;
        }
        LOG.info("Streaming API session for {} re-authenticated; handshaking again", channel);
        connect();
    }

    /** On the worker: leave {@code attempt} (if still current) and schedule a new session, or give up. */
    private void retryOrEnd(Attempt attempt, SalesforceException failure) {
        if (attempt != null && !abandon(attempt)) {
            return;
        }
        if (!failure.isRetriable()) {
            endNow(failure);
            return;
        }
        long delay;
        synchronized (lock) {
            if (ended) {
                return;
            }
            if (failures >= client.retry().maxRetries()) {
                ended = true;
            } else {
                delay = client.retry().delay(failures++).toMillis();
                LOG.debug("Reconnecting {} in {} ms: {}", channel, delay, failure.getMessage());
                scheduled = client.worker().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
                return;
            }
        }
        notifyFailed(new SalesforceException(ErrorCategory.RETRIABLE, failure.httpStatus(), failure.errorCode(),
                failure.getMessage() + "; gave up after " + client.retry().maxRetries() + " reconnects", failure));
    }

    /** Makes {@code attempt} stop (if it is current) and reports whether it was. */
    private boolean abandon(Attempt attempt) {
        Promise<Boolean> held;
        synchronized (lock) {
            if (ended || attempt != current) {
                return false;
            }
            current = null;
            held = heldConnect;
            heldConnect = null;
        }
        if (held != null) {
            held.succeed(false);
        }
        attempt.bayeux.abort();
        return true;
    }

    /** The subscribe reply was successful (Jetty thread): the sink hears it on the worker. */
    private void live(Attempt attempt) {
        client.worker().execute(() -> {
            synchronized (lock) {
                if (ended || attempt != current) {
                    return;
                }
            }
            sink.live();
        });
    }

    /** Ends the subscription from a Jetty thread: the sink is told on the worker. */
    private void end(Attempt attempt, SalesforceException failure) {
        client.worker().execute(() -> {
            if (abandon(attempt)) {
                endNow(failure);
            }
        });
    }

    private void endNow(SalesforceException failure) {
        Attempt attempt;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            attempt = current;
            current = null;
            inbox.clear(); // the consumer resumes from lastReplayId(): nothing undelivered is lost
        }
        if (attempt != null) {
            attempt.bayeux.abort();
        }
        notifyFailed(failure);
    }

    private void notifyFailed(SalesforceException failure) {
        LOG.warn("Streaming API subscription to {} ended: {}", channel, failure.getMessage());
        client.forget(this);
        sink.failed(failure);
    }

    // ---- Events and flow control -----------------------------------------------------------------------------

    /** An event on the channel (Jetty thread): queued, converted and delivered on the worker. */
    private void received(Attempt attempt, Message message) {
        Map<String, Object> data = message.getDataAsMap();
        Object event = data == null ? null : data.get("event");
        if (!(event instanceof Map<?, ?> e && e.get("replayId") instanceof Number)) {
            // Without a position the event can be neither resumed after nor told from a duplicate: stop, never skip.
            end(attempt, new SalesforceException(ErrorCategory.FATAL, 0, null, "A CometD event on " + channel
                    + " has no data.event.replayId"));
            return;
        }
        long replayId = ((Number) ((Map<?, ?>) event).get("replayId")).longValue();
        synchronized (lock) {
            // Replay ids rise: one at or below the position was queued already (a resubscribe race), so it is
            // dropped rather than delivered twice. Events of an abandoned session are replayed by the new one.
            if (ended || attempt != current || replayId <= position && position > 0) {
                return;
            }
            inbox.add(new Pending(replayId, data));
            position = replayId;
        }
        client.metrics().eventReceived();
        scheduleDrain();
    }

    /** Whether to hold this attempt's next connect: yes while events wait for room in the sink. */
    private boolean hold(Attempt attempt, Promise<Boolean> promise) {
        synchronized (lock) {
            if (ended || attempt != current || inbox.isEmpty()) {
                return false;
            }
            heldConnect = promise;
        }
        client.metrics().connectHeld();
        scheduleDrain();
        return true;
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                client.worker().execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                drainScheduled.set(false); // the client is closing
            }
        }
    }

    /** On the worker: hands queued events to the sink as far as it has room, then releases a held connect. */
    private void drain() {
        drainScheduled.set(false);
        while (true) {
            int room = sink.remainingCapacity();
            List<Pending> batch = new ArrayList<>();
            Promise<Boolean> release = null;
            synchronized (lock) {
                if (ended) {
                    return;
                }
                while (batch.size() < room && !inbox.isEmpty()) {
                    batch.add(inbox.poll());
                }
                if (inbox.isEmpty()) {
                    release = heldConnect;
                    heldConnect = null;
                }
            }
            if (!batch.isEmpty()) {
                List<ChangeEvent> events = new ArrayList<>(batch.size());
                try {
                    for (Pending p : batch) {
                        events.add(client.converter().convert(channel, p.data()));
                    }
                } catch (SalesforceException e) {
                    endNow(e);
                    return;
                } catch (RuntimeException e) {
                    endNow(new SalesforceException(ErrorCategory.FATAL, 0, null, "A CometD event on " + channel
                            + " could not be read: " + e, e));
                    return;
                }
                sink.accept(events);
                lastDelivered = events.get(events.size() - 1).replayId();
            }
            if (release != null) {
                release.succeed(true);
            }
            if (batch.isEmpty() || release != null) {
                return; // empty now, or the sink is full: capacityAvailable() schedules the next drain
            }
        }
    }

    /** Disconnects (waiting up to the client's close time-out) and returns once the worker let go of the sink. */
    @Override
    public void close() {
        Attempt attempt;
        Promise<Boolean> held;
        synchronized (lock) {
            if (ended && current == null) {
                client.forget(this);
                return;
            }
            ended = true;
            attempt = current;
            current = null;
            held = heldConnect;
            heldConnect = null;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            inbox.clear();
        }
        client.forget(this);
        if (held != null) {
            held.succeed(false);
        }
        long timeout = client.closeTimeout().toMillis();
        if (attempt != null && !attempt.bayeux.disconnect(timeout)) {
            attempt.bayeux.abort();
        }
        if (!Thread.currentThread().getName().equals("lockstep-cometd")) {
            // A no-op behind whatever the worker is doing: once it ran, no sink call of ours is in progress.
            try {
                client.worker().submit(() -> { }).get(timeout, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("CometD worker already stopped");
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warn("The CometD worker did not let go of the sink of {} within {} ms", channel, timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Salesforce's detail, {@code ext.sfdc.failureReason}, e.g. {@code 401::Authentication invalid}. */
    private static String failureReason(Message reply) {
        Map<String, Object> ext = reply.getExt();
        Object sfdc = ext == null ? null : ext.get("sfdc");
        Object reason = sfdc instanceof Map<?, ?> m ? m.get("failureReason") : null;
        return reason instanceof String s ? s : "";
    }

    /** CometD's own description of a failure without a Bayeux error (I/O error, time-out, HTTP status). */
    private static String transportFailure(Message reply) {
        Object failure = reply.get("failure");
        if (failure instanceof Map<?, ?> m) {
            Object exception = m.get("exception");
            Object code = m.get("httpCode");
            return exception != null ? exception.toString() : code != null ? "HTTP " + code : "no answer";
        }
        return "no answer";
    }
}
