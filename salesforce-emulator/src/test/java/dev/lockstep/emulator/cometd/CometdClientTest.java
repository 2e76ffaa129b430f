package dev.lockstep.emulator.cometd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.Http;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cometd.bayeux.Message;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The standard CometD Java client ({@code org.cometd.java}, Jetty long polling) against the emulator, set up the way
 * EMP-Connector sets it up: CDC events from REST writes, replay from -2 and from an id, re-authentication after the
 * sessions expire, and recovery after a dropped stream.
 */
class CometdClientTest {

    private static final String V = "/services/data/v61.0";
    private static final String ACCOUNTS = "/data/AccountChangeEvent";

    private static HttpClient jetty;
    private Emulator emulator;
    private Http http;
    private EmpLikeSubscriber subscriber;

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = new HttpClient();
        jetty.start();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        jetty.stop();
    }

    @BeforeEach
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults());
        http = new Http(emulator);
        // Held polls end early in tests; events end them at once anyway.
        emulator.cometd().setLongPollTimeout(Duration.ofSeconds(3));
    }

    @AfterEach
    void stop() {
        if (subscriber != null) {
            subscriber.close();
        }
        emulator.close();
    }

    private URI endpoint() {
        return URI.create(emulator.baseUri() + "/cometd/61.0");
    }

    private EmpLikeSubscriber subscribe(long replayFrom) throws InterruptedException {
        subscriber = new EmpLikeSubscriber(jetty, endpoint(), ACCOUNTS, replayFrom).start(emulator.accessToken());
        Message reply = subscriber.nextSubscribeReply();
        assertThat(reply.isSuccessful()).as(String.valueOf(reply)).isTrue();
        assertThat(subscriber.replay().supported()).as("the handshake switched the replay extension on").isTrue();
        return subscriber;
    }

    private String create(String name) {
        Http.Reply reply = http.post(V + "/sobjects/Account", Http.json(Map.of("Name", name)));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(Map<String, Object> data) {
        return (Map<String, Object>) data.get("payload");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> header(Map<String, Object> data) {
        return (Map<String, Object>) payload(data).get("ChangeEventHeader");
    }

    @SuppressWarnings("unchecked")
    private static long replayId(Map<String, Object> data) {
        return (Long) ((Map<String, Object>) data.get("event")).get("replayId");
    }

    private List<String> names(EmpLikeSubscriber s, int n) throws InterruptedException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(String.valueOf(payload(s.nextEvent()).get("Name")));
        }
        return names;
    }

    @Test
    void createUpdateAndDeleteEventsReachTheClient() throws Exception {
        EmpLikeSubscriber s = subscribe(-1);

        String id = create("Acme");
        http.patch(V + "/sobjects/Account/" + id, "{\"Industry\":\"Energy\"}");
        http.delete(V + "/sobjects/Account/" + id);

        Map<String, Object> created = s.nextEvent();
        Map<String, Object> updated = s.nextEvent();
        Map<String, Object> deleted = s.nextEvent();
        assertThat(header(created).get("changeType")).isEqualTo("CREATE");
        assertThat(header(created).get("recordIds")).isEqualTo(List.of(id));
        assertThat(payload(created).get("Name")).isEqualTo("Acme");
        assertThat(created.get("schema")).isEqualTo(emulator.cdc().schemaOf("Account").id());
        assertThat(header(updated).get("changeType")).isEqualTo("UPDATE");
        assertThat(payload(updated)).containsKeys("Industry", "LastModifiedDate").doesNotContainKey("Name");
        assertThat(header(deleted).get("changeType")).isEqualTo("DELETE");
        assertThat(payload(deleted)).containsOnlyKeys("ChangeEventHeader");
        assertThat(replayId(deleted)).isGreaterThan(replayId(updated)).isGreaterThan(replayId(created));
        assertThat(s.replay().positions()).containsEntry(ACCOUNTS, replayId(deleted));
        assertThat(emulator.cdc().deliveredCounts()).containsEntry("cometd " + ACCOUNTS, 3L);
    }

    @Test
    void replayFromMinusTwoDeliversEveryRetainedEvent() throws Exception {
        create("one");
        create("two");

        EmpLikeSubscriber s = subscribe(-2);
        create("three");

        assertThat(names(s, 3)).containsExactly("one", "two", "three");
    }

    @Test
    void replayFromAnIdStartsAfterIt() throws Exception {
        create("one");
        long afterOne = emulator.cdc().latestReplayId();
        create("two");
        create("three");

        EmpLikeSubscriber s = subscribe(afterOne);

        assertThat(names(s, 2)).containsExactly("two", "three");
        assertThat(s.eventWithin(300)).isNull();
    }

    @Test
    void anInvalidReplayIdFailsTheSubscription() throws Exception {
        create("one");
        long unknown = emulator.cdc().latestReplayId() + 1_000;
        subscriber = new EmpLikeSubscriber(jetty, endpoint(), ACCOUNTS, unknown).start(emulator.accessToken());

        Message reply = subscriber.nextSubscribeReply();

        assertThat(reply.isSuccessful()).isFalse();
        assertThat(String.valueOf(reply.get(Message.ERROR_FIELD))).startsWith("400::The replayId {" + unknown + "}")
                .contains("you provided was invalid");
    }

    @Test
    void afterTheSessionsExpireTheClientReauthenticatesAndResumes() throws Exception {
        EmpLikeSubscriber s = subscribe(-1);
        create("before");
        assertThat(payload(s.nextEvent()).get("Name")).isEqualTo("before");

        emulator.sessions().expireAll();
        http = new Http(emulator);
        create("while re-authenticating");
        Message failure = s.nextAuthFailure();

        assertThat(failure.getChannel()).isEqualTo("/meta/connect");
        assertThat(failure.get(Message.ERROR_FIELD)).isEqualTo("401::Authentication invalid");
        assertThat(failure.getAdvice()).containsEntry("reconnect", "none");
        s.reconnect(emulator.accessToken());
        assertThat(s.nextSubscribeReply().isSuccessful()).isTrue();
        create("after");
        assertThat(names(s, 2)).containsExactly("while re-authenticating", "after");
        assertThat(s.eventWithin(300)).as("nothing twice").isNull();
    }

    @Test
    void aHandshakeWithARevokedTokenIsDeniedAsEmpExpects() throws Exception {
        String token = emulator.accessToken();
        emulator.sessions().revoke(token);
        subscriber = new EmpLikeSubscriber(jetty, endpoint(), ACCOUNTS, -1).start(token);

        Message failure = subscriber.nextAuthFailure();

        assertThat(failure.getChannel()).isEqualTo("/meta/handshake");
        assertThat(failure.get(Message.ERROR_FIELD)).isEqualTo("403::Handshake denied");
        assertThat(failure.getExt()).containsKey("sfdc");
        assertThat(failure.getExt().get("sfdc").toString()).contains("401::Authentication invalid");
    }

    @Test
    void afterAStreamDropTheClientHandshakesAgainAndResumesWithoutLossOrDuplicates() throws Exception {
        EmpLikeSubscriber s = subscribe(-1);
        assertThat(s.nextHandshake().isSuccessful()).isTrue();
        create("one");
        assertThat(payload(s.nextEvent()).get("Name")).isEqualTo("one");

        assertThat(emulator.streams().drop("cometd")).isEqualTo(1);
        create("two");
        create("three");

        // CometD follows the 403::Unknown client advice (reconnect: handshake) by itself; the handshake listener
        // subscribes again, and the replay extension resumes after "one".
        assertThat(s.nextHandshake().isSuccessful()).isTrue();
        assertThat(s.nextSubscribeReply().isSuccessful()).isTrue();
        assertThat(names(s, 2)).containsExactly("two", "three");
        assertThat(s.eventWithin(300)).as("nothing twice").isNull();
    }
}
