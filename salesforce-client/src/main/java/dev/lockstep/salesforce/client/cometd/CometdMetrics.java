package dev.lockstep.salesforce.client.cometd;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of a {@link CometdClient}, summed over its subscriptions: events received from Salesforce, handshakes
 * sent, reconnects (every Bayeux session after a subscription's first, for whatever reason), re-logins asked of the
 * session, and {@code /meta/connect} requests held back because the consumer had no room. Thread-safe.
 */
public final class CometdMetrics {

    private final LongAdder eventsReceived = new LongAdder();
    private final LongAdder handshakes = new LongAdder();
    private final LongAdder reconnects = new LongAdder();
    private final LongAdder relogins = new LongAdder();
    private final LongAdder connectsHeld = new LongAdder();

    void eventReceived() {
        eventsReceived.increment();
    }

    void handshake() {
        handshakes.increment();
    }

    void reconnect() {
        reconnects.increment();
    }

    void relogin() {
        relogins.increment();
    }

    void connectHeld() {
        connectsHeld.increment();
    }

    public long eventsReceived() {
        return eventsReceived.sum();
    }

    public long handshakes() {
        return handshakes.sum();
    }

    public long reconnects() {
        return reconnects.sum();
    }

    public long relogins() {
        return relogins.sum();
    }

    /** Long polls delayed until the consumer took the events already received (flow control). */
    public long connectsHeld() {
        return connectsHeld.sum();
    }
}
