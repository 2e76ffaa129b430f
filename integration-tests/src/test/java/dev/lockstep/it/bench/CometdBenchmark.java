package dev.lockstep.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.org.WriteContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSession;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How fast the emulator's Streaming API (CometD) delivers change events to the standard CometD Java client, set up
 * as EMP-Connector sets it up (Jetty long polling, 10 MB buffer, replay extension). Commits 100,000 changes
 * ({@code -Dbench.cometd.changes=N}) in transactions of 200, then subscribes to {@code /data/AccountChangeEvent} with
 * replay -2 and counts events per second until all arrived; then the same live, from the tip, while a writer
 * commits. Prints numbers; asserts only that every event arrives once and in replay-id order. Run with
 * {@code mvn -B verify -Pbenchmark -pl integration-tests -am}.
 */
class CometdBenchmark {

    private static final int CHANGES = Integer.getInteger("bench.cometd.changes", 100_000);
    private static final int PER_TRANSACTION = 200;
    private static final String CHANNEL = "/data/AccountChangeEvent";
    private static Emulator emulator;
    private static HttpClient jetty;

    @BeforeAll
    static void startClient() throws Exception {
        jetty = new HttpClient();
        jetty.start();
        System.out.printf("%nCOMETD BENCHMARK (Streaming API, org.cometd.java client)%n");
    }

    @AfterAll
    static void stopClient() throws Exception {
        jetty.stop();
    }

