package dev.lockstep.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.Http;
import dev.lockstep.emulator.Http.Reply;
import dev.lockstep.emulator.junit.EmulatorExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** sObject Collections: per-record results, allOrNone, upsert created flags, limits. */
class CollectionsApiTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    private static final String PATH = "/services/data/v61.0/composite/sobjects";

    private static Map<String, Object> account(String name) {
        return Map.of("attributes", Map.of("type", "Account"), "Name", name);
    }

    private static Map<String, Object> body(boolean allOrNone, List<?> records) {
        return Map.of("allOrNone", allOrNone, "records", records);
    }

    @Test
    void createReportsEachRecordAndKeepsTheGoodOnesWithoutAllOrNone(Emulator emulator) {
        Http http = new Http(emulator);
        int before = emulator.org().count("Account", false);

        Reply reply = http.post(PATH, Http.json(body(false, List.of(account("One"),
                Map.of("attributes", Map.of("type", "Account")), account("Three")))));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode results = reply.json();
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(results.get(0).get("id").asText()).startsWith("001");
        assertThat(results.get(1).get("success").asBoolean()).isFalse();
        assertThat(results.get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(results.get(1).get("errors").get(0).get("fields").get(0).asText()).isEqualTo("Name");
        assertThat(results.get(2).get("success").asBoolean()).isTrue();
        assertThat(emulator.org().count("Account", false)).isEqualTo(before + 2);
    }

    @Test
    void allOrNoneRollsEveryRecordBack(Emulator emulator) {
        Http http = new Http(emulator);
        int before = emulator.org().count("Account", false);

        JsonNode results = http.post(PATH, Http.json(body(true, List.of(account("A"),
                Map.of("attributes", Map.of("type", "Account")))))).json();

        assertThat(results.get(0).get("success").asBoolean()).isFalse();
        assertThat(results.get(0).has("id")).isFalse();
        assertThat(results.get(0).get("errors").get(0).get("statusCode").asText())
                .isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(results.get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(emulator.org().count("Account", false)).isEqualTo(before);
    }

    @Test
    void updateUpsertRetrieveAndDeleteWorkOnBatches(Emulator emulator) {
        Http http = new Http(emulator);
        JsonNode created = http.post(PATH, Http.json(body(false, List.of(account("U1"), account("U2"))))).json();
        String id1 = created.get(0).get("id").asText();
        String id2 = created.get(1).get("id").asText();

        JsonNode updated = http.patch(PATH, Http.json(body(false, List.of(
                Map.of("attributes", Map.of("type", "Account"), "id", id1, "Name", "U1b"),
                Map.of("attributes", Map.of("type", "Account"), "id", id2, "Name", "x".repeat(300)))))).json();
        assertThat(updated.get(0).get("success").asBoolean()).isTrue();
        assertThat(updated.get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("STRING_TOO_LONG");

        JsonNode upserted = http.patch(PATH + "/Account/External_Id__c", Http.json(body(false, List.of(
                Map.of("attributes", Map.of("type", "Account"), "External_Id__c", "C-1", "Name", "New"),
                Map.of("attributes", Map.of("type", "Account"), "External_Id__c", "C-1", "Name", "Again"))))).json();
        assertThat(upserted.get(0).get("created").asBoolean()).isTrue();
        assertThat(upserted.get(1).get("created").asBoolean()).isFalse();
        assertThat(upserted.get(1).get("id").asText()).isEqualTo(upserted.get(0).get("id").asText());

        JsonNode retrieved = http.get(PATH + "/Account?ids=" + id1 + "," + id2 + ",001000000000000AAA&fields=Id,Name")
                .json();
        assertThat(retrieved.get(0).get("Name").asText()).isEqualTo("U1b");
        assertThat(retrieved.get(1).get("Name").asText()).isEqualTo("U2");
        assertThat(retrieved.get(2).isNull()).isTrue();

        JsonNode deleted = http.delete(PATH + "?ids=" + id1 + "," + id2 + "&allOrNone=false").json();
        assertThat(deleted).allSatisfy(r -> assertThat(r.get("success").asBoolean()).isTrue());
        JsonNode again = http.delete(PATH + "?ids=" + id1).json();
        assertThat(again.get(0).get("errors").get(0).get("statusCode").asText()).isEqualTo("ENTITY_IS_DELETED");
    }

    @Test
    void moreThan200RecordsOrAMissingTypeFailTheRequest(Emulator emulator) {
        Http http = new Http(emulator);
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            records.add(account("n" + i));
        }

        assertThat(http.post(PATH, Http.json(body(false, records))).errorCode()).isEqualTo("EXCEEDED_ID_LIMIT");
        assertThat(http.post(PATH, Http.json(body(false, List.of(Map.of("Name", "no type"))))).errorCode())
                .isEqualTo("INVALID_TYPE");
    }

    @Test
    void rowLockFaultRejectsOnlyTheRecordItHits(Emulator emulator) {
        Http http = new Http(emulator);
        emulator.faults().lockRows(1);

        JsonNode results = http.post(PATH, Http.json(body(false, List.of(account("L1"), account("L2"))))).json();

        assertThat(results.get(0).get("errors").get(0).get("statusCode").asText()).isEqualTo("UNABLE_TO_LOCK_ROW");
        assertThat(results.get(1).get("success").asBoolean()).isTrue();
    }
}
