package dev.lockstep.emulator.pubsub;

import static dev.lockstep.emulator.pubsub.PubSubTestClient.assertError;
import static dev.lockstep.emulator.pubsub.PubSubTestClient.first;
import static dev.lockstep.emulator.pubsub.PubSubTestClient.replayId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.cdc.StoredEvent;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.emulator.pubsub.PubSubTestClient.Subscription;
import dev.lockstep.emulator.pubsub.proto.ConsumerEvent;
import dev.lockstep.emulator.pubsub.proto.FetchRequest;
import dev.lockstep.emulator.pubsub.proto.FetchResponse;
import dev.lockstep.emulator.pubsub.proto.ReplayPreset;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscribe: replay presets, credit, keepalives, idle close, errors and stream faults, over real sockets. */
class PubSubSubscribeTest {

    private static final String ACCOUNTS = "/data/AccountChangeEvent";
    private Emulator emulator;
    private PubSubTestClient client;

    @BeforeEach
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults());
        client = PubSubTestClient.connect(emulator);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    /** Creates accounts in one transaction; returns their ids. */
    private List<String> accounts(String... names) {
        return emulator.org().write(WriteContext.system(emulator.adminUserId()), txn -> {
            List<String> ids = new ArrayList<>();
            for (String name : names) {
                ids.add(txn.create("Account", Map.of("Name", name)));
            }
            return ids;
        });
    }

    private List<String> accounts(int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = "Account " + i;
        }
        return accounts(names);
    }

    private String name(ConsumerEvent event) {
        return String.valueOf(client.decode(event).get("Name"));
    }

    @Test
    void latestDeliversOnlyNewEvents() {
        accounts("before");
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 5));
        // The first keepalive cannot come for 270 s, so the stream is open when the first event shows up.
        awaitOpenStreams(1);

        accounts("after 1", "after 2");

        List<FetchResponse> responses = s.untilEvents(2);
        List<ConsumerEvent> events = responses.stream().flatMap(r -> r.getEventsList().stream()).toList();
        assertThat(events).extracting(this::name).containsExactly("after 1", "after 2");
        FetchResponse last = responses.get(responses.size() - 1);
        assertThat(last.getPendingNumRequested()).isEqualTo(3);
        assertThat(replayId(last.getLatestReplayId())).isEqualTo(replayId(events.get(1).getReplayId()));
        assertThat(last.getRpcId()).isNotBlank();
        assertThat(replayId(events.get(1).getReplayId())).isGreaterThan(replayId(events.get(0).getReplayId()));
        assertThat(events.get(0).getEvent().getId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                + "[0-9a-f]{12}");
        assertThat(events.get(0).getEvent().getSchemaId()).isEqualTo(emulator.cdc().schemaOf("Account").id());
        assertThat(emulator.counters().get("pubsub.subscribe")).isEqualTo(1);
        assertThat(emulator.cdc().deliveredCounts()).containsEntry("pubsub " + ACCOUNTS, 2L);
    }

    @Test
    void earliestAndCustomReplayFromTheLog() {
        accounts("one", "two", "three");
        List<StoredEvent> stored = emulator.cdc().subscribe(ACCOUNTS, dev.lockstep.emulator.cdc.ReplayFrom.earliest())
                .poll(10);

        Subscription earliest = client.subscribe(first(ACCOUNTS, ReplayPreset.EARLIEST, 10));
        List<ConsumerEvent> all = earliest.events(3);
        assertThat(all).extracting(this::name).containsExactly("one", "two", "three");

        Subscription custom = client.subscribe(PubSubTestClient.after(ACCOUNTS, stored.get(0).replayId(), 10));
        List<ConsumerEvent> after = custom.events(2);
        assertThat(after).extracting(this::name).containsExactly("two", "three");
        assertThat(replayId(after.get(0).getReplayId())).isEqualTo(stored.get(1).replayId());
        assertThat(after.get(0).getEvent().getId()).as("an event keeps its UUID across deliveries")
                .isEqualTo(all.get(1).getEvent().getId()).isNotEqualTo(all.get(2).getEvent().getId());
        Subscription fromTip = client.subscribe(PubSubTestClient.after(ACCOUNTS, stored.get(2).replayId(), 10));
        accounts("four");
        assertThat(fromTip.events(1)).extracting(this::name).containsExactly("four");
    }

    @Test
    void creditIsHonouredExactlyAndAddedUp() {
        accounts(5);
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.EARLIEST, 2));

        List<FetchResponse> first = s.untilEvents(2);
        assertThat(first.get(first.size() - 1).getPendingNumRequested()).isZero();
        s.nothingWithin(Duration.ofMillis(300));

        s.request(2);
        List<FetchResponse> second = s.untilEvents(2);
        assertThat(second.get(second.size() - 1).getPendingNumRequested()).isZero();
        s.request(10);
        FetchResponse third = s.next();
        assertThat(third.getEventsCount()).isEqualTo(1);
        assertThat(third.getPendingNumRequested()).isEqualTo(9);
    }

    @Test
    void creditIsCappedAtOneHundred() {
        emulator.pubsub().setKeepalive(Duration.ofMillis(100));
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 80));
        s.request(80);
        s.request(500);
        // Keepalives report what is owed: once it says 100, all three requests were counted (80 + 80 + 500).
        FetchResponse keepalive = s.next();
        while (keepalive.getPendingNumRequested() != 100) {
            assertThat(keepalive.getPendingNumRequested()).isLessThan(100);
            keepalive = s.next();
        }

        accounts(250);

        List<FetchResponse> hundred = s.untilEvents(100);
        assertThat(hundred.get(hundred.size() - 1).getPendingNumRequested()).isZero();
        s.nothingWithin(Duration.ofMillis(300));
        s.request(100);
        assertThat(s.untilEvents(100).stream().mapToInt(FetchResponse::getEventsCount).sum()).isEqualTo(100);
        s.request(100);
        List<FetchResponse> rest = s.untilEvents(50);
        assertThat(rest.get(rest.size() - 1).getPendingNumRequested()).isEqualTo(50);
    }

    @Test
    void keepalivesCarryTheLatestReplayIdWhileCreditIsOwed() {
        emulator.pubsub().setKeepalive(Duration.ofMillis(300));
        accounts("old");
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 7));

        FetchResponse keepalive = s.next();
        assertThat(keepalive.getEventsCount()).isZero();
        assertThat(keepalive.getPendingNumRequested()).isEqualTo(7);
        assertThat(replayId(keepalive.getLatestReplayId())).isEqualTo(emulator.cdc().latestReplayId());
        assertThat(keepalive.getRpcId()).isNotBlank();

        // Other entities' events move the tip: the keepalive's replay id follows, ahead of this channel's events.
        emulator.org().write(WriteContext.system(emulator.adminUserId()),
                txn -> txn.create("Contact", Map.of("LastName", "elsewhere")));
        long tip = emulator.cdc().latestReplayId();
        FetchResponse next;
        do {
            next = s.next();
            assertThat(next.getEventsCount()).isZero();
        } while (replayId(next.getLatestReplayId()) != tip);
        assertThat(next.getPendingNumRequested()).isEqualTo(7);
    }

    @Test
    void aStreamWithoutCreditIsClosedAfterTheIdleTimeout() {
        emulator.pubsub().setIdleTimeout(Duration.ofMillis(400));
        emulator.pubsub().setKeepalive(Duration.ofMillis(100));
        accounts("a", "b");
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.EARLIEST, 1));

        assertThat(s.next().getPendingNumRequested()).isZero();

        assertError(s.error(), Status.Code.UNAVAILABLE, PubSubErrors.SERVICE_UNAVAILABLE);
        assertThat(s.responses).as("no keepalives without credit").isEmpty();
        awaitOpenStreams(0);
    }

    @Test
    void aRequestBeforeTheIdleTimeoutKeepsTheStreamOpen() {
        emulator.pubsub().setIdleTimeout(Duration.ofMillis(600));
        accounts("a", "b");
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.EARLIEST, 1));
        s.next();

        s.request(1);

        assertThat(s.next().getEventsCount()).isEqualTo(1);
        assertThat(s.ended).isNotDone();
    }

    @Test
    void replayErrorsCarryTheirCodes() {
        accounts("a");
        long first = emulator.cdc().latestReplayId();
        accounts("a2");
        long tip = emulator.cdc().latestReplayId();

        assertError(client.subscribe(FetchRequest.newBuilder().setTopicName(ACCOUNTS)
                .setReplayPreset(ReplayPreset.CUSTOM).setNumRequested(1).build()).error(),
                Status.Code.INVALID_ARGUMENT, PubSubErrors.REPLAY_ID_VALIDATION_FAILED);
        assertError(client.subscribe(PubSubTestClient.after(ACCOUNTS, tip + 1_000, 1)).error(),
                Status.Code.INVALID_ARGUMENT, PubSubErrors.REPLAY_ID_CORRUPTED);
        assertError(client.subscribe(FetchRequest.newBuilder().setTopicName(ACCOUNTS)
                .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(com.google.protobuf.ByteString.copyFromUtf8("abc"))
                .setNumRequested(1).build()).error(), Status.Code.INVALID_ARGUMENT, PubSubErrors.REPLAY_ID_CORRUPTED);

        emulator.clock().advance(Duration.ofHours(73));
        accounts("b");
        client.close();
        client = PubSubTestClient.connect(emulator);
        // "a" and "a2" are past retention: replaying after "a" would miss "a2".
        assertError(client.subscribe(PubSubTestClient.after(ACCOUNTS, first, 1)).error(),
                Status.Code.INVALID_ARGUMENT, PubSubErrors.REPLAY_ID_CORRUPTED);
        // The official sample then retries from EARLIEST, which works.
        Subscription earliest = client.subscribe(first(ACCOUNTS, ReplayPreset.EARLIEST, 5));
        assertThat(earliest.events(1)).extracting(this::name).containsExactly("b");
    }

    @Test
    void requestErrorsCarryTheirCodes() {
        assertError(client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 0)).error(),
                Status.Code.INVALID_ARGUMENT, PubSubErrors.REQUESTED_EVENTS_INVALID);
        assertError(client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, -5)).error(),
                Status.Code.INVALID_ARGUMENT, PubSubErrors.REQUESTED_EVENTS_INVALID);
        assertError(client.subscribe(first("/data/NopeChangeEvent", ReplayPreset.LATEST, 1)).error(),
                Status.Code.NOT_FOUND, PubSubErrors.TOPIC_NOT_FOUND);
        assertError(client.subscribe(first("", ReplayPreset.LATEST, 1)).error(),
                Status.Code.INVALID_ARGUMENT, PubSubErrors.TOPIC_VALIDATION_EMPTY);
        emulator.cdc().select(java.util.Set.of("Contact"));
        assertError(client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 1)).error(),
                Status.Code.NOT_FOUND, PubSubErrors.TOPIC_NOT_FOUND);

        Subscription later = client.subscribe(first("/data/ContactChangeEvent", ReplayPreset.LATEST, 1));
        later.request(0);
        assertError(later.error(), Status.Code.INVALID_ARGUMENT, PubSubErrors.REQUESTED_EVENTS_INVALID);

        Subscription mismatch = client.subscribe(first("/data/ContactChangeEvent", ReplayPreset.LATEST, 1));
        mismatch.send(FetchRequest.newBuilder().setTopicName("/data/ContactChangeEvent").setNumRequested(1).build());
        mismatch.send(FetchRequest.newBuilder().setTopicName(ACCOUNTS).setNumRequested(1).build());
        assertError(mismatch.error(), Status.Code.INVALID_ARGUMENT, PubSubErrors.TOPIC_MISMATCH);
    }

    @Test
    void laterRequestsIgnoreReplayFields() {
        accounts("a", "b", "c");
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.EARLIEST, 1));
        assertThat(s.events(1)).extracting(this::name).containsExactly("a");

        s.send(first(ACCOUNTS, ReplayPreset.EARLIEST, 1));

        assertThat(s.events(1)).extracting(this::name).containsExactly("b");
    }

    @Test
    void droppedStreamsEndWithServiceUnavailable() {
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 5));
        awaitOpenStreams(1);
        assertThat(emulator.streams().open()).extracting(st -> st.transport() + " " + st.channel())
                .containsExactly("pubsub " + ACCOUNTS);

        assertThat(emulator.streams().drop("pubsub")).isEqualTo(1);

        assertError(s.error(), Status.Code.UNAVAILABLE, PubSubErrors.SERVICE_UNAVAILABLE);
        awaitOpenStreams(0);
        assertThat(emulator.streams().open()).isEmpty();
    }

    @Test
    void stalledStreamsSendNothingThenResume() {
        emulator.pubsub().setKeepalive(Duration.ofMillis(100));
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 5));
        assertThat(s.next().getEventsCount()).as("a keepalive").isZero();
        awaitOpenStreams(1);

        emulator.streams().stall("pubsub", Duration.ofMillis(1500));
        // A keepalive sent just before the stall may still be on its way.
        s.drain(Duration.ofMillis(150));
        accounts("during the stall");

        s.nothingWithin(Duration.ofMillis(900));
        FetchResponse resumed = s.next();
        while (resumed.getEventsCount() == 0) {
            resumed = s.next();
        }
        assertThat(name(resumed.getEvents(0))).isEqualTo("during the stall");
    }

    @Test
    void expiredSessionsEndOpenStreams() {
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 5));
        awaitOpenStreams(1);

        emulator.sessions().expireAll();

        assertError(s.error(), Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_ERROR);
    }

    @Test
    void sessionsPastTheirLifetimeEndOpenStreams() {
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 5));
        awaitOpenStreams(1);

        emulator.clock().advance(emulator.config().tokenTimeToLive().plusMinutes(1));

        assertError(s.error(), Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_ERROR);
    }

    @Test
    void subscribeChecksTheAuthenticationHeaders() {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>(PubSubTestClient.auth(emulator,
                "00D000000000001!AQnope"));
        try (PubSubTestClient stranger = PubSubTestClient.connect(emulator, headers)) {
            assertError(stranger.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 1)).error(),
                    Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_ERROR);
        }
        headers.remove("tenantId");
        try (PubSubTestClient anonymous = PubSubTestClient.connect(emulator, headers)) {
            assertError(anonymous.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 1)).error(),
                    Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_HEADERS_INVALID);
        }
        assertThat(emulator.pubsub().openStreams()).isZero();
    }

    @Test
    void faultsCanFailSubscribeCalls() {
        emulator.faults().failWithStatus("pubsub.subscribe", 1, 503);

        assertError(client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 1)).error(), Status.Code.UNAVAILABLE,
                PubSubErrors.SERVICE_UNAVAILABLE);
    }

    @Test
    void cancelledAndHalfClosedStreamsAreReleased() {
        Subscription cancelled = client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 5));
        awaitOpenStreams(1);
        cancelled.cancel();
        awaitOpenStreams(0);

        Subscription halfClosed = client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 5));
        halfClosed.requests.onCompleted();
        try {
            assertThat(halfClosed.ended.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("completed normally")
                    .isNull();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        awaitOpenStreams(0);
        assertThat(emulator.streams().open()).isEmpty();
    }

    @Test
    void closingTheEmulatorEndsOpenStreams() {
        Subscription s = client.subscribe(first(ACCOUNTS, ReplayPreset.LATEST, 5));
        awaitOpenStreams(1);

        emulator.pubsub().close();

        assertError(s.error(), Status.Code.UNAVAILABLE, PubSubErrors.SERVICE_UNAVAILABLE);
    }

    @Test
    void aClientThatDoesNotReadHoldsBackDelivery() throws Exception {
        // 1,000 events of about 20 kB: 100 of them fill a 2 MB response.
        String description = "x".repeat(20_000);
        emulator.org().write(WriteContext.system(emulator.adminUserId()), txn -> {
            for (int i = 0; i < 1_000; i++) {
                txn.create("Account", Map.of("Name", "big " + i, "Description", description));
            }
            return null;
        });
        java.util.concurrent.LinkedBlockingQueue<FetchResponse> received = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.CompletableFuture<Throwable> ended = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<io.grpc.stub.ClientCallStreamObserver<FetchRequest>> call =
                new java.util.concurrent.atomic.AtomicReference<>();
        io.grpc.stub.StreamObserver<FetchRequest> requests = client.async.subscribe(
                new io.grpc.stub.ClientResponseObserver<FetchRequest, FetchResponse>() {
                    @Override
                    public void beforeStart(io.grpc.stub.ClientCallStreamObserver<FetchRequest> stream) {
                        // Read nothing until told: responses pile up in the transport, not in the test.
                        stream.disableAutoRequestWithInitial(0);
                        call.set(stream);
                    }

                    @Override
                    public void onNext(FetchResponse value) {
                        received.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(t);
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(null);
                    }
                });

        // Ten times the credit, asked for while nothing is read, each request after the server acted on the
        // previous one: a server that ignored the transport's readiness would send 100 events for each.
        requests.onNext(first(ACCOUNTS, ReplayPreset.EARLIEST, 100));
        awaitStream(i -> i.fetchRequests() == 1);
        for (int k = 2; k <= 10; k++) {
            requests.onNext(FetchRequest.newBuilder().setNumRequested(100).build());
            int taken = k;
            awaitStream(i -> i.fetchRequests() == taken);
        }
        PubSubServer.StreamInfo info = awaitStream(i -> true);

        // The transport took what fits before the client's window filled, and the server stopped there.
        assertThat(info.delivered()).isBetween(100L, 900L);
        assertThat(info.pendingNumRequested()).as("credit stays capped").isEqualTo(100);
        call.get().request(Integer.MAX_VALUE);
        long total = info.delivered() + 100;
        long got = 0;
        FetchResponse last = null;
        while (got < total) {
            last = received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(last).as("a response").isNotNull();
            got += last.getEventsCount();
        }
        assertThat(got).isEqualTo(total);
        assertThat(last.getPendingNumRequested()).isZero();
        assertThat(ended).isNotDone();
    }

    /** Waits (bounded) until the one open Subscribe call matches. */
    private PubSubServer.StreamInfo awaitStream(java.util.function.Predicate<PubSubServer.StreamInfo> wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            List<PubSubServer.StreamInfo> open = emulator.pubsub().streamInfo();
            if (open.size() == 1 && wanted.test(open.get(0))) {
                return open.get(0);
            }
            assertThat(System.nanoTime()).as("stream state %s", open).isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }

    /** Waits (bounded, by polling a cheap counter) until the server holds {@code n} open Subscribe calls. */
    private void awaitOpenStreams(int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (emulator.pubsub().openStreams() != n || (n > 0 && emulator.streams().open().size() != n)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " open streams, have " + emulator.pubsub().openStreams());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }
}