    /** A fresh org per measurement, so each one counts only its own events. */
    @BeforeEach
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults().withDailyApiLimit(Long.MAX_VALUE));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    /** Commits {@code n} Account creates in transactions of 200, as a Bulk job or a collection writes them. */
    private static void commit(int n, String prefix) {
        WriteContext context = new WriteContext(emulator.adminUserId(), "REST API", "bench", "61.0");
        for (int done = 0; done < n; done += PER_TRANSACTION) {
            int from = done;
            int count = Math.min(PER_TRANSACTION, n - done);
            emulator.org().write(context, txn -> {
                for (int i = 0; i < count; i++) {
                    txn.create("Account", Map.of("Name", prefix + (from + i)));
                }
                return null;
            });
        }
    }

    @Test
    void replayAllDeliveryRate() throws Exception {
        long start = System.nanoTime();
        commit(CHANGES, "Replayed ");
        double commitSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("  committed %,d changes in %.1f s (%,.0f changes/s)%n", CHANGES, commitSeconds,
                CHANGES / commitSeconds);

        Counting counting = new Counting(CHANGES);
        BayeuxClient client = subscribe(counting, -2L);
        try {
            assertThat(counting.done.await(10, TimeUnit.MINUTES)).as("all events within 10 minutes").isTrue();
            double seconds = (counting.lastAt.get() - counting.subscribedAt.get()) / 1e9;
            System.out.printf("  replay -2: %,d events delivered in %.2f s: %,.0f events/s (%d connect responses,"
                    + " at most %,d events each)%n", counting.events.get(), seconds, counting.events.get() / seconds,
                    counting.responses(), emulator.cometd().maxEventsPerConnect());
            counting.check(CHANGES);
        } finally {
            client.disconnect(5_000);
        }
    }

    @Test
    void liveDeliveryRate() throws Exception {
        int live = Math.max(PER_TRANSACTION, CHANGES / 5);
        Counting counting = new Counting(live);
        BayeuxClient client = subscribe(counting, -1L);
        try {
            long start = System.nanoTime();
            commit(live, "Live ");
            double commitSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(counting.done.await(10, TimeUnit.MINUTES)).as("all events within 10 minutes").isTrue();
            double seconds = (counting.lastAt.get() - start) / 1e9;
            System.out.printf("  live from the tip: %,d changes committed in %.2f s, all delivered %.2f s after the"
                    + " first commit: %,.0f events/s end to end%n", live, commitSeconds, seconds, live / seconds);
            counting.check(live);
        } finally {
            client.disconnect(5_000);
        }
    }

    /** Counts events, checks the order and remembers every record id, on the client's listener thread. */
    private static final class Counting {
        final AtomicLong events = new AtomicLong();
        final AtomicLong subscribedAt = new AtomicLong();
        final AtomicLong lastAt = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);
        final Set<Object> recordIds = ConcurrentHashMap.newKeySet();
        final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        final Set<Long> connectIds = ConcurrentHashMap.newKeySet();
        private final int expected;
        private long lastReplayId = Long.MIN_VALUE;

        Counting(int expected) {
            this.expected = expected;
        }

        @SuppressWarnings("unchecked")
        synchronized void onEvent(Message message) {
            Map<String, Object> data = message.getDataAsMap();
            long replayId = (Long) ((Map<String, Object>) data.get("event")).get("replayId");
            if (replayId <= lastReplayId) {
                problems.add("replay id " + replayId + " after " + lastReplayId);
            }
            lastReplayId = replayId;
            Map<String, Object> header = (Map<String, Object>) ((Map<String, Object>) data.get("payload"))
                    .get("ChangeEventHeader");
            recordIds.addAll((List<Object>) header.get("recordIds"));
            if (events.incrementAndGet() == expected) {
                lastAt.set(System.nanoTime());
                done.countDown();
            }
        }

        int responses() {
            return connectIds.size();
        }

        void check(int n) {
            assertThat(problems).isEmpty();
            assertThat(events.get()).isEqualTo(n);
            assertThat(recordIds).hasSize(n);
        }
    }

    /** A client like EMP-Connector's: bare token, 15 s network delay, 10 MB buffer, the replay extension. */
    private static BayeuxClient subscribe(Counting counting, long replayFrom) throws InterruptedException {
        String token = emulator.accessToken();
        Map<String, Object> options = new HashMap<>();
        options.put(ClientTransport.MAX_NETWORK_DELAY_OPTION, 15_000);
        options.put(ClientTransport.MAX_MESSAGE_SIZE_OPTION, 10 * 1024 * 1024);
        JettyHttpClientTransport transport = new JettyHttpClientTransport(options, jetty) {
            @Override
            protected void customize(Request request) {
                request.headers(headers -> headers.put(HttpHeader.AUTHORIZATION, token));
            }
        };
        BayeuxClient client = new BayeuxClient(emulator.baseUri() + "/cometd/61.0", transport);
        client.addExtension(new ClientSession.Extension() {
            @Override
            public boolean sendMeta(ClientSession session, Message.Mutable message) {
                if (Channel.META_HANDSHAKE.equals(message.getChannel())) {
                    message.getExt(true).put("replay", Boolean.TRUE);
                } else if (Channel.META_SUBSCRIBE.equals(message.getChannel())) {
                    message.getExt(true).put("replay", Map.of(CHANNEL, replayFrom));
                }
                return true;
            }

            @Override
            public boolean rcvMeta(ClientSession session, Message.Mutable message) {
                if (Channel.META_CONNECT.equals(message.getChannel())) {
                    counting.connectIds.add(Long.parseLong(message.getId()));
                }
                return true;
            }
        });
        BlockingQueue<Message> subscribed = new LinkedBlockingQueue<>();
        client.getChannel(Channel.META_HANDSHAKE).addListener((ClientSessionChannel.MessageListener) (ch, m) -> {
            if (m.isSuccessful()) {
                client.getChannel(CHANNEL).subscribe((c, message) -> counting.onEvent(message), reply -> {
                    counting.subscribedAt.set(System.nanoTime());
                    subscribed.add(reply);
                });
            }
        });
        client.handshake();
        Message reply = subscribed.poll(30, TimeUnit.SECONDS);
        assertThat(reply).as("subscribe reply").isNotNull();
        assertThat(reply.isSuccessful()).as(String.valueOf(reply)).isTrue();
        return client;
    }
}
