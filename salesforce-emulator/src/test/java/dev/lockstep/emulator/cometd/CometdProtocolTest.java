package dev.lockstep.emulator.cometd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.Http;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Streaming API on the wire, with a hand-written Bayeux client: message shapes, the cookie, the long poll,
 * replay positions, the delivered CDC event JSON and every error text of reference §7.5.
 */
class CometdProtocolTest {

    private static final String V = "/services/data/v61.0";
    private static final String ACCOUNTS = "/data/AccountChangeEvent";
    private static final String ISO_DATETIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    private Emulator emulator;
    private Http http;
    private String token;

    @BeforeEach
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults());
        token = emulator.accessToken();
        http = new Http(emulator.baseUri(), token);
        // Short enough that a test never waits long for an empty poll, long enough to see a poll being held.
        emulator.cometd().setLongPollTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private RawBayeux bayeux() {
        return new RawBayeux(emulator.baseUri(), "61.0", token);
    }

    /** Handshake, subscribe and the first connect (answered at once), ready for a held connect. */
    private RawBayeux subscribed(String channel, long replay) {
        RawBayeux b = bayeux();
        assertThat(b.handshake().on("/meta/handshake").path("successful").asBoolean()).isTrue();
        assertThat(b.subscribe(channel, replay).on("/meta/subscribe").path("successful").asBoolean()).isTrue();
        return b;
    }

    private String create(String object, Map<String, Object> fields) {
        Http.Reply reply = http.send(http.builder(V + "/sobjects/" + object)
                .header("Content-Type", "application/json").header("Sforce-Call-Options", "client=emp-test")
                .POST(HttpRequest.BodyPublishers.ofString(Http.json(fields))));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    /** Connects until {@code n} events arrived (each connect returns at once when events are there). */
    private List<JsonNode> events(RawBayeux b, int n) {
        List<JsonNode> events = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (events.size() < n && System.nanoTime() < deadline) {
            RawBayeux.Reply reply = b.connect();
            assertThat(reply.on("/meta/connect").path("successful").asBoolean()).as(reply.text()).isTrue();
            events.addAll(reply.events());
        }
        assertThat(events).hasSize(n);
        return events;
    }

    private void awaitHeld(RawBayeux b, int held) {
        await().atMost(Duration.ofSeconds(10)).until(() -> emulator.cometd().heldConnects(b.clientId()) == held);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ------------------------------------------------------------------------------------------ handshake

    @Test
    void handshakeAnswersClientIdReplayExtensionAndTheBrowserCookie() {
        RawBayeux.Reply reply = bayeux().handshake();

        assertThat(reply.status()).isEqualTo(200);
        JsonNode handshake = reply.on("/meta/handshake");
        assertThat(handshake.get("successful").asBoolean()).isTrue();
        assertThat(handshake.get("id").asText()).isEqualTo("1");
        assertThat(handshake.get("version").asText()).isEqualTo("1.0");
        assertThat(handshake.get("minimumVersion").asText()).isEqualTo("1.0");
        assertThat(handshake.get("clientId").asText()).matches("[a-z0-9]{20,}");
        assertThat(handshake.get("supportedConnectionTypes").toString()).isEqualTo("[\"long-polling\"]");
        assertThat(handshake.get("ext").toString()).isEqualTo("{\"replay\":true,\"payload.format\":true}");
        assertThat(reply.setCookie()).startsWith("BAYEUX_BROWSER=").contains("Path=/");
    }

    @Test
    void theTokenMayComeAsBearerOAuthOrBare() {
        for (String header : List.of("Bearer " + token, "OAuth " + token, token)) {
            RawBayeux b = bayeux().authorization(header);
            assertThat(b.handshake().on("/meta/handshake").path("successful").asBoolean()).as(header).isTrue();
            assertThat(b.connect().on("/meta/connect").path("successful").asBoolean()).as(header).isTrue();
        }
    }

    @Test
    void theMetaChannelMayBeAppendedToTheUrlOrNot() {
        RawBayeux b = bayeux();
        b.handshake();
        ObjectNode connect = b.connectMessage();

        RawBayeux.Reply reply = b.send("", connect);

        assertThat(reply.on("/meta/connect").path("successful").asBoolean()).isTrue();
    }

    // ------------------------------------------------------------------------------------------ delivery

    @Test
    void aCreateEventHasSalesforcesJsonShape() {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        assertThat(b.connect().events()).isEmpty();
        String id = create("Account", Map.of("Name", "Acme", "BillingCity", "Oakland", "AnnualRevenue", 1500000,
                "NumberOfEmployees", 12));

        RawBayeux.Reply reply = b.connect();

        assertThat(reply.json().size()).as("events, then the connect reply").isEqualTo(2);
        assertThat(reply.json().get(1).path("channel").asText()).isEqualTo("/meta/connect");
        JsonNode event = reply.json().get(0);
        assertThat(names(event)).containsExactly("channel", "data");
        assertThat(event.get("channel").asText()).isEqualTo(ACCOUNTS);
        JsonNode data = event.get("data");
        assertThat(names(data)).containsExactly("schema", "payload", "event");
        assertThat(data.get("schema").asText()).isEqualTo(emulator.cdc().schemaOf("Account").id());
        assertThat(data.get("event").get("replayId").isIntegralNumber()).isTrue();
        assertThat(data.get("event").get("replayId").asLong()).isEqualTo(emulator.cdc().latestReplayId());
        JsonNode header = data.get("payload").get("ChangeEventHeader");
        assertThat(names(header)).containsExactly("entityName", "recordIds", "changeType", "changeOrigin",
                "transactionKey", "sequenceNumber", "commitTimestamp", "commitNumber", "commitUser",
                "changedFields");
        assertThat(header.get("entityName").asText()).isEqualTo("Account");
        assertThat(header.get("recordIds").toString()).isEqualTo("[\"" + id + "\"]");
        assertThat(header.get("changeType").asText()).isEqualTo("CREATE");
        assertThat(header.get("changeOrigin").asText()).isEqualTo("com/salesforce/api/rest/61.0;client=emp-test");
        assertThat(header.get("sequenceNumber").asInt()).isEqualTo(1);
        assertThat(header.get("commitTimestamp").isIntegralNumber()).isTrue();
        assertThat(header.get("commitNumber").isIntegralNumber()).isTrue();
        assertThat(header.get("commitUser").asText()).isEqualTo(emulator.adminUserId());
        assertThat(header.get("changedFields").toString()).isEqualTo("[]");
        JsonNode payload = data.get("payload");
        assertThat(payload.get("Name").asText()).isEqualTo("Acme");
        assertThat(payload.get("BillingAddress").toString()).isEqualTo("{\"City\":\"Oakland\"}");
        assertThat(payload.get("AnnualRevenue").isNumber()).isTrue();
        assertThat(payload.get("AnnualRevenue").decimalValue()).isEqualByComparingTo("1500000");
        assertThat(payload.get("NumberOfEmployees").asInt()).isEqualTo(12);
        assertThat(payload.get("CreatedDate").asText()).matches(ISO_DATETIME);
        assertThat(payload.get("LastModifiedDate").asText()).matches(ISO_DATETIME);
        assertThat(payload.get("OwnerId").asText()).isEqualTo(emulator.adminUserId());
        assertThat(names(payload)).doesNotContain("IsDeleted", "SystemModstamp", "BillingCity", "Phone");
        payload.properties().forEach(f -> assertThat(f.getValue().isNull()).as(f.getKey()).isFalse());
    }

    @Test
    void anUpdateCarriesOnlyChangedFieldsWithNullsAndLastModifiedDate() {
        String id = create("Account", Map.of("Name", "Acme", "Phone", "555", "BillingCity", "Oakland",
                "BillingStreet", "1 Main St"));
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();
        emulator.clock().advance(Duration.ofSeconds(2));

        http.patch(V + "/sobjects/Account/" + id, "{\"Phone\":null,\"BillingCity\":\"Paris\",\"Industry\":\"Energy\"}");
        JsonNode payload = events(b, 1).get(0).get("data").get("payload");

        assertThat(payload.get("ChangeEventHeader").get("changeType").asText()).isEqualTo("UPDATE");
        assertThat(payload.get("ChangeEventHeader").get("changedFields")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("Phone", "BillingAddress.City", "Industry", "LastModifiedDate");
        assertThat(names(payload)).containsExactlyInAnyOrder("ChangeEventHeader", "Phone", "BillingAddress",
                "Industry", "LastModifiedDate");
        assertThat(payload.get("Phone").isNull()).isTrue();
        assertThat(payload.get("BillingAddress").toString()).isEqualTo("{\"City\":\"Paris\"}");
        assertThat(payload.get("Industry").asText()).isEqualTo("Energy");
        assertThat(payload.get("LastModifiedDate").asText()).matches(ISO_DATETIME);
        assertThat(payload.get("ChangeEventHeader").has("nulledFields")).isFalse();
        assertThat(payload.get("ChangeEventHeader").has("diffFields")).isFalse();
    }

    @Test
    void aDeleteIsTheHeaderAloneAndAnUndeleteCarriesTheRestoredFields() {
        String id = create("Account", Map.of("Name", "Gone soon", "Industry", "Energy"));
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();

        http.delete(V + "/sobjects/Account/" + id);
        new Http(emulator.baseUri(), null).post("/__emulator/undelete", Http.json(Map.of("ids", List.of(id))));
        List<JsonNode> events = events(b, 2);

        JsonNode deleted = events.get(0).get("data").get("payload");
        assertThat(deleted.get("ChangeEventHeader").get("changeType").asText()).isEqualTo("DELETE");
        assertThat(names(deleted)).containsExactly("ChangeEventHeader");
        JsonNode undeleted = events.get(1).get("data").get("payload");
        assertThat(undeleted.get("ChangeEventHeader").get("changeType").asText()).isEqualTo("UNDELETE");
        assertThat(undeleted.get("Name").asText()).isEqualTo("Gone soon");
        assertThat(undeleted.get("Industry").asText()).isEqualTo("Energy");
    }

    @Test
    void datesTimesAndCompoundsAreRenderedByFieldType() {
        RawBayeux b = subscribed("/data/Sync_Sample__ChangeEvent", -1);
        b.connect();
        create("Sync_Sample__c", Map.of("Name", "s", "Due_Date__c", "2024-09-03", "Due_At__c",
                "2024-09-03T06:59:38.000Z", "Alarm_Time__c", "07:30:00.000Z", "Flag__c", true, "Quantity__c", 3,
                "Location__Latitude__s", 1.5, "Location__Longitude__s", 2.5));
        create("Contact", Map.of("FirstName", "Ada", "LastName", "Lovelace"));

        JsonNode event = events(b, 1).get(0);
        JsonNode payload = event.get("data").get("payload");

        assertThat(event.get("channel").asText()).isEqualTo("/data/Sync_Sample__ChangeEvent");
        assertThat(payload.get("Due_Date__c").asText()).isEqualTo("2024-09-03");
        assertThat(payload.get("Due_At__c").asText()).isEqualTo("2024-09-03T06:59:38.000Z");
        assertThat(payload.get("Alarm_Time__c").asText()).isEqualTo("07:30:00.000Z");
        assertThat(payload.get("Flag__c").asBoolean()).isTrue();
        assertThat(payload.get("Quantity__c").isNumber()).isTrue();
        assertThat(payload.get("Location__c").get("Latitude").asDouble()).isEqualTo(1.5);
        assertThat(payload.has("Total__c")).as("formula fields are left out").isFalse();

        RawBayeux contacts = subscribed("/data/ContactChangeEvent", -2);
        JsonNode contact = events(contacts, 1).get(0).get("data").get("payload");
        assertThat(contact.get("Name")).isEqualTo(RawBayeux.JSON.createObjectNode().put("FirstName", "Ada")
                .put("LastName", "Lovelace"));
    }

    @Test
    void gapAndOverflowEventsAreHeadersOnly() {
        String id = create("Account", Map.of("Name", "a"));
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();

        emulator.cdc().injectGap("Account", "GAP_UPDATE", List.of(id));
        emulator.cdc().injectOverflow("Account");
        List<JsonNode> events = events(b, 2);

        JsonNode gap = events.get(0).get("data").get("payload");
        assertThat(names(gap)).containsExactly("ChangeEventHeader");
        assertThat(gap.get("ChangeEventHeader").get("changeType").asText()).isEqualTo("GAP_UPDATE");
        assertThat(gap.get("ChangeEventHeader").get("recordIds").toString()).isEqualTo("[\"" + id + "\"]");
        JsonNode overflow = events.get(1).get("data").get("payload");
        assertThat(names(overflow)).containsExactly("ChangeEventHeader");
        assertThat(overflow.get("ChangeEventHeader").get("changeType").asText()).isEqualTo("GAP_OVERFLOW");
        assertThat(overflow.get("ChangeEventHeader").get("recordIds").toString()).isEqualTo("[]");
    }

    // ------------------------------------------------------------------------------------------ long poll

    @Test
    void theFirstConnectIsAnsweredAtOnceWithTheAdvice() {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        long start = System.nanoTime();

        JsonNode connect = b.connect().on("/meta/connect");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(connect.get("successful").asBoolean()).isTrue();
        assertThat(connect.get("clientId").asText()).isEqualTo(b.clientId());
        assertThat(connect.get("advice").toString()).isEqualTo("{\"reconnect\":\"retry\",\"interval\":0,"
                + "\"timeout\":5000}");
    }

    @Test
    void aConnectIsHeldUntilAnEventArrives() throws Exception {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();
        emulator.cometd().setLongPollTimeout(Duration.ofSeconds(30));

        CompletableFuture<RawBayeux.Reply> held = b.connectAsync();
        awaitHeld(b, 1);
        create("Account", Map.of("Name", "wake up"));
        RawBayeux.Reply reply = held.get(20, TimeUnit.SECONDS);

        assertThat(reply.events()).hasSize(1);
        assertThat(reply.events().get(0).get("data").get("payload").get("Name").asText()).isEqualTo("wake up");
        assertThat(reply.on("/meta/connect").get("advice").get("timeout").asLong()).isEqualTo(30_000);
    }

    @Test
    void aHeldConnectWithoutEventsIsAnsweredAtTheTimeout() {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();
        emulator.cometd().setLongPollTimeout(Duration.ofMillis(300));
        long start = System.nanoTime();

        RawBayeux.Reply reply = b.connect();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(reply.json().size()).isEqualTo(1);
        assertThat(reply.on("/meta/connect").get("successful").asBoolean()).isTrue();
        assertThat(reply.on("/meta/connect").get("advice").get("timeout").asLong()).isEqualTo(300);
    }

    @Test
    void aSecondConnectAnswersTheHeldOne() throws Exception {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();
        emulator.cometd().setLongPollTimeout(Duration.ofSeconds(30));
        CompletableFuture<RawBayeux.Reply> first = b.connectAsync();
        awaitHeld(b, 1);

        CompletableFuture<RawBayeux.Reply> second = b.connectAsync();
        RawBayeux.Reply superseded = first.get(20, TimeUnit.SECONDS);
        awaitHeld(b, 1);
        create("Account", Map.of("Name", "for the second"));

        assertThat(superseded.json().size()).isEqualTo(1);
        assertThat(superseded.on("/meta/connect").get("successful").asBoolean()).isTrue();
        assertThat(second.get(20, TimeUnit.SECONDS).events()).hasSize(1);
    }

    @Test
    void eventsAreBatchedAndCappedPerResponse() {
        for (int i = 0; i < 5; i++) {
            create("Account", Map.of("Name", "n" + i));
        }
        emulator.cometd().setMaxEventsPerConnect(2);
        RawBayeux b = subscribed(ACCOUNTS, -2);

        List<Integer> sizes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<JsonNode> batch = b.connect().events();
            sizes.add(batch.size());
            batch.forEach(e -> names.add(e.get("data").get("payload").get("Name").asText()));
        }

        assertThat(sizes).containsExactly(2, 2, 1);
        assertThat(names).containsExactly("n0", "n1", "n2", "n3", "n4");
        assertThat(emulator.cdc().deliveredCounts()).containsEntry("cometd " + ACCOUNTS, 5L);
        assertThat(emulator.counters().get("cometd")).isGreaterThanOrEqualTo(5);
    }

    @Test
    void aByteCapSplitsBatchesWithoutLosingEvents() {
        for (int i = 0; i < 4; i++) {
            create("Account", Map.of("Name", "n" + i));
        }
        emulator.cometd().setMaxResponseBytes(1);
        RawBayeux b = subscribed(ACCOUNTS, -2);

        List<String> names = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<JsonNode> batch = b.connect().events();
            assertThat(batch).as("one event per response, however large").hasSize(1);
            names.add(batch.get(0).get("data").get("payload").get("Name").asText());
        }

        assertThat(names).containsExactly("n0", "n1", "n2", "n3");
    }

    @Test
    void aClientOnSeveralChannelsGetsEachChannelsEventsInReplayOrder() {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        assertThat(b.subscribe("/data/ContactChangeEvent", -1L).on("/meta/subscribe").get("successful").asBoolean())
                .isTrue();
        assertThat(b.subscribe("/data/ChangeEvents", -1L).on("/meta/subscribe").get("successful").asBoolean())
                .isTrue();
        b.connect();

        create("Contact", Map.of("LastName", "c1"));
        create("Account", Map.of("Name", "a1"));
        create("Lead", Map.of("LastName", "l1", "Company", "co"));
        List<JsonNode> events = events(b, 5);

        assertThat(events).extracting(e -> e.get("channel").asText()).containsExactly("/data/ContactChangeEvent",
                "/data/ChangeEvents", ACCOUNTS, "/data/ChangeEvents", "/data/ChangeEvents");
        List<Long> ids = events.stream().map(e -> e.get("data").get("event").get("replayId").asLong()).toList();
        assertThat(ids).isSorted();
    }

    // ------------------------------------------------------------------------------------------ replay

    @Test
    void replayMinusTwoFromAnIdAndTheTip() {
        for (String name : List.of("one", "two", "three")) {
            create("Account", Map.of("Name", name));
        }

        List<JsonNode> all = events(subscribed(ACCOUNTS, -2), 3);
        long first = all.get(0).get("data").get("event").get("replayId").asLong();
        List<JsonNode> afterFirst = events(subscribed(ACCOUNTS, first), 2);
        RawBayeux tip = subscribed(ACCOUNTS, -1);
        RawBayeux noExt = bayeux();
        noExt.handshake();
        noExt.subscribe(ACCOUNTS, null);

        assertThat(all).extracting(e -> e.get("data").get("payload").get("Name").asText())
                .containsExactly("one", "two", "three");
        assertThat(afterFirst).extracting(e -> e.get("data").get("payload").get("Name").asText())
                .containsExactly("two", "three");
        assertThat(tip.connect().events()).isEmpty();
        assertThat(noExt.connect().events()).as("no replay entry means the tip").isEmpty();
    }

    @Test
    void anInvalidReplayIdIsRefusedWithSalesforcesText() {
        create("Account", Map.of("Name", "one"));
        RawBayeux b = bayeux();
        b.handshake();
        long unknown = emulator.cdc().latestReplayId() + 1_000;

        JsonNode reply = b.subscribe(ACCOUNTS, unknown).on("/meta/subscribe");

        assertThat(reply.get("successful").asBoolean()).isFalse();
        assertThat(reply.get("subscription").asText()).isEqualTo(ACCOUNTS);
        assertThat(reply.get("error").asText()).isEqualTo("400::The replayId {" + unknown + "} you provided was "
                + "invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.");
        assertThat(b.subscribe(ACCOUNTS, -3L).on("/meta/subscribe").get("error").asText())
                .startsWith("400::The replayId {-3} you provided was invalid.");
    }

    @Test
    void unsubscribeStopsDelivery() {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();
        ObjectNode unsubscribe = b.message("/meta/unsubscribe");
        unsubscribe.put("subscription", ACCOUNTS);

        JsonNode reply = b.send("/unsubscribe", unsubscribe).on("/meta/unsubscribe");
        create("Account", Map.of("Name", "unheard"));
        emulator.cometd().setLongPollTimeout(Duration.ofMillis(200));

        assertThat(reply.get("successful").asBoolean()).isTrue();
        assertThat(reply.get("subscription").asText()).isEqualTo(ACCOUNTS);
        assertThat(b.connect().events()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------ errors

    @Test
    void theUriMustNameAVersionFrom37() {
        RawBayeux missing = new RawBayeux(emulator.baseUri(), "", token);
        RawBayeux.Reply noVersion = missing.sendRaw("", "[{\"channel\":\"/meta/handshake\",\"id\":\"1\"}]");
        RawBayeux.Reply old = new RawBayeux(emulator.baseUri(), "36.0", token).handshake();
        RawBayeux.Reply replayPath = new RawBayeux(emulator.baseUri(), "replay/36.0", token).handshake();

        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.json().get(0).get("error").asText())
                .isEqualTo("400::API version in the URI is mandatory. URI format: '/cometd/64.0'");
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.json().get(0).get("error").asText()).isEqualTo("400::Unsupported API version. Only API "
                + "versions '37.0' and above are supported. URI format: '/cometd/64.0'");
        assertThat(replayPath.status()).isEqualTo(400);
        assertThat(new RawBayeux(emulator.baseUri(), "37.0", token).handshake().status()).isEqualTo(200);
    }

    @Test
    void aBodyOver32KilobytesIs413() {
        RawBayeux b = bayeux();
        String padding = "x".repeat(CometdServer.MAX_REQUEST_BYTES);

        RawBayeux.Reply reply = b.sendRaw("/handshake", "[{\"channel\":\"/meta/handshake\",\"pad\":\"" + padding
                + "\"}]");

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.text()).isEqualTo("Maximum Request Size Exceeded");
    }

    @Test
    void aRequestWithoutTokenRequiresAuthentication() {
        RawBayeux b = bayeux();
        b.handshake();
        b.authorization(null);

        JsonNode connect = b.connect().on("/meta/connect");
        JsonNode handshake = b.handshake().on("/meta/handshake");

        assertThat(connect.get("successful").asBoolean()).isFalse();
        assertThat(connect.get("error").asText()).isEqualTo("401::Request requires authentication");
        assertThat(connect.get("advice").get("reconnect").asText()).isEqualTo("none");
        assertThat(handshake.get("error").asText()).isEqualTo("403::Handshake denied");
        assertThat(handshake.get("ext").get("sfdc").get("failureReason").asText())
                .isEqualTo("401::Request requires authentication");
    }

    @Test
    void aHandshakeWithABadTokenIsDenied() {
        RawBayeux.Reply reply = new RawBayeux(emulator.baseUri(), "61.0", "00Dbogus!token").handshake();

        JsonNode handshake = reply.on("/meta/handshake");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(handshake.get("successful").asBoolean()).isFalse();
        assertThat(handshake.get("error").asText()).isEqualTo("403::Handshake denied");
        assertThat(handshake.get("ext").get("sfdc").get("failureReason").asText())
                .isEqualTo("401::Authentication invalid");
        assertThat(handshake.get("advice").get("reconnect").asText()).isEqualTo("none");
        assertThat(reply.setCookie()).isNull();
    }

    @Test
    void anExpiredSessionAnswersTheHeldConnectWith401() throws Exception {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();
        emulator.cometd().setLongPollTimeout(Duration.ofSeconds(30));
        CompletableFuture<RawBayeux.Reply> held = b.connectAsync();
        awaitHeld(b, 1);

        emulator.sessions().expireAll();
        new Http(emulator).post(V + "/sobjects/Account", Http.json(Map.of("Name", "wakes the poll")));
        RawBayeux.Reply reply = held.get(20, TimeUnit.SECONDS);

        JsonNode connect = reply.on("/meta/connect");
        assertThat(reply.events()).isEmpty();
        assertThat(connect.get("successful").asBoolean()).isFalse();
        assertThat(connect.get("error").asText()).isEqualTo("401::Authentication invalid");
        assertThat(connect.get("advice").toString()).isEqualTo("{\"reconnect\":\"none\",\"interval\":0}");
        assertThat(b.handshake().on("/meta/handshake").get("ext").get("sfdc").get("failureReason").asText())
                .isEqualTo("401::Authentication invalid");
        assertThat(emulator.cometd().clientIds()).isEmpty();
    }

    @Test
    void unknownAndUnhandshakenClientsAreTurnedAway() {
        RawBayeux b = bayeux();
        b.handshake();

        JsonNode unknown = b.clientId("nosuchclient").connect().on("/meta/connect");
        ObjectNode subscribe = b.clientId(null).message("/meta/subscribe");
        subscribe.put("subscription", ACCOUNTS);
        JsonNode unhandshaken = b.send("/subscribe", subscribe).on("/meta/subscribe");

        assertThat(unknown.get("error").asText()).isEqualTo("403::Unknown client");
        assertThat(unknown.get("advice").toString()).isEqualTo("{\"reconnect\":\"handshake\",\"interval\":0}");
        assertThat(unhandshaken.get("error").asText()).isEqualTo("403::Client has not completed handshake");
    }

    @Test
    void theBrowserCookieIsRequiredAfterTheHandshake() {
        RawBayeux b = bayeux();
        b.handshake();
        String cookie = b.cookie();

        JsonNode withoutCookie = b.cookie(null).connect().on("/meta/connect");
        JsonNode withIt = b.cookie(cookie).connect().on("/meta/connect");

        assertThat(withoutCookie.get("successful").asBoolean()).isFalse();
        assertThat(withoutCookie.get("error").asText()).isEqualTo("400::Client " + b.clientId()
                + " has established a session, but no BAYEUX_BROWSER cookie present");
        assertThat(withIt.get("successful").asBoolean()).isTrue();
        assertThat(b.handshake().setCookie()).as("a browser keeps its cookie").contains("BAYEUX_BROWSER=" + cookie);
    }

    @Test
    void subscriptionsNeedAnExistingChannelName() {
        RawBayeux b = bayeux();
        b.handshake();
        emulator.cdc().select(Set.of("Contact"));

        assertThat(b.subscribe("", -1L).on("/meta/subscribe").get("error").asText())
                .isEqualTo("400::Channel name not specified");
        assertThat(b.subscribe("data/AccountChangeEvent", -1L).on("/meta/subscribe").get("error").asText())
                .isEqualTo("400::Channel subscriptions must start with a leading '/'");
        assertThat(b.subscribe(ACCOUNTS, -1L).on("/meta/subscribe").get("error").asText())
                .isEqualTo("400::The channel you requested to subscribe to doesn't exist {" + ACCOUNTS + "}");
        assertThat(b.subscribe("/topic/Nope", -1L).on("/meta/subscribe").get("error").asText())
                .isEqualTo("400::The channel you requested to subscribe to doesn't exist {/topic/Nope}");
        assertThat(b.subscribe("/data/ContactChangeEvent", -1L).on("/meta/subscribe").get("successful")
                .asBoolean()).isTrue();
    }

    @Test
    void onlyLongPollingIsSupported() {
        RawBayeux b = bayeux();
        ObjectNode handshake = b.message("/meta/handshake");
        handshake.put("version", "1.0");
        handshake.putArray("supportedConnectionTypes").add("websocket");

        JsonNode refused = b.send("/handshake", handshake).on("/meta/handshake");
        b.handshake();
        ObjectNode connect = b.connectMessage();
        connect.put("connectionType", "callback-polling");
        JsonNode badConnect = b.send("/connect", connect).on("/meta/connect");

        assertThat(refused.get("successful").asBoolean()).isFalse();
        assertThat(refused.get("error").asText()).isEqualTo("400::Invalid connection type {websocket}");
        assertThat(badConnect.get("error").asText()).isEqualTo("400::Invalid connection type {callback-polling}");
    }

    @Test
    void aClientThatDoesNotReconnectInTimeIsForgotten() {
        emulator.cometd().setReconnectWindow(Duration.ofMillis(200));
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();
        String id = b.clientId();

        await().atMost(Duration.ofSeconds(10)).until(() -> !emulator.cometd().clientIds().contains(id));
        JsonNode connect = b.connect().on("/meta/connect");

        assertThat(connect.get("error").asText()).isEqualTo("403::Unknown client");
        assertThat(connect.get("advice").get("reconnect").asText()).isEqualTo("handshake");
        assertThat(emulator.streams().open()).isEmpty();
    }

    @Test
    void disconnectEndsTheClient() {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();

        JsonNode disconnect = b.send("/disconnect", b.message("/meta/disconnect")).on("/meta/disconnect");

        assertThat(disconnect.get("successful").asBoolean()).isTrue();
        assertThat(disconnect.get("clientId").asText()).isEqualTo(b.clientId());
        assertThat(b.connect().on("/meta/connect").get("error").asText()).isEqualTo("403::Unknown client");
    }

    @Test
    void aDroppedStreamEndsTheHeldConnectWithUnknownClient() throws Exception {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();
        emulator.cometd().setLongPollTimeout(Duration.ofSeconds(30));
        assertThat(emulator.streams().open()).singleElement().satisfies(s -> {
            assertThat(s.transport()).isEqualTo("cometd");
            assertThat(s.channel()).isEqualTo(ACCOUNTS);
        });
        CompletableFuture<RawBayeux.Reply> held = b.connectAsync();
        awaitHeld(b, 1);

        int dropped = emulator.streams().drop("cometd");
        JsonNode connect = held.get(20, TimeUnit.SECONDS).on("/meta/connect");

        assertThat(dropped).isEqualTo(1);
        assertThat(connect.get("error").asText()).isEqualTo("403::Unknown client");
        assertThat(connect.get("advice").get("reconnect").asText()).isEqualTo("handshake");
        assertThat(b.handshake().on("/meta/handshake").get("successful").asBoolean()).isTrue();
    }

    @Test
    void aStalledStreamDeliversNothingUntilTheStallEnds() {
        RawBayeux b = subscribed(ACCOUNTS, -1);
        b.connect();
        create("Account", Map.of("Name", "late"));

        emulator.streams().stall("cometd", Duration.ofMillis(700));
        long start = System.nanoTime();
        RawBayeux.Reply reply = b.connect();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(reply.events()).hasSize(1);
    }

    @Test
    void theConcurrentClientLimitDeniesHandshakes() {
        emulator.cometd().setMaxClients(1);
        bayeux().handshake();

        JsonNode second = bayeux().handshake().on("/meta/handshake");

        assertThat(second.get("successful").asBoolean()).isFalse();
        assertThat(second.get("error").asText()).isEqualTo("403::Organization concurrent user limit exceeded");
    }

    @Test
    void publishingIsDenied() {
        RawBayeux b = bayeux();
        b.handshake();
        ObjectNode publish = b.message(ACCOUNTS);
        publish.putObject("data").put("x", 1);

        assertThat(b.send("", publish).on(ACCOUNTS).get("error").asText()).isEqualTo("403::Publish denied");
    }

    @Test
    void theAdminApiReadsAndChangesTheTimers() {
        Http admin = new Http(emulator.baseUri(), null);
        subscribed(ACCOUNTS, -1);

        JsonNode changed = admin.put("/__emulator/cometd", Http.json(Map.of("longPollMillis", 1500,
                "reconnectWindowMillis", 9000, "maxEventsPerConnect", 50))).json();
        JsonNode status = admin.get("/__emulator/cometd").json();

        assertThat(changed.get("longPollTimeoutMillis").asLong()).isEqualTo(1500);
        assertThat(emulator.cometd().reconnectWindow()).isEqualTo(Duration.ofSeconds(9));
        assertThat(emulator.cometd().maxEventsPerConnect()).isEqualTo(50);
        assertThat(status.get("clients").get(0).get("subscriptions").has(ACCOUNTS)).isTrue();
        assertThat(admin.put("/__emulator/cometd", "{\"longPollMillis\":0}").status()).isEqualTo(400);
    }
}
