package dev.lockstep.emulator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.Http;
import dev.lockstep.emulator.cdc.ChangeEvent;
import dev.lockstep.emulator.cdc.ChangeEventBus;
import dev.lockstep.emulator.cdc.ReplayFrom;
import dev.lockstep.emulator.cdc.StoredEvent;
import dev.lockstep.emulator.demo.DemoData;
import dev.lockstep.emulator.org.Org;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An org saved to a file and restored into a new emulator is the same org to clients and subscribers. */
class StateFileTest {

    private static final String V = "/services/data/v61.0";

    @TempDir
    Path dir;

    private Emulator first;
    private Emulator second;

    @BeforeEach
    void start() {
        first = Emulator.start(EmulatorConfig.defaults());
        DemoData.generate(first.org(), Map.of("Account", 5, "Contact", 8, "Sync_Sample__c", 4), 7L);
    }

    @AfterEach
    void stop() {
        first.close();
        if (second != null) {
            second.close();
        }
    }

    private Emulator restoredCopy() throws Exception {
        Path file = dir.resolve("org.json");
        first.saveState(file);
        second = Emulator.start(EmulatorConfig.defaults());
        second.restoreState(file);
        return second;
    }

    private static String firstId(Emulator emulator, String object) {
        return new Http(emulator).get(V + "/query?q=SELECT+Id+FROM+" + object + "+ORDER+BY+Id+LIMIT+1").json()
                .get("records").get(0).get("Id").asText();
    }

    @Test
    void restoredOrgHasTheSameRecordsRecycleBinAndIdSequences() throws Exception {
        Http http = new Http(first);
        String account = firstId(first, "Account");
        String contact = firstId(first, "Contact");
        assertThat(http.patch(V + "/sobjects/Account/" + account, Http.json(Map.of("Name", "Renamed Ltd"))).status())
                .isEqualTo(204);
        assertThat(http.delete(V + "/sobjects/Contact/" + contact).status()).isEqualTo(204);

        Emulator restored = restoredCopy();

        assertThat(restored.org().save().records()).isEqualTo(first.org().save().records());
        Http again = new Http(restored);
        assertThat(again.get(V + "/sobjects/Account/" + account).json().get("Name").asText()).isEqualTo("Renamed Ltd");
        assertThat(again.get(V + "/sobjects/Contact/" + contact).errorCode()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(again.get(V + "/queryAll?q=SELECT+Id+FROM+Contact+WHERE+IsDeleted+=+true").json()
                .get("records").get(0).get("Id").asText()).isEqualTo(contact);
        String createdThere = again.post(V + "/sobjects/Account", Http.json(Map.of("Name", "New"))).json()
                .get("id").asText();
        String createdHere = http.post(V + "/sobjects/Account", Http.json(Map.of("Name", "New"))).json()
                .get("id").asText();
        assertThat(createdThere).isEqualTo(createdHere);
    }

    @Test
    void subscriberResumesAfterItsReplayIdWithTheSameEvents() throws Exception {
        long beforeUpdate = first.cdc().latestReplayId();
        String account = firstId(first, "Account");
        new Http(first).patch(V + "/sobjects/Account/" + account, Http.json(Map.of("Industry", "Energy")));

        Emulator restored = restoredCopy();

        List<StoredEvent> original = first.cdc().subscribe(ChangeEventBus.ALL_CHANNEL, ReplayFrom.earliest())
                .poll(100_000);
        List<StoredEvent> copy = restored.cdc().subscribe(ChangeEventBus.ALL_CHANNEL, ReplayFrom.earliest())
                .poll(100_000);
        assertThat(copy).hasSameSizeAs(original).isNotEmpty();
        for (int i = 0; i < original.size(); i++) {
            assertThat(comparable(copy.get(i))).isEqualTo(comparable(original.get(i)));
        }
        List<StoredEvent> resumed = restored.cdc().subscribe(ChangeEventBus.ALL_CHANNEL,
                ReplayFrom.after(beforeUpdate)).poll(100);
        assertThat(resumed).singleElement().satisfies(e -> {
            assertThat(e.event().recordIds()).containsExactly(account);
            assertThat(e.event().changedFields()).contains("Industry");
        });
        new Http(restored).post(V + "/sobjects/Account", Http.json(Map.of("Name", "Later")));
        assertThat(restored.cdc().latestReplayId()).isGreaterThan(first.cdc().latestReplayId());
    }

    @Test
    void savedOrgOfAnotherSchemaIsRefusedWithoutChangingAnything() throws Exception {
        Path file = dir.resolve("org.json");
        first.saveState(file);
        Files.writeString(file, Files.readString(file).replace("\"IsDeleted\"", "\"Is_Deleted_Old__c\""));
        second = Emulator.start(EmulatorConfig.defaults());
        Org.SavedOrg before = second.org().save();

        assertThatThrownBy(() -> second.restoreState(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(".Is_Deleted_Old__c, a field this org does not have");
        assertThat(second.org().save()).isEqualTo(before);
    }

    /** An event as plain values: byte arrays as base64, so that equal events compare equal. */
    private static Map<String, Object> comparable(StoredEvent stored) {
        ChangeEvent e = stored.event();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("replayId", stored.replayId());
        values.put("storedAt", stored.storedAtMillis());
        values.put("header", List.of(e.entityName(), e.eventName(), e.recordIds(), e.changeType(), e.changeOrigin(),
                e.transactionKey(), e.sequenceNumber(), e.commitTimestamp(), e.commitNumber(), e.commitUser(),
                e.changedFields(), e.nulledFields(), e.diffFields(), e.schema().id()));
        values.put("fields", plain(e.fields()));
        return values;
    }

    private static Object plain(Object value) {
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k.toString(), plain(v)));
            return copy;
        }
        return value;
    }
}
