package dev.lockstep.emulator.pubsub;

import dev.lockstep.emulator.cdc.ChangeEventBus;
import dev.lockstep.emulator.cdc.ChannelNotFoundException;
import dev.lockstep.emulator.cdc.InvalidReplayIdException;
import dev.lockstep.emulator.cdc.ReplayFrom;
import dev.lockstep.emulator.cdc.StoredEvent;
import dev.lockstep.emulator.cdc.StreamRegistry;
import dev.lockstep.emulator.pubsub.proto.ConsumerEvent;
import dev.lockstep.emulator.pubsub.proto.FetchRequest;
import dev.lockstep.emulator.pubsub.proto.FetchResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code Subscribe} call: pull-based delivery of a channel's change events under the client's credit
 * (reference §6.4).
 *
 * <p>Rules: the first {@code FetchRequest} names the topic and where to start (LATEST, EARLIEST, or CUSTOM after an
 * 8-byte replay id); each request adds {@code num_requested} to the credit, capped at 100; later requests may leave
 * the topic out but must not name another one. Events go out in replay-id order, as many per response as the
 * credit allows (split further only to keep a response under 3 MB), each response with {@code latest_replay_id}
 * and the credit still owed in {@code pending_num_requested}. While credit is owed and nothing arrives, an empty
 * response carrying the tip's replay id goes out every keepalive interval; once the credit is used up, the client
 * has the idle timeout to ask for more before the stream is closed ({@code UNAVAILABLE},
 * {@code service.unavailable}).
 *
 * <p>Threading: gRPC callbacks (requests, readiness, cancellation), the bus's append notifications, fault
 * commands and a periodic tick only record what happened and {@link #wakeUp()} the stream; the work runs as one
 * task at a time on the server's delivery executor, so the stream's state needs no lock and no gRPC thread ever
 * blocks. Output respects the transport's flow control: nothing is polled from the bus while the call is not
 * {@link ServerCallStreamObserver#isReady() ready}, so a slow client holds at most one response in the
 * emulator's buffers, and its readiness wakes the stream up again. The tick (at most a second apart) drives
 * keepalives, the idle timeout, the end of a stall and the session check: an access token that expired or was
 * revoked ends the stream with {@code UNAUTHENTICATED} / {@code service.auth.error} at the next step.
 */
final class SubscribeStream implements StreamObserver<FetchRequest>, StreamRegistry.Stream {

    private static final Logger LOG = LoggerFactory.getLogger(SubscribeStream.class);
    static final int MAX_CREDIT = 100;
    /** gRPC clients refuse messages over 4 MB by default; Salesforce recommends 3 MB for publishing. */
    static final int MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

    private final PubSubServer server;
    private final ServerCallStreamObserver<FetchResponse> out;
    private final String rpcId;
    private final String accessToken;
    private final Queue<FetchRequest> requests = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable appendListener = this::onAppend;
    private volatile boolean again;
    private volatile boolean ended;
    private volatile boolean halfClosed;
    private volatile boolean dropped;
    private volatile long stalledUntilNanos = System.nanoTime();
    /** The credit as last published by the worker, for the append listener to skip streams owed nothing. */
    private volatile int creditHint;
    private volatile String topic;
    /** The stream's counters as of the end of its last step, for the admin API and tests: a consistent view. */
    private volatile PubSubServer.StreamInfo info;

    // Owned by the task running step(): one at a time, so no lock.
    private ChangeEventBus.Subscription subscription;
    private int credit;
    private int fetchRequests;
    private long delivered;
    private long lastResponseNanos;
    private long creditExhaustedNanos;
    // Guarded by this: released from gRPC threads too.
    private AutoCloseable registration;
    private ScheduledFuture<?> ticker;

    SubscribeStream(PubSubServer server, ServerCallStreamObserver<FetchResponse> out, String rpcId,
            String accessToken) {
        this.server = server;
        this.out = out;
        this.rpcId = rpcId;
        this.accessToken = accessToken;
        // Set before the call method returns, as gRPC requires. A cancelled call's observer then ignores output
        // instead of throwing, so the worker may race a cancellation harmlessly.
        out.setOnCancelHandler(this::onCancel);
        out.setOnReadyHandler(this::wakeUp);
        server.cdc().onAppend(appendListener);
        long tick = server.tickMillis();
        synchronized (this) {
            ticker = server.scheduler().scheduleWithFixedDelay(this::wakeUp, tick, tick, TimeUnit.MILLISECONDS);
        }
    }

    // ------------------------------------------------------------------------------------------ gRPC callbacks

    @Override
    public void onNext(FetchRequest request) {
        requests.add(request);
        wakeUp();
    }

    @Override
    public void onError(Throwable t) {
        // The client cancelled or the connection broke; the cancel handler has already cleaned up.
        onCancel();
    }

    @Override
    public void onCompleted() {
        // The client half-closed: it will send no more requests. The server then ends the call too.
        halfClosed = true;
        wakeUp();
    }

    private void onCancel() {
        ended = true;
        release();
    }

    private void onAppend() {
        if (creditHint > 0) {
            wakeUp();
        }
    }

    // ------------------------------------------------------------------------------------------ faults

    @Override
    public String transport() {
        return "pubsub";
    }

    @Override
    public String channel() {
        String t = topic;
        return t == null ? "" : t;
    }

    @Override
    public void drop() {
        dropped = true;
        wakeUp();
    }

    @Override
    public void stall(Duration duration) {
        stalledUntilNanos = System.nanoTime() + duration.toNanos();
    }

    // ------------------------------------------------------------------------------------------ the worker

    /** Schedules a step on the delivery executor unless one is pending; never runs work on the caller. */
    void wakeUp() {
        if (ended) {
            return;
        }
        again = true;
        if (scheduled.compareAndSet(false, true)) {
            try {
                server.deliveryExecutor().execute(this::run);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                scheduled.set(false);
            }
        }
    }

    private void run() {
        again = false;
        try {
            step();
            info = new PubSubServer.StreamInfo(rpcId, channel(), fetchRequests, credit, delivered);
        } catch (RuntimeException e) {
            LOG.warn("Pub/Sub stream {} on {} failed", rpcId, topic, e);
            fail(Status.Code.INTERNAL, PubSubErrors.SUBSCRIPTION_INTERNAL_ERROR, "An internal error occurred: " + e);
        } finally {
            scheduled.set(false);
            // A wake-up that came while this step ran found the flag taken: run again for it.
            if (again && !ended) {
                wakeUp();
            }
        }
    }

    private void step() {
        if (ended) {
            return;
        }
        if (dropped) {
            fail(Status.Code.UNAVAILABLE, PubSubErrors.SERVICE_UNAVAILABLE,
                    "The Pub/Sub API service is unavailable (the emulator dropped the stream).");
            return;
        }
        long now = System.nanoTime();
        if (now - stalledUntilNanos < 0) {
            return;
        }
        if (server.sessions().resolve(accessToken).isEmpty()) {
            fail(Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_ERROR, PubSubErrors.AUTH_MESSAGE);
            return;
        }
        for (FetchRequest request = requests.poll(); request != null; request = requests.poll()) {
            if (!accept(request, now)) {
                return;
            }
        }
        if (halfClosed) {
            end();
            out.onCompleted();
            return;
        }
        if (subscription != null) {
            deliver(now);
        }
    }

    /** Takes one FetchRequest into account; false when it ended the call. */
    private boolean accept(FetchRequest request, long now) {
        if (subscription == null) {
            if (!open(request)) {
                return false;
            }
            lastResponseNanos = now;
        } else if (!request.getTopicName().isEmpty() && !request.getTopicName().equals(topic)) {
            fail(Status.Code.INVALID_ARGUMENT, PubSubErrors.TOPIC_MISMATCH, "The topic name in the FetchRequest ("
                    + request.getTopicName() + ") doesn't match the topic of the subscription (" + topic + ").");
            return false;
        }
        if (request.getNumRequested() <= 0) {
            fail(Status.Code.INVALID_ARGUMENT, PubSubErrors.REQUESTED_EVENTS_INVALID,
                    "The number of requested events must be greater than 0, was " + request.getNumRequested() + ".");
            return false;
        }
        // Salesforce caps what is owed at 100 per stream; asking for more counts as 100.
        credit = (int) Math.min(MAX_CREDIT, (long) credit + request.getNumRequested());
        creditHint = credit;
        fetchRequests++;
        return true;
    }

    /** The first request: topic and replay position. */
    private boolean open(FetchRequest request) {
        String name = request.getTopicName();
        if (name.isBlank()) {
            fail(Status.Code.INVALID_ARGUMENT, PubSubErrors.TOPIC_VALIDATION_EMPTY,
                    "The first FetchRequest of a Subscribe call must name a topic.");
            return false;
        }
        ReplayFrom from;
        switch (request.getReplayPreset()) {
            case LATEST -> from = ReplayFrom.latest();
            case EARLIEST -> from = ReplayFrom.earliest();
            case CUSTOM -> {
                if (request.getReplayId().isEmpty()) {
                    fail(Status.Code.INVALID_ARGUMENT, PubSubErrors.REPLAY_ID_VALIDATION_FAILED,
                            "The CUSTOM replay preset needs a replay ID.");
                    return false;
                }
                if (request.getReplayId().size() != 8) {
                    fail(Status.Code.INVALID_ARGUMENT, PubSubErrors.REPLAY_ID_CORRUPTED,
                            "The replay ID is invalid: it isn't one this org issued.");
                    return false;
                }
                from = ReplayFrom.after(ByteBuffer.wrap(request.getReplayId().toByteArray()).getLong());
            }
            default -> {
                fail(Status.Code.INVALID_ARGUMENT, PubSubErrors.REPLAY_ID_VALIDATION_FAILED,
                        "Unknown replay preset " + request.getReplayPresetValue() + ".");
                return false;
            }
        }
        try {
            subscription = server.cdc().subscribe(name, from);
        } catch (ChannelNotFoundException e) {
            fail(Status.Code.NOT_FOUND, PubSubErrors.TOPIC_NOT_FOUND, PubSubService.topicNotFound(name));
            return false;
        } catch (InvalidReplayIdException e) {
            fail(Status.Code.INVALID_ARGUMENT, PubSubErrors.REPLAY_ID_CORRUPTED, "The replay ID "
                    + e.replayId() + " is invalid or outside the retention window. Resubscribe with EARLIEST or"
                    + " LATEST.");
            return false;
        }
        topic = name;
        synchronized (this) {
            registration = server.streams().register(this);
        }
        if (ended) {
            // Cancelled while this step opened the subscription: the cancellation's release came too early.
            release();
        }
        return true;
    }

    private void deliver(long now) {
        boolean sent = false;
        while (credit > 0 && out.isReady()) {
            List<StoredEvent> events;
            try {
                events = subscription.poll(credit);
            } catch (InvalidReplayIdException e) {
                // The subscriber fell behind the retention window: the events it had not read are gone.
                fail(Status.Code.INVALID_ARGUMENT, PubSubErrors.REPLAY_ID_CORRUPTED, "The subscription's position "
                        + e.replayId() + " is outside the retention window. Resubscribe with EARLIEST or LATEST.");
                return;
            }
            if (events.isEmpty()) {
                break;
            }
            send(events);
            sent = true;
        }
        if (sent) {
            lastResponseNanos = System.nanoTime();
            if (credit == 0) {
                creditExhaustedNanos = lastResponseNanos;
            }
            return;
        }
        if (credit > 0) {
            // Nothing to deliver: the poll above read up to the tip, so the position is the latest replay id.
            if (now - lastResponseNanos >= server.keepalive().toNanos() && out.isReady()) {
                out.onNext(FetchResponse.newBuilder().setLatestReplayId(EventPayloads.replayId(
                        subscription.position())).setRpcId(rpcId).setPendingNumRequested(credit).build());
                lastResponseNanos = now;
            }
        } else if (now - creditExhaustedNanos >= server.idleTimeout().toNanos()) {
            fail(Status.Code.UNAVAILABLE, PubSubErrors.SERVICE_UNAVAILABLE, "The subscription was closed: no"
                    + " FetchRequest arrived within " + server.idleTimeout().toSeconds() + " seconds after all"
                    + " requested events were delivered.");
        }
    }

    /** Sends polled events, in as many responses as the size limit needs. */
    private void send(List<StoredEvent> events) {
        List<ConsumerEvent> batch = new ArrayList<>(events.size());
        int bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            ConsumerEvent event = server.payloads().consumerEvent(events.get(i));
            int size = event.getSerializedSize();
            if (!batch.isEmpty() && bytes + size > MAX_RESPONSE_BYTES) {
                respond(batch, events.get(i - 1).replayId());
                batch = new ArrayList<>(events.size() - i);
                bytes = 0;
            }
            batch.add(event);
            bytes += size;
        }
        // The last response of a poll reports the position, which may be past the last event: the poll also read
        // other entities' events of the shared log, and resubscribing after them loses nothing of this channel.
        respond(batch, subscription.position());
    }

    private void respond(List<ConsumerEvent> batch, long latestReplayId) {
        credit -= batch.size();
        creditHint = credit;
        out.onNext(FetchResponse.newBuilder().addAllEvents(batch).setLatestReplayId(EventPayloads.replayId(
                latestReplayId)).setRpcId(rpcId).setPendingNumRequested(credit).build());
        server.cdc().countDelivered(topic, "pubsub", batch.size());
        delivered += batch.size();
    }

    /** What the admin API shows of an open stream: its state after its last step. */
    PubSubServer.StreamInfo info() {
        PubSubServer.StreamInfo i = info;
        return i != null ? i : new PubSubServer.StreamInfo(rpcId, channel(), 0, 0, 0);
    }

    private void fail(Status.Code code, String errorCode, String message) {
        if (ended) {
            return;
        }
        end();
        out.onError(PubSubErrors.error(code, errorCode, message, rpcId));
    }

    private void end() {
        ended = true;
        release();
    }

    /** Detaches from the bus, the tick and the stream registry; safe to call more than once, from any thread. */
    private synchronized void release() {
        server.cdc().removeAppendListener(appendListener);
        if (ticker != null) {
            ticker.cancel(false);
            ticker = null;
        }
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                LOG.debug("Cannot unregister stream {}", rpcId, e);
            }
            registration = null;
        }
        server.streamEnded(this);
    }
}
