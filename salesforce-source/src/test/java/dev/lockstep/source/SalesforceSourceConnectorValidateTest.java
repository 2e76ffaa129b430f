package dev.lockstep.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code validate()} against a live org: field checks, cross-field checks, the login and the objects. */
class SalesforceSourceConnectorValidateTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    private static final String WRONG = "wrong-secret-d41d8cd9";

    private static Map<String, String> clientCredentials(Emulator emulator) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "salesforce-source");
        props.put("connector.class", SalesforceSourceConnector.class.getName());
        props.put("tasks.max", "1");
        props.put("salesforce.login.url", emulator.baseUri().toString());
        props.put("salesforce.auth.flow", "client_credentials");
        props.put("salesforce.client.id", EmulatorConfig.DEFAULT_CLIENT_ID);
        props.put("salesforce.client.secret", EmulatorConfig.DEFAULT_CLIENT_SECRET);
        props.put("object.include.list", "Account,Contact,Sync_Sample__c");
        return props;
    }

    /** The error messages by key, only for keys that have any. */
    private static Map<String, List<String>> errors(Config config) {
        return config.configValues().stream().filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    private static Config validate(Map<String, String> props) {
        return new SalesforceSourceConnector().validate(props);
    }

    @Test
    void aGoodConfigurationHasNoErrors(Emulator emulator) {
        assertThat(errors(validate(clientCredentials(emulator)))).isEmpty();
    }

    @Test
    void everyFlowLogsInWhenItsKeysAreRight(Emulator emulator) {
        Map<String, String> jwt = clientCredentials(emulator);
        jwt.remove("salesforce.client.secret");
        jwt.put("salesforce.auth.flow", "jwt");
        jwt.put("salesforce.username", EmulatorConfig.DEFAULT_USERNAME);
        jwt.put("salesforce.jwt.private.key", emulator.oauth().jwtPrivateKeyPem());
        assertThat(errors(validate(jwt))).isEmpty();

        Map<String, String> password = clientCredentials(emulator);
        password.put("salesforce.auth.flow", "password");
        password.put("salesforce.username", EmulatorConfig.DEFAULT_USERNAME);
        password.put("salesforce.password", EmulatorConfig.DEFAULT_PASSWORD + EmulatorConfig.SECURITY_TOKEN);
        assertThat(errors(validate(password))).isEmpty();

        Map<String, String> refresh = clientCredentials(emulator);
        refresh.put("salesforce.auth.flow", "refresh_token");
        refresh.put("salesforce.refresh.token", emulator.oauth().issueRefreshToken(EmulatorConfig.DEFAULT_USERNAME));
        assertThat(errors(validate(refresh))).isEmpty();
    }

    @Test
    void aWrongClientSecretIsReportedOnTheSecretWithoutShowingIt(Emulator emulator) {
        Map<String, String> props = clientCredentials(emulator);
        props.put("salesforce.client.secret", WRONG);

        Map<String, List<String>> errors = errors(validate(props));

        assertThat(errors).containsOnlyKeys("salesforce.client.secret");
        assertThat(errors.get("salesforce.client.secret")).singleElement().asString()
                .contains("Salesforce refused the consumer secret").contains("invalid_client").doesNotContain(WRONG);
    }

    @Test
    void anUnknownClientIdIsReportedOnTheClientId(Emulator emulator) {
        Map<String, List<String>> errors = errors(validate(withKey(clientCredentials(emulator),
                "salesforce.client.id", "not-a-consumer-key")));

        assertThat(errors).containsOnlyKeys("salesforce.client.id");
        assertThat(errors.get("salesforce.client.id")).singleElement().asString()
                .contains("does not know the consumer key");
    }

    @Test
    void aRefusedCredentialIsReportedOnTheFlowsCredentialKey(Emulator emulator) {
        Map<String, String> password = clientCredentials(emulator);
        password.put("salesforce.auth.flow", "password");
        password.put("salesforce.username", EmulatorConfig.DEFAULT_USERNAME);
        password.put("salesforce.password", WRONG);
        Map<String, List<String>> errors = errors(validate(password));
        assertThat(errors).containsOnlyKeys("salesforce.password");
        assertThat(errors.get("salesforce.password")).singleElement().asString().contains("security token")
                .doesNotContain(WRONG);

        Map<String, String> refresh = clientCredentials(emulator);
        refresh.put("salesforce.auth.flow", "refresh_token");
        refresh.put("salesforce.refresh.token", WRONG);
        assertThat(errors(validate(refresh))).containsOnlyKeys("salesforce.refresh.token");

        Map<String, String> jwt = clientCredentials(emulator);
        jwt.put("salesforce.auth.flow", "jwt");
        jwt.put("salesforce.username", "nobody@lockstep.dev");
        jwt.put("salesforce.jwt.private.key", emulator.oauth().jwtPrivateKeyPem());
        assertThat(errors(validate(jwt))).containsOnlyKeys("salesforce.username");
    }

    @Test
    void unknownObjectsAreNamedOnTheObjectList(Emulator emulator) {
        Map<String, String> props = withKey(clientCredentials(emulator), "object.include.list",
                "Account,Invoice__c,account_history");

        Map<String, List<String>> errors = errors(validate(props));

        assertThat(errors).containsOnlyKeys("object.include.list");
        assertThat(errors.get("object.include.list")).singleElement().asString()
                .contains("The org has no object Invoice__c, account_history").doesNotContain("Account,");
    }

    @Test
    void anUnreachableLoginUrlIsReportedOnTheLoginUrlWithinTheTimeOut(Emulator emulator) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        long start = System.nanoTime();

        Map<String, List<String>> errors = errors(validate(withKey(clientCredentials(emulator),
                "salesforce.login.url", "http://127.0.0.1:" + closedPort)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(errors).containsOnlyKeys("salesforce.login.url");
        assertThat(errors.get("salesforce.login.url")).singleElement().asString()
                .contains("Cannot reach the Salesforce login endpoint").contains("connection was refused");
    }

    @Test
    void aLoginEndpointThatNeverAnswersIsReportedWhenTheTimeOutEnds(Emulator emulator) throws IOException {
        // Accepts connections (the backlog does) but never reads or answers.
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Map<String, String> props = withKey(clientCredentials(emulator), "salesforce.login.url",
                    "http://127.0.0.1:" + silent.getLocalPort());
            long start = System.nanoTime();

            Map<String, List<String>> errors = errors(new SalesforceSourceConnector().validate(props,
                    Duration.ofMillis(500)));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(errors).containsOnlyKeys("salesforce.login.url");
            assertThat(errors.get("salesforce.login.url")).singleElement().asString()
                    .contains("No answer from the Salesforce login endpoint").contains("within 500 ms");
        }
    }

    @Test
    void connectionProblemsSkipTheLoginAndAFieldErrorSkipsTheSourceCrossChecks(Emulator emulator) {
        Map<String, String> props = clientCredentials(emulator);
        props.put("salesforce.auth.flow", "jwt");
        props.put("max.batch.size", "0");
        props.put("field.include.list", "Lead.Company");
        long logins = emulator.counters().get("oauth");

        Map<String, List<String>> errors = errors(validate(props));

        assertThat(emulator.counters().get("oauth")).isEqualTo(logins);
        assertThat(errors).containsOnlyKeys("salesforce.username", "salesforce.jwt.private.key", "max.batch.size");
        assertThat(errors.get("salesforce.username")).singleElement().asString()
                .contains("salesforce.auth.flow=jwt needs salesforce.username");
    }

    @Test
    void sourceCrossFieldProblemsAreAttachedAndTheLoginStillRuns(Emulator emulator) {
        Map<String, String> props = clientCredentials(emulator);
        props.put("field.include.list", "Lead.Company");
        props.put("object.poll.list", "Case");
        props.put("salesforce.client.secret", WRONG);

        assertThat(errors(validate(props))).containsOnlyKeys("field.include.list", "object.poll.list",
                "salesforce.client.secret");
    }

    @Test
    void aMissingObjectListIsReportedAndTheLoginStillChecked(Emulator emulator) {
        Map<String, String> props = clientCredentials(emulator);
        props.remove("object.include.list");
        long logins = emulator.counters().get("oauth");

        Map<String, List<String>> errors = errors(validate(props));

        assertThat(emulator.counters().get("oauth")).isEqualTo(logins + 1);
        assertThat(errors).containsOnlyKeys("object.include.list");
        assertThat(errors.get("object.include.list")).singleElement().asString().contains("Missing required");
    }

    private static Map<String, String> withKey(Map<String, String> props, String key, String value) {
        props.put(key, value);
        return props;
    }
}
