package dev.lockstep.emulator.cometd;

import dev.lockstep.emulator.cdc.ChangeEventBus;
import dev.lockstep.emulator.cdc.StoredEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One handshaken Bayeux client: who it is (client id, user, {@code BAYEUX_BROWSER} cookie), its subscriptions
 * with their read positions, and the timers that decide when the server forgets it.
 *
 * <p>Every method is synchronized on the client: a client's subscribe and its held {@code /meta/connect} arrive
 * on different request threads, and the bus's {@link ChangeEventBus.Subscription}s are not thread-safe. Nothing
 * here blocks; the connect waits outside the client's lock (see {@link CometdServer}).
 */
final class CometdClient {

    /** Why a client was forgotten; decides what its held or next connect answers. */
    enum Gone {
        /** {@code /meta/disconnect}: the held connect ends with {@code reconnect: none}. */
        DISCONNECTED,
        /** No connect within the reconnect window, a dropped stream, or lost events: {@code 403::Unknown client}. */
        UNKNOWN,
        /** Its session ended: {@code 401::Authentication invalid}. */
        AUTHENTICATION
    }

    /** A subscription and the events it polled that did not fit in the last response (at most one batch). */
    private static final class Channel {
        final ChangeEventBus.Subscription subscription;
        final ArrayDeque<StoredEvent> pending = new ArrayDeque<>();

        Channel(ChangeEventBus.Subscription subscription) {
            this.subscription = subscription;
        }
    }

    /** An event picked for a response, with the channel it is delivered on. */
    record Delivery(String channel, StoredEvent event) {}

    private final String id;
    private final String userId;
    private final String browserId;
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private long reconnectDeadlineNanos;
    private int heldConnects;
    private long connectGeneration;
    private boolean connectedOnce;
    private long stalledUntilNanos;
    private Gone gone;
    private AutoCloseable registration;

    CometdClient(String id, String userId, String browserId, long reconnectDeadlineNanos) {
        this.id = id;
        this.userId = userId;
        this.browserId = browserId;
        this.reconnectDeadlineNanos = reconnectDeadlineNanos;
    }

    String id() {
        return id;
    }

    String userId() {
        return userId;
    }

    String browserId() {
        return browserId;
    }

    synchronized void registration(AutoCloseable handle) {
        this.registration = handle;
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    /** Any message from the client restarts its reconnect window. */
    synchronized void touch(long deadlineNanos) {
        reconnectDeadlineNanos = Math.max(reconnectDeadlineNanos, deadlineNanos);
    }

    /** True when no connect is held and the reconnect window has passed: the server forgets the client. */
    synchronized boolean expired(long nowNanos) {
        return heldConnects == 0 && nowNanos - reconnectDeadlineNanos > 0;
    }

    /**
     * Marks the client forgotten (first reason wins) and returns the stream registration to close, or null if it
     * was already gone.
     */
    synchronized AutoCloseable forget(Gone reason) {
        if (gone != null) {
            return null;
        }
        gone = reason;
        channels.clear();
        AutoCloseable handle = registration;
        registration = null;
        return handle == null ? () -> { } : handle;
    }

    synchronized Gone gone() {
        return gone;
    }

    /**
     * A connect begins: it supersedes a connect still held (that one answers at once, as a CometD server answers
     * the older of two long polls). Returns the generation the new connect must still hold to keep waiting, and
     * whether it is the first connect after the handshake (answered at once, so the client learns the advice).
     */
    synchronized long beginConnect() {
        heldConnects++;
        return ++connectGeneration;
    }

    /** How many of the client's connects are held now (2 only for a moment, while one supersedes the other). */
    synchronized int heldConnects() {
        return heldConnects;
    }

    synchronized boolean firstConnect() {
        boolean first = !connectedOnce;
        connectedOnce = true;
        return first;
    }

    synchronized boolean superseded(long generation) {
        return generation != connectGeneration;
    }

    /** A connect answered: the reconnect window starts now. */
    synchronized void endConnect(long deadlineNanos) {
        heldConnects--;
        reconnectDeadlineNanos = deadlineNanos;
    }

    synchronized void stall(long untilNanos) {
        stalledUntilNanos = untilNanos;
    }

    /** Nanoseconds the stall still lasts, or 0. */
    synchronized long stalledFor(long nowNanos) {
        return Math.max(0, stalledUntilNanos - nowNanos);
    }

    // ------------------------------------------------------------------------------------------ subscriptions

    /** Subscribes, replacing an earlier subscription to the same channel and what it had pending. */
    synchronized void subscribe(ChangeEventBus.Subscription subscription) {
        channels.put(subscription.channel(), new Channel(subscription));
    }

    synchronized void unsubscribe(String channel) {
        channels.remove(channel);
    }

    synchronized List<String> channels() {
        return List.copyOf(channels.keySet());
    }

    /** Each channel's position: the replay id of the last event read from the bus (pending ones included). */
    synchronized Map<String, Long> positions() {
        Map<String, Long> positions = new LinkedHashMap<>();
        channels.forEach((name, channel) -> positions.put(name, channel.subscription.position()));
        return positions;
    }

    /**
     * The next events to deliver, across channels in replay-id order: at most {@code maxEvents} and, after the
     * first, no more than {@code maxBytes} of rendered JSON. Events that do not fit stay pending for the next
     * connect, so a size cap never loses one.
     *
     * @throws dev.lockstep.emulator.cdc.InvalidReplayIdException when retention dropped events not yet read
     */
    synchronized List<byte[]> take(int maxEvents, int maxBytes, EventJson json, List<Delivery> taken) {
        for (Channel channel : channels.values()) {
            int room = maxEvents - channel.pending.size();
            if (room > 0) {
                channel.pending.addAll(channel.subscription.poll(room));
            }
        }
        List<byte[]> rendered = new ArrayList<>();
        long bytes = 0;
        while (rendered.size() < maxEvents) {
            Map.Entry<String, Channel> next = null;
            for (Map.Entry<String, Channel> e : channels.entrySet()) {
                StoredEvent head = e.getValue().pending.peekFirst();
                if (head != null && (next == null
                        || head.replayId() < next.getValue().pending.peekFirst().replayId())) {
                    next = e;
                }
            }
            if (next == null) {
                break;
            }
            StoredEvent event = next.getValue().pending.peekFirst();
            byte[] message = json.render(next.getKey(), event);
            if (!rendered.isEmpty() && bytes + message.length + 1 > maxBytes) {
                break;
            }
            next.getValue().pending.removeFirst();
            rendered.add(message);
            taken.add(new Delivery(next.getKey(), event));
            bytes += message.length + 1;
        }
        return rendered;
    }
}
