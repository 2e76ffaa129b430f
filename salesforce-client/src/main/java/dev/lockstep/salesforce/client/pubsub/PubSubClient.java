package dev.lockstep.salesforce.client.pubsub;

import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.auth.AccessToken;
import dev.lockstep.salesforce.client.auth.SalesforceSession;
import dev.lockstep.salesforce.client.http.ClientMetrics;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import dev.lockstep.salesforce.client.pubsub.proto.PubSubGrpc;
import dev.lockstep.salesforce.client.pubsub.proto.SchemaInfo;
import dev.lockstep.salesforce.client.pubsub.proto.SchemaRequest;
import dev.lockstep.salesforce.client.pubsub.proto.TopicInfo;
import dev.lockstep.salesforce.client.pubsub.proto.TopicRequest;
import dev.lockstep.salesforce.client.streaming.EventSink;
import dev.lockstep.salesforce.client.streaming.ReplayFrom;
import dev.lockstep.salesforce.client.streaming.Subscription;
import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Salesforce's Pub/Sub API (reference §6) over one gRPC channel: {@link #getTopic}, {@link #getSchema} (cached by
 * schema id, which names an immutable schema) and {@link #subscribe} to a Change Data Capture channel.
 *
 * <p>Every call carries the {@code accesstoken}, {@code instanceurl} and {@code tenantid} metadata read from the
 * {@link SalesforceSession} when the call starts, so a token renewed by any other part of the client is picked up
 * at once; a call rejected for its token renews the session with the token it used (single-flight) and is tried
 * once more.
 *
 * <p>Thread-safe: one client serves any number of threads and subscriptions. {@link #getTopic} and
 * {@link #getSchema} block the calling thread (and may wait between retries on it: never call them on a gRPC
 * callback thread). {@link #close()} closes every open subscription and the channel.
 */
public final class PubSubClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PubSubClient.class);
    static final Metadata.Key<String> ACCESS_TOKEN = Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> INSTANCE_URL = Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> TENANT_ID = Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER);

    private final SalesforceSession session;
    private final ManagedChannel channel;
    private final RetryPolicy retryPolicy;
    private final ClientMetrics metrics;
    private final Duration callTimeout;
    private final Duration closeTimeout;
    private final Duration streamTimeout;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Set<PubSubSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final LongAdder eventsReceived = new LongAdder();
    private final LongAdder reconnects = new LongAdder();

    private PubSubClient(Builder b, ManagedChannel channel) {
        this.session = b.session;
        this.channel = channel;
        this.retryPolicy = b.retryPolicy;
        this.metrics = b.metrics;
        this.callTimeout = b.callTimeout;
        this.closeTimeout = b.closeTimeout;
        this.streamTimeout = b.streamTimeout;
    }

    /**
     * A client for {@code target} ({@code host:port}, e.g. {@code api.pubsub.salesforce.com:7443}); TLS with the
     * JVM's default trust unless the builder says otherwise.
     */
    public static Builder builder(SalesforceSession session, String target) {
        return new Builder(session, target);
    }

    /** The topic's description. */
    public Topic getTopic(String topicName) {
        TopicInfo info = unary("pubsub.gettopic", stub -> stub.getTopic(
                TopicRequest.newBuilder().setTopicName(topicName).build()));
        return new Topic(info.getTopicName(), info.getTenantGuid(), info.getCanPublish(), info.getCanSubscribe(),
                info.getSchemaId());
    }

    /** The Avro writer schema with this id, fetched once and then served from the cache. */
    public Schema getSchema(String schemaId) {
        Schema cached = schemas.get(schemaId);
        if (cached != null) {
            return cached;
        }
        SchemaInfo info = unary("pubsub.getschema", stub -> stub.getSchema(
                SchemaRequest.newBuilder().setSchemaId(schemaId).build()));
        Schema schema;
        try {
            schema = new Schema.Parser().parse(info.getSchemaJson());
        } catch (RuntimeException e) {
            throw new SalesforceException(ErrorCategory.FATAL, 0, null, "Pub/Sub schema " + schemaId
                    + " is not a valid Avro schema: " + e.getMessage(), e);
        }
        // Two threads may fetch the same id at once; either answer is the same immutable schema.
        Schema raced = schemas.putIfAbsent(schemaId, schema);
        return raced != null ? raced : schema;
    }

    /**
     * Subscribes to {@code topic} from {@code from}, delivering to {@code sink} as its capacity allows (see
     * {@link EventSink}). The subscription runs on a thread of its own; failures it cannot recover from go to
     * {@link EventSink#failed}.
     */
    public Subscription subscribe(String topic, ReplayFrom from, EventSink sink) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(sink, "sink");
        PubSubSubscription subscription = new PubSubSubscription(this, topic, from, sink);
        subscriptions.add(subscription);
        subscription.start();
        return subscription;
    }

    /** Calls by kind ({@code pubsub.subscribe}, {@code pubsub.gettopic}, {@code pubsub.getschema}) and failures. */
    public ClientMetrics metrics() {
        return metrics;
    }

    /** Events received over every subscription of this client. */
    public long eventsReceived() {
        return eventsReceived.sum();
    }

    /** Subscribe calls reopened after a stream ended (errors, auth renewals, idle closes). */
    public long reconnects() {
        return reconnects.sum();
    }

    /** Closes every subscription, then the channel, waiting at most the close time-out for each. */
    @Override
    public void close() {
        for (PubSubSubscription s : subscriptions) {
            s.close();
        }
        channel.shutdown();
        try {
            if (!channel.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ package API

    /** The stub for one call, authenticated with {@code token}, its callbacks run on {@code executor}. */
    PubSubGrpc.PubSubStub asyncStub(AccessToken token, Executor executor) {
        return PubSubGrpc.newStub(channel).withCallCredentials(credentials(token)).withExecutor(executor);
    }

    SalesforceSession session() {
        return session;
    }

    RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }

    Duration streamTimeout() {
        return streamTimeout;
    }

    void countEvents(int n) {
        eventsReceived.add(n);
    }

    void countReconnect() {
        reconnects.increment();
    }

    void closed(PubSubSubscription subscription) {
        subscriptions.remove(subscription);
    }

    /** A cached schema, or null: the subscription fetches missing ones off its gRPC callback. */
    Schema cachedSchema(String schemaId) {
        return schemas.get(schemaId);
    }

    // ------------------------------------------------------------------------------------------ internals

    private interface UnaryCall<T> {
        T call(PubSubGrpc.PubSubBlockingStub stub);
    }

    private <T> T unary(String kind, UnaryCall<T> call) {
        AccessToken token = session.token();
        boolean renewed = false;
        for (int attempt = 0; ; attempt++) {
            metrics.call(kind);
            try {
                return call.call(PubSubGrpc.newBlockingStub(channel).withCallCredentials(credentials(token))
                        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (StatusRuntimeException e) {
                SalesforceException failure = PubSubErrors.classify(kind, e.getStatus(), e.getTrailers());
                if (failure.category() == ErrorCategory.AUTH && !renewed) {
                    // The token was rejected: one single-flight re-login, then the same call again.
                    renewed = true;
                    token = session.renew(token);
                    metrics.relogin();
                    attempt--;
                    continue;
                }
                if (failure.category() == ErrorCategory.RETRIABLE && attempt < retryPolicy.maxRetries()) {
                    metrics.retry();
                    // Blocking the caller's own thread is fine here: unary calls never run on a gRPC thread.
                    pause(retryPolicy.delay(attempt));
                    continue;
                }
                metrics.failure(failure.category());
                throw failure;
            }
        }
    }

    private static void pause(Duration delay) {
        try {
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Pub/Sub call interrupted", e);
        }
    }

    /** The three auth metadata of reference §6.3, from one token. */
    static CallCredentials credentials(AccessToken token) {
        return new CallCredentials() {
            @Override
            public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
                Metadata headers = new Metadata();
                headers.put(ACCESS_TOKEN, token.value());
                headers.put(INSTANCE_URL, token.instanceUrl().toString());
                headers.put(TENANT_ID, token.orgId() == null ? "" : token.orgId());
                applier.apply(headers);
            }
        };
    }

    /**
     * Configures a {@link PubSubClient}. Not thread-safe; {@link #build()} once.
     */
    public static final class Builder {
        private final SalesforceSession session;
        private final String target;
        private Supplier<ChannelCredentials> transport;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private ClientMetrics metrics = new ClientMetrics();
        private Duration callTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private Duration streamTimeout = Duration.ofSeconds(300);

        private Builder(SalesforceSession session, String target) {
            this.session = Objects.requireNonNull(session, "session");
            this.target = Objects.requireNonNull(target, "target");
            this.transport = () -> TlsChannelCredentials.create();
        }

        /** No TLS: for a local emulator only. */
        public Builder plaintext() {
            transport = InsecureChannelCredentials::create;
            return this;
        }

        /** TLS trusting exactly the certificate(s) in this PEM file (e.g. the emulator's exported one). */
        public Builder trustCertificate(Path pemFile) {
            File file = pemFile.toFile();
            transport = () -> {
                try {
                    return TlsChannelCredentials.newBuilder().trustManager(file).build();
                } catch (IOException e) {
                    throw new SalesforceException(ErrorCategory.FATAL, 0, null, "Cannot read the Pub/Sub trust "
                            + "certificate " + file + ": " + e.getMessage(), e);
                }
            };
            return this;
        }

        /** TLS trusting the certificates of this trust store. */
        public Builder trustStore(KeyStore trustStore) {
            transport = () -> {
                try {
                    TrustManagerFactory factory = TrustManagerFactory.getInstance(
                            TrustManagerFactory.getDefaultAlgorithm());
                    factory.init(trustStore);
                    return TlsChannelCredentials.newBuilder().trustManager(factory.getTrustManagers()).build();
                } catch (GeneralSecurityException e) {
                    throw new SalesforceException(ErrorCategory.FATAL, 0, null, "Cannot use the Pub/Sub trust "
                            + "store: " + e.getMessage(), e);
                }
            };
            return this;
        }

        /** Retries of unary calls, and reconnects of a subscription before it gives up. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /** Where calls are counted; share the REST layer's to publish one set of client metrics. */
        public Builder metrics(ClientMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Deadline of {@code GetTopic} and {@code GetSchema}. */
        public Builder callTimeout(Duration callTimeout) {
            this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
            return this;
        }

        /** How long {@code close()} waits for threads and the channel. */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
            return this;
        }

        /**
         * How long a Subscribe stream that is owed events may stay silent before it is taken for dead and reopened.
         * Salesforce sends a keepalive at least every 270 s while credit is outstanding (reference §6.4), so the
         * default is 300 s; a half-open connection would otherwise hang the subscription for good.
         */
        public Builder streamTimeout(Duration streamTimeout) {
            this.streamTimeout = Objects.requireNonNull(streamTimeout, "streamTimeout");
            return this;
        }

        public PubSubClient build() {
            ManagedChannel channel = Grpc.newChannelBuilder(target, transport.get())
                    // CDC payloads can reach 1 MB per event and 3 MB per response (reference §6.6).
                    .maxInboundMessageSize(16 * 1024 * 1024)
                    .build();
            LOG.info("Pub/Sub client for {}", target);
            return new PubSubClient(this, channel);
        }
    }
}
