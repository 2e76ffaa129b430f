package dev.lockstep.salesforce.client.streaming;

import dev.lockstep.salesforce.client.SalesforceException;
import java.util.List;

/**
 * Where a subscription delivers, and how much it may deliver: the consumer's capacity drives flow control (Pub/Sub
 * requests at most {@link #remainingCapacity()} events; a transport that cannot be asked to wait stops reading).
 *
 * <p>Thread contract: the methods are called on the subscription's transport threads, one call at a time; they
 * must return quickly (hand events to a queue) and never block on the consumer. When the consumer frees capacity
 * it calls {@link Subscription#capacityAvailable()}.
 */
public interface EventSink {

    /** How many more events the consumer can take now. */
    int remainingCapacity();

    /** Events in replay order; never more than {@link #remainingCapacity()} returned before the call. */
    void accept(List<ChangeEvent> events);

    /**
     * The latest position of the stream when no event was delivered (Pub/Sub keepalives): store it and resubscribe
     * from it to avoid re-scanning.
     */
    default void keepalive(ReplayId latest) {}

    /**
     * The server has accepted the subscription: every event committed from now on will be delivered. Called once per
     * (re)connection — Pub/Sub on the first response of a stream (events or keepalive), CometD on the successful
     * subscribe reply. A consumer that must not miss a change between a query and the stream waits for this.
     */
    default void live() {}

    /**
     * The subscription ended for good: {@code failure} is classified, e.g. FATAL for a corrupt or expired replay
     * id ({@link ReplayIdInvalidException}) or for a channel that does not exist. Retriable failures are retried by
     * the subscription itself and never reach here unless its retries run out.
     */
    void failed(SalesforceException failure);
}
