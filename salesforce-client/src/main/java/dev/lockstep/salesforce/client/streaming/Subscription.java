package dev.lockstep.salesforce.client.streaming;

/**
 * A running subscription to one channel, on either transport. It reconnects by itself (with backoff, resuming
 * after the last delivered event) on transient failures and session expiry; {@link #close()} stops it and
 * returns once its threads have let go of the sink.
 */
public interface Subscription extends AutoCloseable {

    String channel();

    /** The consumer made room: deliver more if the stream has events. */
    void capacityAvailable();

    /** The position after the last event delivered or keepalive seen, or null before any. */
    ReplayId lastReplayId();

    @Override
    void close();
}
