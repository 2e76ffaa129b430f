package dev.lockstep.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.salesforce.client.streaming.ReplayId;
import dev.lockstep.source.offsets.SourceOffsets;
import dev.lockstep.source.offsets.SourceOffsets.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

class SalesforceSourceConnectorTest {

    private static final String ORG = "00D000000000001AAA";

    private static Map<String, String> config(String objects) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "sf-source");
        props.put("salesforce.login.url", "https://example.my.salesforce.com");
        props.put("salesforce.auth.flow", "client_credentials");
        props.put("salesforce.client.id", "id");
        props.put("salesforce.client.secret", "secret");
        props.put("object.include.list", objects);
        props.put("topic.prefix", "sf");
        return props;
    }

    private static List<Map<String, String>> taskConfigs(String objects, int maxTasks) {
        SalesforceSourceConnector connector = new SalesforceSourceConnector();
        connector.start(config(objects));
        return connector.taskConfigs(maxTasks);
    }

    private static List<String> objectsOf(Map<String, String> task) {
        return List.of(task.get(SalesforceSourceTask.OBJECTS_CONFIG).split(","));
    }

    @Test
    void taskConfigsDealObjectsRoundRobinInConfiguredOrder() {
        List<Map<String, String>> tasks = taskConfigs("Account,Contact,Opportunity,Lead,Case", 2);
        assertThat(tasks).hasSize(2);
        assertThat(objectsOf(tasks.get(0))).containsExactly("Account", "Opportunity", "Case");
        assertThat(objectsOf(tasks.get(1))).containsExactly("Contact", "Lead");
        for (int i = 0; i < tasks.size(); i++) {
            Map<String, String> task = tasks.get(i);
            assertThat(task).containsEntry(SalesforceSourceTask.TASK_ID_CONFIG, Integer.toString(i))
                    .containsEntry("topic.prefix", "sf").containsEntry("salesforce.client.id", "id")
                    .containsEntry("object.include.list", "Account,Contact,Opportunity,Lead,Case");
        }
    }

    @Test
    void neverMoreTasksThanObjectsAndEachObjectInExactlyOneTask() {
        List<Map<String, String>> tasks = taskConfigs("Account,Contact,Opportunity", 10);
        assertThat(tasks).hasSize(3);
        List<String> all = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            assertThat(objectsOf(tasks.get(i))).hasSize(1);
            assertThat(tasks.get(i).get(SalesforceSourceTask.TASK_ID_CONFIG)).isEqualTo(Integer.toString(i));
            all.addAll(objectsOf(tasks.get(i)));
        }
        assertThat(all).containsExactly("Account", "Contact", "Opportunity");

        List<Map<String, String>> one = taskConfigs("Account,Contact,Opportunity", 1);
        assertThat(one).hasSize(1);
        assertThat(objectsOf(one.get(0))).containsExactly("Account", "Contact", "Opportunity");
    }

    @Test
    void assignObjectsIsTheTaskAssignmentTheCommandLinePlansWith() {
        assertThat(SalesforceSourceConnector.assignObjects(List.of("Account", "Contact", "Opportunity"), 2))
                .containsExactly(List.of("Account", "Opportunity"), List.of("Contact"));
        assertThat(SalesforceSourceConnector.assignObjects(List.of("Account"), 4)).containsExactly(List.of("Account"));
        List<Map<String, String>> tasks = taskConfigs("Account,Contact,Opportunity", 2);
        assertThat(tasks).extracting(SalesforceSourceConnectorTest::objectsOf).containsExactlyElementsOf(
                SalesforceSourceConnector.assignObjects(List.of("Account", "Contact", "Opportunity"), 2));
    }

    @Test
    void exactlyOnceIsSupported() {
        assertThat(new SalesforceSourceConnector().exactlyOnceSupport(config("Account")))
                .isEqualTo(ExactlyOnceSupport.SUPPORTED);
    }

    private static Map<Map<String, ?>, Map<String, ?>> offsets(Map<String, ?> partition, Map<String, ?> offset) {
        Map<Map<String, ?>, Map<String, ?>> m = new LinkedHashMap<>();
        m.put(partition, offset);
        return m;
    }

    @Test
    void alterOffsetsAcceptsValidOffsetsAndResets() {
        SalesforceSourceConnector connector = new SalesforceSourceConnector();
        Map<Map<String, ?>, Map<String, ?>> offsets = new LinkedHashMap<>();
        offsets.put(SourceOffsets.partition(ORG, "Account"),
                Position.stream(ReplayId.ofLong(42), Instant.ofEpochMilli(1_000)).toMap());
        offsets.put(SourceOffsets.partition(ORG, "Contact"),
                Position.resync(Instant.ofEpochMilli(5_000), "003000000000001AAA", null, null).toMap());
        offsets.put(SourceOffsets.partition(ORG, "Opportunity"), null);
        assertThat(connector.alterOffsets(config("Account,Contact,Opportunity"), offsets)).isTrue();
        // A hand-written body as the REST API passes it on.
        Map<String, Object> handWritten = Map.of("phase", "stream", "replay_id", "AAAAAAAAMDk=");
        assertThat(connector.alterOffsets(config("Account"), offsets(Map.of("v", 1L, "org", ORG,
                "object", "Account"), handWritten))).isTrue();
    }

    @Test
    void alterOffsetsRefusesAnObjectTheConnectorDoesNotSync() {
        SalesforceSourceConnector connector = new SalesforceSourceConnector();
        assertThatThrownBy(() -> connector.alterOffsets(config("Account"), offsets(
                SourceOffsets.partition(ORG, "Lead"), Position.stream(ReplayId.ofLong(1), null).toMap())))
                .isInstanceOf(ConnectException.class).hasMessageContaining("Lead")
                .hasMessageContaining("object.include.list");
        // Even a reset of it.
        assertThatThrownBy(() -> connector.alterOffsets(config("Account"), offsets(
                SourceOffsets.partition(ORG, "Lead"), null)))
                .isInstanceOf(ConnectException.class).hasMessageContaining("Lead");
    }

    @Test
    void alterOffsetsRefusesABadPartition() {
        SalesforceSourceConnector connector = new SalesforceSourceConnector();
        assertThatThrownBy(() -> connector.alterOffsets(config("Account"), offsets(
                Map.of("v", 1, "org", "not-an-org", "object", "Account"), null)))
                .isInstanceOf(ConnectException.class).hasMessageContaining("'org'");
        assertThatThrownBy(() -> connector.alterOffsets(config("Account"), offsets(
                Map.of("object", "Account"), null)))
                .isInstanceOf(ConnectException.class).hasMessageContaining("'v'");
    }

    @Test
    void alterOffsetsRefusesAnOffsetNoTaskCouldResumeFrom() {
        SalesforceSourceConnector connector = new SalesforceSourceConnector();
        Map<String, ?> account = SourceOffsets.partition(ORG, "Account");
        assertThatThrownBy(() -> connector.alterOffsets(config("Account"), offsets(account,
                Map.of("phase", "rewind"))))
                .isInstanceOf(ConnectException.class).hasMessageContaining("phase").hasMessageContaining("rewind");
        assertThatThrownBy(() -> connector.alterOffsets(config("Account"), offsets(account,
                Map.of("phase", "stream", "replay_id", "??"))))
                .isInstanceOf(ConnectException.class).hasMessageContaining("'replay_id'");
        assertThatThrownBy(() -> connector.alterOffsets(config("Account"), offsets(account,
                Map.of("phase", "stream"))))
                .isInstanceOf(ConnectException.class).hasMessageContaining("'replay_id'");
        assertThatThrownBy(() -> connector.alterOffsets(config("Account"), offsets(account,
                Map.of("phase", "poll", "systemmodstamp", -1L))))
                .isInstanceOf(ConnectException.class).hasMessageContaining("'systemmodstamp'");
    }
}
