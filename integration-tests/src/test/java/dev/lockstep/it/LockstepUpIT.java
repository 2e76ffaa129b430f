package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.it.harness.Eventually;
import dev.lockstep.it.harness.LockstepUp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lockstep up} as a user runs it, a process of its own: it starts, loads the demo org into Postgres and says
 * it is syncing; a change made through the emulator's REST API with the token it printed reaches the table it
 * printed; SIGTERM (what Ctrl-C does) stops it with exit code 0; a second run on the same state directory resumes
 * from the saved offsets (the source stays in its streaming phase, nothing is read again, the earlier change is still
 * there) and syncs a new change.
 */
class LockstepUpIT {

    private static final int DEMO_RECORDS = 20;
    private static final Duration START = Duration.ofMinutes(3);
    private static final Duration SYNC = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @Test
    void syncsAChangeStopsCleanlyAndResumesFromItsStateDirectory() throws Exception {
        int connectPort = freePort();
        String[] args = {"--state-dir", work.resolve("state").toString(), "--connect-port",
            Integer.toString(connectPort), "--demo-records", Integer.toString(DEMO_RECORDS)};
        String account;
        String replayId;
        long accountEvents;
        try (LockstepUp up = LockstepUp.start(work, args)) {
            up.awaitLine("lockstep up: syncing", START);
            assertThat(up.output()).contains("(new)").contains("a new demo org");
            Stack stack = Stack.of(up);
            assertThat(stack.connect).isEqualTo("http://127.0.0.1:" + connectPort);
            assertThat(count(stack, "salesforce.account")).isEqualTo(DEMO_RECORDS);
            account = first(stack, "salesforce.account");

            rename(stack, account, "Renamed in Salesforce");
            Eventually.until("the new name in salesforce.account", SYNC,
                    () -> name(stack, account), "Renamed in Salesforce"::equals);
            replayId = Eventually.until("the source to commit its stream position for Account", SYNC,
                    () -> offset(stack, "Account"), o -> o != null && "stream".equals(o.path("phase").asText()))
                    .path("replay_id").asText();
            accountEvents = endOffset(stack, "lockstep.Account");

            assertThat(up.stop(STOP)).as(up.output()).isZero();
            assertThat(up.output()).contains("stopped Kafka Connect").contains("lockstep up: stopped cleanly");
        }

        try (LockstepUp up = LockstepUp.start(work, args)) {
            up.awaitLine("lockstep up: syncing", START);
            assertThat(up.output()).contains("(resuming the previous run)")
                    .contains("the org saved in")
                    .contains("connector lockstep-salesforce: unchanged");
            Stack stack = Stack.of(up);
            JsonNode resumed = offset(stack, "Account");
            assertThat(resumed.path("phase").asText()).isEqualTo("stream");
            assertThat(resumed.path("replay_id").asText()).isEqualTo(replayId);
            assertThat(name(stack, account)).isEqualTo("Renamed in Salesforce");
            assertThat(count(stack, "salesforce.account")).isEqualTo(DEMO_RECORDS);
            assertThat(salesforceName(stack, account)).as("the emulator's restored org")
                    .isEqualTo("Renamed in Salesforce");

            rename(stack, account, "Renamed again");
            Eventually.until("the second name in salesforce.account", SYNC,
                    () -> name(stack, account), "Renamed again"::equals);
            // The change added its event; a snapshot of the org again would have added one per Account.
            assertThat(endOffset(stack, "lockstep.Account")).isGreaterThan(accountEvents)
                    .isLessThan(accountEvents + DEMO_RECORDS);

            assertThat(up.stop(STOP)).as(up.output()).isZero();
        }
    }

    /** Where the running stack said it is. */
    private record Stack(String jdbcUrl, String connect, String kafka, String salesforce, String token) {

        static Stack of(LockstepUp up) {
            return new Stack(up.find("^  JDBC:\\s+(jdbc:postgresql://\\S+)"), up.find("^  Connect:\\s+(http://\\S+)"),
                    up.find("^  Kafka:\\s+(\\S+)"), up.find("^  Salesforce:\\s+(http://\\S+)"),
                    up.find("^  Token:\\s+(\\S+)"));
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        }
    }

    private static Connection connect(Stack stack) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        return DriverManager.getConnection(stack.jdbcUrl(), props);
    }

    private static long count(Stack stack, String table) throws SQLException {
        try (Connection c = connect(stack); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String first(Stack stack, String table) throws SQLException {
        try (Connection c = connect(stack); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT sfid FROM " + table + " ORDER BY sfid LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String name(Stack stack, String sfid) throws SQLException {
        try (Connection c = connect(stack); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT name FROM salesforce.account WHERE sfid = '" + sfid + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Changes an Account's Name through the emulator's REST API, as the printed curl example does. */
    private static void rename(Stack stack, String sfid, String name) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(stack.salesforce() + "/services/data/v61.0/sobjects/Account/" + sfid))
                .header("Authorization", "Bearer " + stack.token())
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("Name", name))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private static String salesforceName(Stack stack, String sfid) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create(stack.salesforce() + "/services/data/v61.0/sobjects/Account/" + sfid))
                .header("Authorization", "Bearer " + stack.token()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("Name").asText();
    }

    /** The Salesforce source's committed offset for an object, from the Connect REST API. */
    private static JsonNode offset(Stack stack, String object) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(stack.connect() + "/connectors/lockstep-salesforce/offsets")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode entry : JSON.readTree(response.body()).path("offsets")) {
            if (object.equals(entry.path("partition").path("object").asText())) {
                return entry.path("offset");
            }
        }
        return null;
    }

    private static long endOffset(Stack stack, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka()))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
        }
    }
}
