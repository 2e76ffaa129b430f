package dev.lockstep.salesforce.client.cometd;

import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import dev.lockstep.salesforce.client.rest.RestApi;
import dev.lockstep.salesforce.client.streaming.EventSink;
import dev.lockstep.salesforce.client.streaming.ReplayFrom;
import dev.lockstep.salesforce.client.streaming.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Change Data Capture over the Streaming API (CometD long polling, reference §7), delivering the same
 * {@link dev.lockstep.salesforce.client.streaming.ChangeEvent} as the Pub/Sub client ({@code transport = cometd}).
 * Built on CometD's {@code BayeuxClient} with its Jetty HTTP transport; the replay extension, re-authentication,
 * reconnection and flow control are Lockstep's.
 *
 * <p>Each {@link #subscribe} opens its own Bayeux session (one handshake, one long poll): flow control holds a
 * session's long poll, which would stall every channel sharing it, and a channel that fails (bad replay id) must not
 * end the others. The Jetty HTTP client, the schema cache, the metrics and one worker thread
 * ({@code lockstep-cometd}) are shared by the subscriptions of a client.
 *
 * <p>Threads: CometD and Jetty call back on Jetty's threads ({@code lockstep-cometd-http-*}); those callbacks only
 * queue events and state changes and never block. Everything that may block or call out — converting events (the
 * first event of a schema fetches it over REST), re-login, scheduled reconnects, and every call of an
 * {@link EventSink} — runs on the worker thread, so a sink is called by one thread, one call at a time.
 * Thread-safe; {@link #close()} stops every subscription, then Jetty, each with a time-out.
 */
public final class CometdClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CometdClient.class);
    /** EMP-Connector's buffer: Salesforce recommends at least 10 MB for batches of events. */
    static final int MAX_MESSAGE_SIZE = 10 * 1024 * 1024;
    /** EMP-Connector's network delay on top of the long-poll time-out. */
    static final long MAX_NETWORK_DELAY_MILLIS = 15_000;

    private final SalesforceSession session;
    private final String apiVersion;
    private final RetryPolicy retry;
    private final Duration closeTimeout;
    private final EventConverter converter;
    private final CometdMetrics metrics = new CometdMetrics();
    private final HttpClient jetty;
    private final ScheduledThreadPoolExecutor worker;
    private final List<CometdSubscription> subscriptions = new CopyOnWriteArrayList<>();

    /**
     * Starts the HTTP client; no request is sent before {@link #subscribe}.
     *
     * @param session the shared session: its token is read on every request, renewed on a 401/403
     * @param rest the REST API, for event schemas
     * @param apiVersion e.g. {@code 61.0} (37.0 or later: the endpoint is {@code /cometd/<version>})
     * @param retry reconnect backoff for transient failures; when its retries run out the sink gets RETRIABLE
     * @param closeTimeout how long {@link Subscription#close()} and {@link #close()} wait for each step
     */
    public CometdClient(SalesforceSession session, RestApi rest, String apiVersion, RetryPolicy retry,
            Duration closeTimeout) {
        this.session = Objects.requireNonNull(session, "session");
        this.apiVersion = Objects.requireNonNull(apiVersion, "apiVersion");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
        this.converter = new EventConverter(Objects.requireNonNull(rest, "rest")::eventSchema);
        this.worker = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lockstep-cometd");
            t.setDaemon(true);
            return t;
        });
        worker.setRemoveOnCancelPolicy(true);
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("lockstep-cometd-http");
        threads.setDaemon(true);
        threads.setStopTimeout(closeTimeout.toMillis());
        this.jetty = new HttpClient();
        jetty.setExecutor(threads);
        jetty.setConnectTimeout(MAX_NETWORK_DELAY_MILLIS);
        try {
            jetty.start();
        } catch (Exception e) {
            worker.shutdownNow();
            throw new SalesforceException(ErrorCategory.FATAL, 0, null, "Could not start the CometD HTTP client: "
                    + e.getMessage(), e);
        }
    }

    /** A client with {@link RetryPolicy#defaults()} and a 10-second close time-out. */
    public CometdClient(SalesforceSession session, RestApi rest, String apiVersion) {
        this(session, rest, apiVersion, RetryPolicy.defaults(), Duration.ofSeconds(10));
    }

    /**
     * Subscribes to a change event channel ({@code /data/ChangeEvents}, {@code /data/AccountChangeEvent},
     * {@code /data/Sales__chn}). Returns at once; the handshake and subscribe happen on the worker thread and any
     * failure reaches {@link EventSink#failed}: {@link dev.lockstep.salesforce.client.streaming.ReplayIdInvalidException}
     * for a replay id outside retention, FATAL for a channel that does not exist, RETRIABLE when reconnects ran out.
     */
    public Subscription subscribe(String channel, ReplayFrom from, EventSink sink) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(sink, "sink");
        if (worker.isShutdown()) {
            throw new IllegalStateException("The CometD client is closed");
        }
        CometdSubscription subscription = new CometdSubscription(this, channel, from, sink);
        subscriptions.add(subscription);
        subscription.start();
        return subscription;
    }

    public CometdMetrics metrics() {
        return metrics;
    }

    /** Closes every subscription (disconnecting each), then stops the HTTP client and the worker thread. */
    @Override
    public void close() {
        for (CometdSubscription s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
        try {
            // Stopping aborts the requests still open; the pool's stop time-out bounds the wait for its threads.
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("The CometD HTTP client did not stop cleanly: {}", e.toString());
        }
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("The CometD worker thread did not stop within {}", closeTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void forget(CometdSubscription subscription) {
        subscriptions.remove(subscription);
    }

    SalesforceSession session() {
        return session;
    }

    String apiVersion() {
        return apiVersion;
    }

    RetryPolicy retry() {
        return retry;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }

    EventConverter converter() {
        return converter;
    }

    HttpClient jetty() {
        return jetty;
    }

    ScheduledThreadPoolExecutor worker() {
        return worker;
    }
}
