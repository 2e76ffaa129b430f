package dev.lockstep.salesforce.client;

import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import dev.lockstep.salesforce.client.bulk.BulkApi;
import dev.lockstep.salesforce.client.bulk.BulkOptions;
import dev.lockstep.salesforce.client.cometd.CometdClient;
import dev.lockstep.salesforce.client.http.ApiGovernor;
import dev.lockstep.salesforce.client.http.ClientMetrics;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import dev.lockstep.salesforce.client.http.SalesforceHttp;
import dev.lockstep.salesforce.client.pubsub.PubSubClient;
import dev.lockstep.salesforce.client.rest.RestApi;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a connector or the CLI needs to talk to one org, built from one {@link Config}: the shared session,
 * the HTTP layer (retries, classification, API governor, metrics), REST, Bulk API 2.0, and — created on first use
 * — the Pub/Sub and CometD subscribers. Thread-safe; {@link #close()} stops the streaming clients.
 */
public final class SalesforceClient implements AutoCloseable {

    /**
     * How to reach and use the org.
     *
     * @param apiVersion e.g. {@code 61.0}
     * @param callOptionsClient sent as {@code Sforce-Call-Options: client=...} on every call, so the change events of
     *     this client's own writes can be recognised; null for none
     * @param apiBudgetReserve share of the daily API allocation left for other clients (0 to below 1)
     * @param pubsubTarget {@code host:port} of the Pub/Sub API ({@code api.pubsub.salesforce.com:7443})
     * @param pubsubTrustCertificate PEM certificate to trust for the Pub/Sub TLS connection, or null for the JVM's
     *     default trust
     * @param pubsubPlaintext no TLS (local emulators only)
     */
    public record Config(Credentials credentials, String apiVersion, String callOptionsClient, RetryPolicy retry,
            Duration requestTimeout, double apiBudgetReserve, int maxConcurrentCalls, Duration maxBudgetHold,
            String pubsubTarget, Path pubsubTrustCertificate, boolean pubsubPlaintext) {

        public static final String PUBSUB_ENDPOINT = "api.pubsub.salesforce.com:7443";

        public Config {
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(apiVersion, "apiVersion");
            Objects.requireNonNull(retry, "retry");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
        }

        /** API 61.0, default retries, 2-minute requests, no budget reserve, 10 concurrent calls, Salesforce's Pub/Sub. */
        public static Config of(Credentials credentials) {
            return new Config(credentials, "61.0", null, RetryPolicy.defaults(), Duration.ofMinutes(2), 0, 10,
                    Duration.ofMinutes(5), PUBSUB_ENDPOINT, null, false);
        }

        public Config withCallOptionsClient(String client) {
            return new Config(credentials, apiVersion, client, retry, requestTimeout, apiBudgetReserve,
                    maxConcurrentCalls, maxBudgetHold, pubsubTarget, pubsubTrustCertificate, pubsubPlaintext);
        }

        public Config withApiBudget(double reserve, int concurrentCalls, Duration maxHold) {
            return new Config(credentials, apiVersion, callOptionsClient, retry, requestTimeout, reserve,
                    concurrentCalls, maxHold, pubsubTarget, pubsubTrustCertificate, pubsubPlaintext);
        }

        public Config withRetry(RetryPolicy policy) {
            return new Config(credentials, apiVersion, callOptionsClient, policy, requestTimeout, apiBudgetReserve,
                    maxConcurrentCalls, maxBudgetHold, pubsubTarget, pubsubTrustCertificate, pubsubPlaintext);
        }

        public Config withPubSub(String target, Path trustCertificate, boolean plaintext) {
            return new Config(credentials, apiVersion, callOptionsClient, retry, requestTimeout, apiBudgetReserve,
                    maxConcurrentCalls, maxBudgetHold, target, trustCertificate, plaintext);
        }
    }

    private final Config config;
    private final SalesforceSession session;
    private final HttpClient httpClient;
    private final ApiGovernor governor;
    private final SalesforceHttp http;
    private final RestApi rest;
    private final BulkApi bulk;
    /** The client this one shares its session, governor and streaming clients with; null for a root client. */
    private final SalesforceClient parent;
    private PubSubClient pubsub;
    private CometdClient cometd;

    private SalesforceClient(Config config) {
        this(config, null);
    }

    private SalesforceClient(Config config, SalesforceClient parent) {
        this.config = config;
        this.parent = parent;
        if (parent == null) {
            this.httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
            this.session = new SalesforceSession(config.credentials(), httpClient, config.requestTimeout(),
                    Clock.systemUTC());
            // A call held for the budget looks at /limits again as often as a failed call is retried (the
            // configured backoff cap), at most once a minute: the sync resumes soon after the limit frees up.
            Duration probe = Duration.ofMillis(Math.max(100, Math.min(Duration.ofMinutes(1).toMillis(),
                    config.retry().cap().toMillis())));
            this.governor = new ApiGovernor(config.apiBudgetReserve(), config.maxConcurrentCalls(), probe,
                    config.maxBudgetHold());
        } else {
            this.httpClient = parent.httpClient;
            this.session = parent.session;
            this.governor = parent.governor;
        }
        this.http = new SalesforceHttp(session, httpClient, config.retry(), config.requestTimeout(),
                config.callOptionsClient(), governor);
        this.rest = new RestApi(http, config.apiVersion());
        this.bulk = new BulkApi(http, rest, config.apiVersion(), BulkOptions.defaults());
    }

    /**
     * A client sharing this one's session, API governor and streaming clients but counting its REST and Bulk calls
     * in its own {@link #metrics()}: how a caller with several independent readers tells their API use apart. Its
     * describe cache is its own. Closing it does nothing; close the root.
     */
    public SalesforceClient withOwnMetrics() {
        return new SalesforceClient(config, root());
    }

    private SalesforceClient root() {
        return parent == null ? this : parent;
    }

    /** A client for the org; nothing is sent until the first call (which logs in). */
    public static SalesforceClient create(Config config) {
        return new SalesforceClient(config);
    }

    public Config config() {
        return config;
    }

    public SalesforceSession session() {
        return session;
    }

    public SalesforceHttp http() {
        return http;
    }

    public RestApi rest() {
        return rest;
    }

    public BulkApi bulk() {
        return bulk;
    }

    /** Counters of calls by kind, retries, re-logins and failures, shared by every API of this client. */
    public ClientMetrics metrics() {
        return http.metrics();
    }

    /** The Pub/Sub subscriber, connected on first use. */
    public synchronized PubSubClient pubsub() {
        if (parent != null) {
            return parent.pubsub();
        }
        if (pubsub == null) {
            PubSubClient.Builder builder = PubSubClient.builder(session, config.pubsubTarget())
                    .retryPolicy(config.retry()).metrics(http.metrics());
            if (config.pubsubPlaintext()) {
                builder.plaintext();
            } else if (config.pubsubTrustCertificate() != null) {
                builder.trustCertificate(config.pubsubTrustCertificate());
            }
            pubsub = builder.build();
        }
        return pubsub;
    }

    /** The Streaming API (CometD) subscriber, created on first use. */
    public synchronized CometdClient cometd() {
        if (parent != null) {
            return parent.cometd();
        }
        if (cometd == null) {
            cometd = new CometdClient(session, rest, config.apiVersion(), config.retry(), Duration.ofSeconds(10));
        }
        return cometd;
    }

    @Override
    public synchronized void close() {
        if (parent != null) {
            return;
        }
        if (pubsub != null) {
            pubsub.close();
        }
        if (cometd != null) {
            cometd.close();
        }
    }
}
