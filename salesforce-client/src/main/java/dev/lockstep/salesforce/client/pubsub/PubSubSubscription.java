package dev.lockstep.salesforce.client.pubsub;

import com.google.protobuf.ByteString;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.AccessToken;
import dev.lockstep.salesforce.client.pubsub.proto.ConsumerEvent;
import dev.lockstep.salesforce.client.pubsub.proto.FetchRequest;
import dev.lockstep.salesforce.client.pubsub.proto.FetchResponse;
import dev.lockstep.salesforce.client.pubsub.proto.ReplayPreset;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.EventSink;
import dev.lockstep.salesforce.client.streaming.ReplayFrom;
import dev.lockstep.salesforce.client.streaming.ReplayId;
import dev.lockstep.salesforce.client.streaming.Subscription;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Pub/Sub {@code Subscribe} stream and its reconnects (reference §6.4, §6.8).
 *
 * <p>Threading: every piece of state below the volatile fields is confined to one single-threaded
 * {@link ScheduledExecutorService} of this subscription. gRPC callbacks do nothing but hand their message to that
 * thread, so no gRPC thread ever decodes, calls the sink, fetches a schema or waits; reconnect back-off is a
 * scheduled task, never a sleep. The sink is therefore called on that one thread, one call at a time, as
 * {@link EventSink} requires. {@link #capacityAvailable()} and {@link #close()} may be called from any thread.
 *
 * <p>Flow control: the credit handed to the server never exceeds {@code min(100, sink.remainingCapacity())}
 * minus what is already owed, so the sink never gets more events than it said it could take.
 */
final class PubSubSubscription implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(PubSubSubscription.class);
    /** Salesforce's cap on credit across one Subscribe call. */
    static final int MAX_OUTSTANDING = 100;

    private final PubSubClient client;
    private final String topic;
    private final ReplayFrom from;
    private final EventSink sink;
    private final ScheduledExecutorService executor;
    private volatile ReplayId lastReplayId;
    private volatile boolean closed;
    private volatile Thread executorThread;

    // Confined to the executor thread.
    private final Map<String, ChangeEventDecoder> decoders = new HashMap<>();
    private ClientCallStreamObserver<FetchRequest> requests;
    private long generation;
    /** Whether the sink heard {@code live()} for the current stream. */
    private boolean liveSignalled;
    private int outstanding;
    private int failedAttempts;
    private boolean renewedSinceProgress;
    private boolean opened;
    private boolean finished;
    private AccessToken token;
    private long lastHeardNanos;

    PubSubSubscription(PubSubClient client, String topic, ReplayFrom from, EventSink sink) {
        this.client = client;
        this.topic = topic;
        this.from = from;
        this.sink = sink;
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lockstep-pubsub-" + topic);
            t.setDaemon(true);
            executorThread = t;
            return t;
        });
        // A reconnect scheduled for later must not hold close() up until it fires.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    void start() {
        run(this::open);
        long period = Math.max(50, client.streamTimeout().toMillis() / 4);
        executor.scheduleWithFixedDelay(() -> run(this::checkAlive), period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public String channel() {
        return topic;
    }

    @Override
    public void capacityAvailable() {
        run(this::topUp);
    }

    @Override
    public ReplayId lastReplayId() {
        return lastReplayId;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.closed(this);
        try {
            executor.execute(this::cancel);
        } catch (RejectedExecutionException e) {
            // Already shut down: nothing left to cancel.
        }
        executor.shutdown();
        if (Thread.currentThread() == executorThread) {
            // Closed from within a sink callback: the running task ends by itself, and waiting here would deadlock.
            return;
        }
        try {
            if (!executor.awaitTermination(client.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Pub/Sub subscription to {} did not stop within {}", topic, client.closeTimeout());
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ executor tasks

    private void run(Runnable task) {
        if (closed) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // A bug or an unexpected failure must reach the consumer, not vanish in an executor.
                    fail(e instanceof SalesforceException se ? se : new SalesforceException(ErrorCategory.FATAL, 0,
                            null, "Pub/Sub subscription to " + topic + " failed: " + e, e));
                }
            });
        } catch (RejectedExecutionException e) {
            // Closed meanwhile.
        }
    }

    /** Opens a Subscribe call when the sink has room; until then the subscription stays parked. */
    private void open() {
        if (closed || finished || requests != null) {
            return;
        }
        int capacity = Math.min(sink.remainingCapacity(), MAX_OUTSTANDING);
        if (capacity <= 0) {
            // num_requested must be positive; capacityAvailable() opens the call once the consumer has room.
            return;
        }
        if (opened) {
            client.countReconnect();
        }
        opened = true;
        try {
            token = client.session().token();
        } catch (SalesforceException e) {
            onFailure(e);
            return;
        }
        long gen = ++generation;
        liveSignalled = false;
        FetchRequest.Builder first = FetchRequest.newBuilder().setTopicName(topic).setNumRequested(capacity);
        ReplayId resume = lastReplayId;
        if (resume != null) {
            // Resume after the last delivered event (or keepalive position): nothing lost, nothing repeated.
            first.setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFrom(resume.bytes()));
        } else if (from.kind() == ReplayFrom.Kind.CUSTOM) {
            first.setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFrom(from.after().bytes()));
        } else {
            first.setReplayPreset(from.kind() == ReplayFrom.Kind.EARLIEST ? ReplayPreset.EARLIEST
                    : ReplayPreset.LATEST);
        }
        client.metrics().call("pubsub.subscribe");
        ClientResponseObserver<FetchRequest, FetchResponse> observer = new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<FetchRequest> stream) {
                // Nothing to configure: inbound messages are handed off at once, so gRPC's own flow control suffices.
            }

            @Override
            public void onNext(FetchResponse response) {
                run(() -> onResponse(gen, response));
            }

            @Override
            public void onError(Throwable t) {
                run(() -> onEnd(gen, t));
            }

            @Override
            public void onCompleted() {
                run(() -> onEnd(gen, null));
            }
        };
        @SuppressWarnings("unchecked")
        ClientCallStreamObserver<FetchRequest> stream = (ClientCallStreamObserver<FetchRequest>)
                client.asyncStub(token, Runnable::run).subscribe(observer);
        requests = stream;
        outstanding = capacity;
        lastHeardNanos = System.nanoTime();
        stream.onNext(first.build());
    }

    private void onResponse(long gen, FetchResponse response) {
        if (gen != generation || finished || closed) {
            return;
        }
        failedAttempts = 0;
        renewedSinceProgress = false;
        lastHeardNanos = System.nanoTime();
        if (!liveSignalled) {
            liveSignalled = true;
            sink.live();
        }
        if (response.getEventsCount() == 0) {
            if (!response.getLatestReplayId().isEmpty()) {
                ReplayId latest = ReplayId.of(response.getLatestReplayId().toByteArray());
                lastReplayId = latest;
                sink.keepalive(latest);
            }
        } else {
            List<ChangeEvent> events = new ArrayList<>(response.getEventsCount());
            for (ConsumerEvent consumed : response.getEventsList()) {
                events.add(decode(consumed));
            }
            outstanding = Math.max(0, outstanding - events.size());
            lastReplayId = events.get(events.size() - 1).replayId();
            client.countEvents(events.size());
            sink.accept(events);
        }
        topUp();
    }

    private ChangeEvent decode(ConsumerEvent consumed) {
        String schemaId = consumed.getEvent().getSchemaId();
        ChangeEventDecoder decoder = decoders.get(schemaId);
        if (decoder == null) {
            // Blocking fetch on our own thread (not a gRPC one); cached for every later event and subscription.
            decoder = new ChangeEventDecoder(schemaId, client.getSchema(schemaId));
            decoders.put(schemaId, decoder);
        }
        ReplayId replayId = ReplayId.of(consumed.getReplayId().toByteArray());
        try {
            // A copy, because ByteString's read-only buffers have no array for Avro's decoder to read in place.
            return decoder.decode(topic, replayId, ByteBuffer.wrap(consumed.getEvent().getPayload().toByteArray()));
        } catch (IOException | RuntimeException e) {
            // Never skip an event we cannot read: that would be silent data loss.
            throw new SalesforceException(ErrorCategory.FATAL, 0, null, "Pub/Sub event " + replayId + " on " + topic
                    + " does not decode with schema " + schemaId + ": " + e, e);
        }
    }

    /** Tops the server's credit up to what the sink can take, at most 100 in all. */
    private void topUp() {
        if (closed || finished) {
            return;
        }
        if (requests == null) {
            open();
            return;
        }
        int want = Math.min(sink.remainingCapacity(), MAX_OUTSTANDING) - outstanding;
        if (want > 0) {
            outstanding += want;
            requests.onNext(FetchRequest.newBuilder().setTopicName(topic).setNumRequested(want).build());
        }
    }

    /**
     * A stream owed events must hear something (events or a keepalive) within the stream time-out; a silent one
     * (half-open connection, stalled server) is cancelled and reopened like any transient failure.
     */
    private void checkAlive() {
        if (requests == null || outstanding == 0 || finished || closed) {
            return;
        }
        long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos);
        if (silentMillis < client.streamTimeout().toMillis()) {
            return;
        }
        cancel();
        outstanding = 0;
        onFailure(new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Pub/Sub stream for " + topic
                + " sent nothing for " + silentMillis + " ms while owed events"));
    }

    private void onEnd(long gen, Throwable t) {
        if (gen != generation || finished || closed) {
            return;
        }
        requests = null;
        int owed = outstanding;
        outstanding = 0;
        SalesforceException failure = t == null
                ? new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Pub/Sub stream for " + topic + " ended")
                : PubSubErrors.classify("subscribe " + topic, Status.fromThrowable(t), Status.trailersFromThrowable(t));
        if (failure.category() == ErrorCategory.RETRIABLE && owed == 0) {
            // The server closes a stream that owes nothing after 60 s idle: reopen when the consumer has room,
            // which is no failure and must not use up retries.
            LOG.debug("Pub/Sub stream for {} closed while idle; reopening when the sink has room", topic);
            open();
            return;
        }
        onFailure(failure);
    }

    private void onFailure(SalesforceException failure) {
        switch (failure.category()) {
            case AUTH:
                if (renewedSinceProgress) {
                    // A fresh token was rejected too: renewing again would loop.
                    fail(failure);
                    return;
                }
                renewedSinceProgress = true;
                LOG.info("Pub/Sub stream for {} ended with an auth error; renewing the session", topic);
                try {
                    token = client.session().renew(token);
                    client.metrics().relogin();
                } catch (SalesforceException e) {
                    if (e.category() == ErrorCategory.FATAL) {
                        fail(e);
                    } else {
                        retryLater(e);
                    }
                    return;
                }
                open();
                return;
            case RETRIABLE:
                retryLater(failure);
                return;
            default:
                fail(failure);
        }
    }

    private void retryLater(SalesforceException failure) {
        int max = client.retryPolicy().maxRetries();
        if (failedAttempts >= max) {
            fail(new SalesforceException(ErrorCategory.RETRIABLE, failure.httpStatus(), failure.errorCode(),
                    "Pub/Sub subscription to " + topic + " gave up after " + max + " reconnects: "
                            + failure.getMessage(), failure));
            return;
        }
        long delay = client.retryPolicy().delay(failedAttempts++).toMillis();
        LOG.info("Pub/Sub stream for {} ended ({}); reconnecting in {} ms", topic, failure.getMessage(), delay);
        client.metrics().retry();
        try {
            executor.schedule(() -> run(this::open), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile.
        }
    }

    private void fail(SalesforceException failure) {
        if (finished || closed) {
            return;
        }
        finished = true;
        cancel();
        client.metrics().failure(failure.category());
        sink.failed(failure);
    }

    private void cancel() {
        ClientCallStreamObserver<FetchRequest> stream = requests;
        requests = null;
        generation++;
        if (stream != null) {
            stream.cancel("closed by the client", null);
        }
    }
}
