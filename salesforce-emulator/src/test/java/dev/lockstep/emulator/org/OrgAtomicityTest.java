package dev.lockstep.emulator.org;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operations are all or nothing inside a transaction that goes on; committed work survives a broken listener. */
class OrgAtomicityTest {

    private static final String SYSTEM = "{\"name\":\"Id\",\"type\":\"id\",\"length\":18,\"nillable\":false,"
            + "\"createable\":false,\"updateable\":false,\"defaultedOnCreate\":true}";

    private static String detail(String name, String prefix, boolean deletable) {
        return "{\"name\":\"" + name + "\",\"keyPrefix\":\"" + prefix + "\",\"deletable\":" + deletable
                + ",\"fields\":[" + SYSTEM + ",{\"name\":\"Parent__c\",\"type\":\"reference\",\"length\":18,"
                + "\"nillable\":false,\"createable\":true,\"updateable\":false,\"referenceTo\":[\"Parent__c\"],"
                + "\"relationshipName\":\"Parent__r\"}]}";
    }

    private Org org;
    private final WriteContext context = WriteContext.system("005000000000001AAA");

    @BeforeEach
    void org(@TempDir Path fixtures) throws Exception {
        Files.writeString(fixtures.resolve("Parent__c.json"), "{\"name\":\"Parent__c\",\"keyPrefix\":\"a10\","
                + "\"fields\":[" + SYSTEM + ",{\"name\":\"Name\",\"type\":\"string\",\"length\":80}]}");
        // Two detail objects: the cascade deletes A's records first, then fails on B, which cannot be deleted.
        // Nothing of the delete may stay: not the A record it already took along.
        Files.writeString(fixtures.resolve("A_Child__c.json"), detail("A_Child__c", "a11", true));
        Files.writeString(fixtures.resolve("B_Child__c.json"), detail("B_Child__c", "a12", false));
        org = new Org(Schema.fromDirectory(fixtures), new OrgClock());
    }

    @Test
    void aCascadeThatFailsHalfwayLeavesNothingAndTheTransactionGoesOn() {
        String[] ids = org.write(context, txn -> {
            String parent = txn.create("Parent__c", Map.of("Name", "p"));
            String a = txn.create("A_Child__c", Map.of("Parent__c", parent));
            String b = txn.create("B_Child__c", Map.of("Parent__c", parent));
            return new String[] {parent, a, b};
        });
        List<Change> committed = new ArrayList<>();
        org.addListener((ctx, key, changes) -> committed.addAll(changes));

        String other = org.write(context, txn -> {
            assertThatThrownBy(() -> txn.delete(ids[0])).isInstanceOf(RecordException.class);
            return txn.create("Parent__c", Map.of("Name", "after the failure"));
        });

        assertThat((boolean) org.read(o -> o.view(ids[0]).orElseThrow().isDeleted())).isFalse();
        assertThat((boolean) org.read(o -> o.view(ids[1]).orElseThrow().isDeleted())).as("A, taken along").isFalse();
        assertThat((boolean) org.read(o -> o.view(ids[2]).orElseThrow().isDeleted())).isFalse();
        assertThat(committed).extracting(Change::recordId).containsExactly(other);
        assertThat(committed).extracting(Change::type).containsExactly(Change.Type.CREATE);
    }

    @Test
    void aBrokenListenerNeitherFailsTheWriteNorStarvesTheOthers() {
        List<Change> seen = new ArrayList<>();
        org.addListener((ctx, key, changes) -> {
            throw new IllegalStateException("broken listener");
        });
        org.addListener((ctx, key, changes) -> seen.addAll(changes));

        String id = org.write(context, txn -> txn.create("Parent__c", Map.of("Name", "p")));

        assertThat(seen).extracting(Change::recordId).containsExactly(id);
        assertThat(org.count("Parent__c", false)).isEqualTo(1);
    }
}
