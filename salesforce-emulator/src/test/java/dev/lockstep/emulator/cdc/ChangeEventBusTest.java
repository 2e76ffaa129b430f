package dev.lockstep.emulator.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.Http;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Change events from committed writes: header, fields, channels, replay, retention, selection, gaps, schemas. */
class ChangeEventBusTest {

    private static final String V = "/services/data/v61.0";
    private Emulator emulator;
    private Http http;
    private ChangeEventBus bus;

    @BeforeEach
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults());
        http = new Http(emulator);
        bus = emulator.cdc();
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private String create(String object, Map<String, Object> fields) {
        Http.Reply reply = http.send(http.builder(V + "/sobjects/" + object)
                .header("Content-Type", "application/json").header("Sforce-Call-Options", "client=my-sync")
                .POST(HttpRequest.BodyPublishers.ofString(Http.json(fields))));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    private List<ChangeEvent> all(String channel) {
        return bus.subscribe(channel, ReplayFrom.earliest()).poll(10_000).stream().map(StoredEvent::event).toList();
    }

    @Test
    void createCarriesTheHeaderAndEveryPopulatedField() {
        String id = create("Account", Map.of("Name", "Acme", "BillingCity", "Oakland", "Industry", "Energy"));

        ChangeEvent event = all("/data/AccountChangeEvent").get(0);
        assertThat(event.entityName()).isEqualTo("Account");
        assertThat(event.eventName()).isEqualTo("AccountChangeEvent");
        assertThat(event.changeType()).isEqualTo("CREATE");
        assertThat(event.recordIds()).containsExactly(id);
        assertThat(event.changeOrigin()).isEqualTo("com/salesforce/api/rest/61.0;client=my-sync");
        assertThat(event.sequenceNumber()).isEqualTo(1);
        assertThat(event.commitUser()).isEqualTo(emulator.adminUserId());
        assertThat(event.transactionKey()).isNotBlank();
        assertThat(event.changedFields()).isEmpty();
        assertThat(event.fields()).containsEntry("Name", "Acme").containsEntry("Industry", "Energy")
                .doesNotContainKeys("IsDeleted", "SystemModstamp", "BillingCity");
        assertThat(event.fields().get("BillingAddress")).isEqualTo(Map.of("City", "Oakland"));
        assertThat(event.fields().get("CreatedDate")).isInstanceOf(Long.class);
        assertThat(event.schema().id()).hasSize(22);
        assertThat(all(ChangeEventBus.ALL_CHANNEL)).extracting(ChangeEvent::recordIds).contains(List.of(id));
    }

    @Test
    void updateNamesChangedAndNulledFieldsWithCompoundPaths() {
        String id = create("Account", Map.of("Name", "Acme", "Phone", "1", "BillingCity", "Oakland"));
        emulator.clock().advance(Duration.ofSeconds(1));

        http.patch(V + "/sobjects/Account/" + id, Http.json(Map.of("BillingCity", "Paris", "Phone", "")));
        http.patch(V + "/sobjects/Account/" + id, "{\"Phone\":null}");

        List<ChangeEvent> events = all("/data/AccountChangeEvent");
        assertThat(events).extracting(ChangeEvent::changeType).containsExactly("CREATE", "UPDATE", "UPDATE");
        assertThat(events.get(1).changedFields()).contains("BillingAddress.City", "Phone", "LastModifiedDate")
                .doesNotContain("SystemModstamp");
        assertThat(events.get(2).nulledFields()).containsExactly("Phone");
    }

    @Test
    void personNamesAndCustomCompoundsAreNestedAndFormulasLeftOut() {
        create("Contact", Map.of("FirstName", "Ada", "LastName", "Lovelace"));
        create("Sync_Sample__c", Map.of("Name", "s", "Amount__c", 2, "Quantity__c", 3,
                "Location__Latitude__s", 1.5, "Location__Longitude__s", 2.5));

        ChangeEvent contact = all("/data/ContactChangeEvent").get(0);
        assertThat(contact.fields().get("Name")).isEqualTo(Map.of("FirstName", "Ada", "LastName", "Lovelace"));
        assertThat(contact.schema().json()).containsSubsequence("\"Salutation\"", "\"FirstName\"", "\"LastName\"");
        assertThat(contact.fields()).doesNotContainKeys("FirstName", "LastName");
        ChangeEvent sample = all("/data/Sync_Sample__ChangeEvent").get(0);
        assertThat(sample.eventName()).isEqualTo("Sync_Sample__ChangeEvent");
        assertThat(sample.fields()).doesNotContainKey("Total__c");
        assertThat(((Map<?, ?>) sample.fields().get("Location__c")).keySet().stream().map(Object::toString))
                .containsExactlyInAnyOrder("Latitude", "Longitude");
        assertThat(sample.schema().json()).contains("\"name\":\"ChangeEventHeader\"")
                .contains("\"namespace\":\"com.sforce.eventbus\"");
    }

    @Test
    void oneRequestIsOneTransactionWithSequenceNumbers() {
        http.post(V + "/composite/sobjects", Http.json(Map.of("records", List.of(
                Map.of("attributes", Map.of("type", "Account"), "Name", "A"),
                Map.of("attributes", Map.of("type", "Contact"), "LastName", "B"),
                Map.of("attributes", Map.of("type", "Account"), "Name", "C")))));

        List<ChangeEvent> events = all(ChangeEventBus.ALL_CHANNEL);
        assertThat(events).extracting(ChangeEvent::transactionKey).containsOnly(events.get(0).transactionKey());
        assertThat(events).extracting(ChangeEvent::sequenceNumber).containsExactly(1, 2, 3);
        assertThat(events).extracting(ChangeEvent::commitNumber).containsOnly(events.get(0).commitNumber());
    }

    @Test
    void deleteAndUndeleteBecomeEvents() {
        String id = create("Lead", Map.of("LastName", "L", "Company", "Co"));
        http.delete(V + "/sobjects/Lead/" + id);
        new Http(emulator.baseUri(), null).post("/__emulator/undelete", Http.json(Map.of("ids", List.of(id))));

        assertThat(all("/data/LeadChangeEvent")).extracting(ChangeEvent::changeType)
                .containsExactly("CREATE", "DELETE", "UNDELETE");
    }

    @Test
    void replayFromLatestEarliestAndAfterAnId() {
        create("Account", Map.of("Name", "one"));
        ChangeEventBus.Subscription latest = bus.subscribe("/data/AccountChangeEvent", ReplayFrom.latest());
        create("Account", Map.of("Name", "two"));
        create("Account", Map.of("Name", "three"));

        assertThat(latest.poll(10)).extracting(e -> e.event().fields().get("Name")).containsExactly("two", "three");
        List<StoredEvent> everything = bus.subscribe("/data/AccountChangeEvent", ReplayFrom.earliest()).poll(10);
        assertThat(everything).hasSize(3);
        assertThat(everything.get(1).replayId()).isGreaterThan(everything.get(0).replayId());
        assertThat(bus.subscribe("/data/AccountChangeEvent", ReplayFrom.after(everything.get(0).replayId())).poll(10))
                .extracting(e -> e.event().fields().get("Name")).containsExactly("two", "three");
        assertThat(bus.subscribe("/data/AccountChangeEvent", ReplayFrom.after(everything.get(2).replayId())).poll(10))
                .isEmpty();
    }

    @Test
    void pollHonoursItsLimitAndKeepsItsPlace() {
        for (int i = 0; i < 5; i++) {
            create("Account", Map.of("Name", "n" + i));
        }
        ChangeEventBus.Subscription s = bus.subscribe("/data/AccountChangeEvent", ReplayFrom.earliest());

        assertThat(s.poll(2)).hasSize(2);
        assertThat(s.poll(2)).hasSize(2);
        assertThat(s.poll(2)).hasSize(1);
        assertThat(s.poll(2)).isEmpty();
    }

    @Test
    void unknownOrExpiredReplayIdsAreRefused() {
        create("Account", Map.of("Name", "old"));
        long old = bus.latestReplayId();

        assertThatThrownBy(() -> bus.subscribe("/data/AccountChangeEvent", ReplayFrom.after(old + 1_000)))
                .isInstanceOf(InvalidReplayIdException.class).hasMessageContaining("{" + (old + 1_000) + "}");
        emulator.clock().advance(Duration.ofHours(73));
        http = new Http(emulator);
        create("Account", Map.of("Name", "new"));

        assertThatThrownBy(() -> bus.subscribe("/data/AccountChangeEvent", ReplayFrom.after(old - 1)))
                .isInstanceOf(InvalidReplayIdException.class);
        assertThat(bus.subscribe("/data/AccountChangeEvent", ReplayFrom.earliest()).poll(10))
                .extracting(e -> e.event().fields().get("Name")).containsExactly("new");
    }

    @Test
    void onlySelectedEntitiesHaveChannelsAndEvents() {
        bus.select(Set.of("Contact"));
        create("Account", Map.of("Name", "ignored"));
        create("Contact", Map.of("LastName", "kept"));

        assertThatThrownBy(() -> bus.subscribe("/data/AccountChangeEvent", ReplayFrom.earliest()))
                .isInstanceOf(ChannelNotFoundException.class).hasMessageContaining("/data/AccountChangeEvent");
        assertThat(all(ChangeEventBus.ALL_CHANNEL)).extracting(ChangeEvent::entityName).containsExactly("Contact");
        assertThatThrownBy(() -> bus.subscribe("/data/Nope__chn", ReplayFrom.latest()))
                .isInstanceOf(ChannelNotFoundException.class);
    }

    @Test
    void customChannelsCarryTheirEntities() {
        String channel = bus.addCustomChannel("Sales__chn", Set.of("Opportunity", "Account"));
        create("Account", Map.of("Name", "a"));
        create("Contact", Map.of("LastName", "c"));

        assertThat(all(channel)).extracting(ChangeEvent::entityName).containsExactly("Account");
    }

    @Test
    void gapAndOverflowEventsCanBeInjected() {
        String id = create("Account", Map.of("Name", "a"));
        Http admin = new Http(emulator.baseUri(), null);

        admin.post("/__emulator/cdc/gap", Http.json(Map.of("entity", "Account", "changeType", "GAP_UPDATE",
                "recordIds", List.of(id))));
        admin.post("/__emulator/cdc/overflow", Http.json(Map.of("entity", "Account")));

        List<ChangeEvent> events = all("/data/AccountChangeEvent");
        assertThat(events.get(1).changeType()).isEqualTo("GAP_UPDATE");
        assertThat(events.get(1).recordIds()).containsExactly(id);
        assertThat(events.get(1).fields()).isEmpty();
        assertThat(events.get(2).changeType()).isEqualTo("GAP_OVERFLOW");
        assertThat(events.get(2).recordIds()).isEmpty();
        assertThat(admin.post("/__emulator/cdc/gap", Http.json(Map.of("entity", "Account", "changeType", "UPDATE")))
                .status()).isEqualTo(400);
    }

    @Test
    void aFieldChangeGivesANewSchemaId() {
        create("Product2", Map.of("Name", "before"));
        String before = bus.schemaOf("Product2").id();
        new Http(emulator.baseUri(), null).post("/__emulator/schema/Product2/fields",
                Http.json(Map.of("name", "Color__c", "type", "string", "length", 20)));
        create("Product2", Map.of("Name", "after", "Color__c", "red"));

        List<ChangeEvent> events = all("/data/Product2ChangeEvent");
        assertThat(events.get(0).schema().id()).isEqualTo(before);
        assertThat(events.get(1).schema().id()).isNotEqualTo(before);
        assertThat(events.get(1).fields()).containsEntry("Color__c", "red");
        assertThat(bus.schemas().byId(before)).isPresent();
    }

    @Test
    void awaitWakesUpWhenAnEventArrives() throws Exception {
        ChangeEventBus.Subscription s = bus.subscribe("/data/AccountChangeEvent", ReplayFrom.latest());
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return s.await(Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                return false;
            }
        });

        create("Account", Map.of("Name", "wake"));

        assertThat(waiting.get(20, TimeUnit.SECONDS)).isTrue();
        assertThat(s.await(Duration.ofMillis(10))).as("nothing new for a Contact channel").isTrue();
        assertThat(bus.subscribe("/data/ContactChangeEvent", ReplayFrom.latest()).await(Duration.ofMillis(50)))
                .isFalse();
    }

    @Test
    void adminStatusListsChannelsAndRetention() {
        create("Account", Map.of("Name", "a"));
        Http admin = new Http(emulator.baseUri(), null);

        admin.put("/__emulator/cdc/retention", Http.json(Map.of("hours", 24)));
        var status = admin.get("/__emulator/cdc").json();

        assertThat(status.get("retentionMillis").asLong()).isEqualTo(Duration.ofHours(24).toMillis());
        assertThat(status.get("channels").toString()).contains("/data/ChangeEvents", "/data/AccountChangeEvent");
        assertThat(status.get("events").asInt()).isEqualTo(1);
    }

    @Test
    void commitNumbersRiseInReplayOrderWhileGapsAreInjectedDuringWrites() throws Exception {
        var org = emulator.org();
        var context = dev.lockstep.emulator.org.WriteContext.system(emulator.adminUserId());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 3_000; i++) {
                int n = i;
                org.write(context, txn -> txn.create("Account", Map.of("Name", "A" + n)));
            }
        });
        CompletableFuture<Void> gaps = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 3_000; i++) {
                bus.injectOverflow("Account");
            }
        });
        writer.get(60, TimeUnit.SECONDS);
        gaps.get(60, TimeUnit.SECONDS);

        List<ChangeEvent> events = all("/data/AccountChangeEvent");
        assertThat(events).hasSize(6_000);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).commitNumber()).as("event %d", i)
                    .isGreaterThan(events.get(i - 1).commitNumber());
        }
    }
}
