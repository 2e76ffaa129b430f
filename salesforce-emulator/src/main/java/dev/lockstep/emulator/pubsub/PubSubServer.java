package dev.lockstep.emulator.pubsub;

import dev.lockstep.emulator.auth.Sessions;
import dev.lockstep.emulator.cdc.ChangeEventBus;
import dev.lockstep.emulator.cdc.StreamRegistry;
import dev.lockstep.emulator.control.Counters;
import dev.lockstep.emulator.control.Faults;
import dev.lockstep.emulator.crypto.TlsCertificate;
import dev.lockstep.emulator.pubsub.proto.FetchResponse;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The emulator's Pub/Sub API: a gRPC server for {@code eventbus.v1.PubSub} on 127.0.0.1, on a plaintext port and
 * on a TLS port whose self-signed certificate (for {@code localhost}, {@code 127.0.0.1} and {@code ::1}) is made at
 * start and handed out by {@link #certificatePem()}. Either port may be 0 (a free port) or -1 (no listener).
 *
 * <p>Settings tests change at run time: the keepalive interval (270 s, as Salesforce), the idle timeout after
 * credit runs out (60 s), and whether a compound field's own bit is set in element 0 of the field bitmaps (off).
 */
public final class PubSubServer implements AutoCloseable {

    /** The default plaintext port of the standalone emulator. */
    public static final int DEFAULT_PORT = 7011;
    /** The default TLS port of the standalone emulator: Salesforce's own Pub/Sub port. */
    public static final int DEFAULT_TLS_PORT = 7443;
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(270);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final ChangeEventBus cdc;
    private final Sessions sessions;
    private final StreamRegistry streams;
    private final String orgId;
    private final EventPayloads payloads;
    private final TlsCertificate certificate;
    private final ExecutorService deliveryExecutor;
    private final ScheduledExecutorService scheduler;
    private final Set<SubscribeStream> open = ConcurrentHashMap.newKeySet();
    private final Server plaintext;
    private final Server tls;
    private volatile Duration keepalive = DEFAULT_KEEPALIVE;
    private volatile Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

    private PubSubServer(int port, int tlsPort, ChangeEventBus cdc, Sessions sessions, StreamRegistry streams,
            String orgId, Faults faults, Counters counters) throws IOException {
        this.cdc = cdc;
        this.sessions = sessions;
        this.streams = streams;
        this.orgId = orgId;
        this.payloads = new EventPayloads(orgId);
        // Delivery never blocks (it only encodes and hands responses to Netty), so one thread per core serves any
        // number of streams.
        this.deliveryExecutor = Executors.newFixedThreadPool(Math.max(2,
                Runtime.getRuntime().availableProcessors()), daemons("emulator-pubsub-delivery"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemons("emulator-pubsub-timer"));
        this.certificate = tlsPort >= 0 ? TlsCertificate.forLocalhost() : null;
        CallGate gate = new CallGate(sessions, orgId, faults, counters, scheduler);
        PubSubService service = new PubSubService(this);
        Server started = null;
        try {
            started = port >= 0 ? listen(port, InsecureServerCredentials.create(), service, gate) : null;
            this.plaintext = started;
            this.tls = tlsPort >= 0 ? listen(tlsPort, TlsServerCredentials.create(
                    new ByteArrayInputStream(certificate.certificatePem().getBytes(StandardCharsets.US_ASCII)),
                    new ByteArrayInputStream(certificate.privateKeyPem().getBytes(StandardCharsets.US_ASCII))),
                    service, gate) : null;
        } catch (IOException | RuntimeException e) {
            if (started != null) {
                started.shutdownNow();
            }
            deliveryExecutor.shutdownNow();
            scheduler.shutdownNow();
            throw e;
        }
    }

    /**
     * Starts listening.
     *
     * @param port plaintext port, 0 for a free one, -1 for none
     * @param tlsPort TLS port, 0 for a free one, -1 for none
     * @throws UncheckedIOException when a port is taken
     */
    public static PubSubServer start(int port, int tlsPort, ChangeEventBus cdc, Sessions sessions,
            StreamRegistry streams, String orgId, Faults faults, Counters counters) {
        try {
            return new PubSubServer(port, tlsPort, cdc, sessions, streams, orgId, faults, counters);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen for the Pub/Sub API on port " + port + " or " + tlsPort, e);
        }
    }

    private static Server listen(int port, ServerCredentials credentials, PubSubService service, CallGate gate)
            throws IOException {
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                        credentials)
                .addService(ServerInterceptors.intercept(service, gate))
                // Callbacks run on Netty's event loop rather than after a hop to a thread pool: no handler blocks
                // (the unary calls answer from memory, Subscribe callbacks only queue and wake their stream up,
                // and delivery runs on the delivery executor), and the hop was a third of a fetch round trip.
                .directExecutor()
                // Clients ping idle connections (Node's client every few minutes, some every 10 s): tolerate it
                // rather than answer GOAWAY "too_many_pings", which Salesforce's front end does not send.
                .permitKeepAliveTime(5, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .build()
                .start();
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The plaintext port, or -1 when there is no plaintext listener. */
    public int port() {
        return plaintext == null ? -1 : plaintext.getPort();
    }

    /** The TLS port, or -1 when there is no TLS listener. */
    public int tlsPort() {
        return tls == null ? -1 : tls.getPort();
    }

    /** {@code 127.0.0.1:<port>}, the plaintext target for gRPC clients, or null without a plaintext listener. */
    public String target() {
        return plaintext == null ? null : "127.0.0.1:" + port();
    }

    /** {@code localhost:<port>}, the TLS target (the certificate names localhost), or null without TLS. */
    public String tlsTarget() {
        return tls == null ? null : "localhost:" + tlsPort();
    }

    /** The TLS listener's self-signed certificate as PEM, for clients to trust; null without a TLS listener. */
    public String certificatePem() {
        return certificate == null ? null : certificate.certificatePem();
    }

    public Duration keepalive() {
        return keepalive;
    }

    /** How long a stream with credit but no events waits before an empty keepalive response (default 270 s). */
    public void setKeepalive(Duration keepalive) {
        this.keepalive = positive(keepalive, "keepalive");
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long a stream whose credit is used up waits for a FetchRequest before it closes (default 60 s). */
    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = positive(idleTimeout, "idle timeout");
    }

    /** Whether a compound's own bit is also set in element 0 of the field bitmaps (default false). */
    public boolean compoundParentBit() {
        return payloads.compoundParentBit();
    }

    public void setCompoundParentBit(boolean set) {
        payloads.setCompoundParentBit(set);
    }

    /** How many Subscribe calls are open. */
    public int openStreams() {
        return open.size();
    }

    /**
     * One open Subscribe call as the admin API shows it.
     *
     * @param fetchRequests the FetchRequests taken into account so far
     * @param pendingNumRequested the events still owed
     * @param delivered the events sent on this call
     */
    public record StreamInfo(String rpcId, String topic, int fetchRequests, int pendingNumRequested,
            long delivered) {}

    /** The open Subscribe calls. */
    public List<StreamInfo> streamInfo() {
        return open.stream().map(SubscribeStream::info).toList();
    }

    private static Duration positive(Duration d, String what) {
        if (Objects.requireNonNull(d, what).isNegative() || d.isZero()) {
            throw new IllegalArgumentException("The " + what + " must be positive, was " + d);
        }
        return d;
    }

    // ------------------------------------------------------------------------------------------ for the streams

    SubscribeStream open(ServerCallStreamObserver<FetchResponse> responses, String rpcId, String accessToken) {
        SubscribeStream stream = new SubscribeStream(this, responses, rpcId, accessToken);
        open.add(stream);
        return stream;
    }

    void streamEnded(SubscribeStream stream) {
        open.remove(stream);
    }

    /**
     * How often every stream checks its keepalive, idle timeout, stall and session without other wake-ups: at
     * most a second, and fine enough for the short intervals tests set.
     */
    long tickMillis() {
        long shortest = Math.min(keepalive.toMillis(), idleTimeout.toMillis());
        return Math.max(10, Math.min(1_000, shortest / 4));
    }

    ChangeEventBus cdc() {
        return cdc;
    }

    Sessions sessions() {
        return sessions;
    }

    StreamRegistry streams() {
        return streams;
    }

    String orgId() {
        return orgId;
    }

    EventPayloads payloads() {
        return payloads;
    }

    ExecutorService deliveryExecutor() {
        return deliveryExecutor;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /**
     * Stops listening. Open Subscribe streams end first with {@code UNAVAILABLE} / {@code service.unavailable}, as
     * when Salesforce takes a node out of service, so clients take their usual retry path; calls still running
     * after a short grace period are cancelled.
     */
    @Override
    public void close() {
        List<Server> servers = Stream.of(plaintext, tls).filter(Objects::nonNull).toList();
        for (SubscribeStream stream : List.copyOf(open)) {
            stream.drop();
        }
        for (Server server : servers) {
            server.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (Server server : servers) {
            try {
                if (!server.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    server.shutdownNow();
                    server.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.shutdownNow();
            }
        }
        scheduler.shutdownNow();
        deliveryExecutor.shutdownNow();
    }
}
