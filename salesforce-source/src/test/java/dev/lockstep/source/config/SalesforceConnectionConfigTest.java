package dev.lockstep.source.config;

import static dev.lockstep.source.config.ConfigFixtures.flow;
import static dev.lockstep.source.config.ConfigFixtures.minimal;
import static dev.lockstep.source.config.ConfigFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The shared "Salesforce connection" group: defaults, validators, each flow's required keys, the client config. */
class SalesforceConnectionConfigTest {

    private static List<ConfigProblem> problems(Map<String, String> props) {
        return SalesforceConnectionConfig.problems(new AbstractConfig(SalesforceConnectionConfig.configDef(), props,
                false));
    }

    @Test
    void defaultsMakeTheDocumentedClientConfig() {
        Map<String, String> props = minimal();
        props.remove("salesforce.auth.flow");
        props.put("salesforce.login.url", "https://login.salesforce.com");
        props.put("salesforce.username", "integration@acme.example");
        props.put("salesforce.jwt.private.key", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----");

        SalesforceConnectionConfig connection = SalesforceConnectionConfig.parse(props);
        SalesforceClient.Config client = connection.clientConfig();

        assertThat(connection.authFlow()).isEqualTo(AuthFlow.JWT);
        assertThat(connection.loginUrl().toString()).isEqualTo("https://login.salesforce.com");
        assertThat(connection.apiVersion()).isEqualTo("61.0");
        assertThat(connection.pubsubEndpoint()).isEqualTo("api.pubsub.salesforce.com:7443");
        assertThat(client.credentials()).isInstanceOf(Credentials.JwtBearer.class);
        assertThat(client.apiVersion()).isEqualTo("61.0");
        assertThat(client.callOptionsClient()).isNull();
        assertThat(client.retry()).isEqualTo(new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(60)));
        assertThat(client.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(client.apiBudgetReserve()).isEqualTo(0.2);
        assertThat(client.maxConcurrentCalls()).isEqualTo(4);
        assertThat(client.pubsubTarget()).isEqualTo("api.pubsub.salesforce.com:7443");
        assertThat(client.pubsubTrustCertificate()).isNull();
        assertThat(client.pubsubPlaintext()).isFalse();
        assertThat(connection.credentialKey()).isEqualTo("salesforce.jwt.private.key");
    }

    @Test
    void eachFlowBuildsItsCredentials() {
        Credentials jwt = SalesforceConnectionConfig.parse(with(flow("jwt"), "salesforce.jwt.audience",
                "https://test.salesforce.com")).credentials();
        assertThat(jwt).isEqualTo(new Credentials.JwtBearer(java.net.URI.create("https://login.salesforce.com"),
                "3MVG9-consumer-key", "integration@acme.example",
                "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----", "https://test.salesforce.com"));

        assertThat(SalesforceConnectionConfig.parse(flow("client_credentials")).credentials()).isEqualTo(
                new Credentials.ClientCredentials(java.net.URI.create(ConfigFixtures.MY_DOMAIN), "3MVG9-consumer-key",
                        "consumer-secret-1"));
        assertThat(SalesforceConnectionConfig.parse(flow("refresh_token")).credentials()).isEqualTo(
                new Credentials.RefreshToken(java.net.URI.create(ConfigFixtures.MY_DOMAIN), "3MVG9-consumer-key",
                        null, "5Aep861-refresh"));
        assertThat(SalesforceConnectionConfig.parse(flow("password")).credentials()).isEqualTo(
                new Credentials.UsernamePassword(java.net.URI.create(ConfigFixtures.MY_DOMAIN), "3MVG9-consumer-key",
                        "consumer-secret-1", "integration@acme.example", "pa55wordTOKEN"));
    }

    @Test
    void everyConnectionSettingReachesTheClientConfig(@TempDir Path dir) throws Exception {
        Path certificate = Files.writeString(dir.resolve("emulator.pem"), "-----BEGIN CERTIFICATE-----\n");
        Map<String, String> props = minimal();
        props.put("salesforce.login.url", "http://127.0.0.1:8443");
        props.put("salesforce.api.version", "64.0");
        props.put("salesforce.pubsub.endpoint", "localhost:7011");
        props.put("salesforce.pubsub.trust.certificate.file", certificate.toString());
        props.put("salesforce.request.timeout.ms", "5000");
        props.put("retry.max.attempts", "0");
        props.put("retry.backoff.ms", "100");
        props.put("retry.backoff.max.ms", "100");
        props.put("api.budget.reserve", "0");
        props.put("api.max.concurrent.calls", "25");

        SalesforceClient.Config client = SalesforceConnectionConfig.parse(props).clientConfig();

        assertThat(client.apiVersion()).isEqualTo("64.0");
        assertThat(client.pubsubTarget()).isEqualTo("localhost:7011");
        assertThat(client.pubsubTrustCertificate()).isEqualTo(certificate);
        assertThat(client.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(client.retry()).isEqualTo(new RetryPolicy(0, Duration.ofMillis(100), Duration.ofMillis(100)));
        assertThat(client.apiBudgetReserve()).isZero();
        assertThat(client.maxConcurrentCalls()).isEqualTo(25);
        assertThat(client.credentials().loginUrl().toString()).isEqualTo("http://127.0.0.1:8443");

        props.remove("salesforce.pubsub.trust.certificate.file");
        props.put("salesforce.pubsub.plaintext", "true");
        assertThat(SalesforceConnectionConfig.parse(props).clientConfig().pubsubPlaintext()).isTrue();
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("salesforce.login.url", "login.salesforce.com", "must be an absolute http(s) URL"),
                Arguments.of("salesforce.login.url", "ftp://login.salesforce.com", "must be an absolute http(s) URL"),
                Arguments.of("salesforce.login.url", "https://", "is not a URL"),
                Arguments.of("salesforce.login.url", "https://acme.my.salesforce.com?x=1", "without user info, query"),
                Arguments.of("salesforce.login.url", "https://exa mple.com", "is not a URL"),
                Arguments.of("salesforce.auth.flow", "oauth", "must be one of jwt, client_credentials, refresh_token, "
                        + "password"),
                Arguments.of("salesforce.jwt.audience", "login.salesforce.com", "must be an absolute http(s) URL"),
                Arguments.of("salesforce.api.version", "61", "must be a Salesforce API version of the form NN.0"),
                Arguments.of("salesforce.api.version", "v61.0", "of the form NN.0"),
                Arguments.of("salesforce.api.version", "61.5", "of the form NN.0"),
                Arguments.of("salesforce.pubsub.endpoint", "api.pubsub.salesforce.com", "must be host:port"),
                Arguments.of("salesforce.pubsub.endpoint", "api.pubsub.salesforce.com:0", "no valid port"),
                Arguments.of("salesforce.pubsub.endpoint", "api.pubsub.salesforce.com:https", "no valid port"),
                Arguments.of("salesforce.pubsub.endpoint", "bad host:7443", "no valid host"),
                Arguments.of("salesforce.pubsub.plaintext", "maybe", "Expected value to be either true or false"),
                Arguments.of("salesforce.request.timeout.ms", "999", "Value must be at least 1000"),
                Arguments.of("retry.max.attempts", "-1", "Value must be at least 0"),
                Arguments.of("retry.backoff.ms", "0", "Value must be at least 1"),
                Arguments.of("retry.backoff.max.ms", "0", "Value must be at least 1"),
                Arguments.of("api.budget.reserve", "1", "must be at least 0 and below 1"),
                Arguments.of("api.budget.reserve", "-0.1", "must be at least 0 and below 1"),
                Arguments.of("api.max.concurrent.calls", "0", "Value must be at least 1"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void eachValidatorRejectsABadValueNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> SalesforceConnectionConfig.parse(with(key, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(key).hasMessageContaining(message);
        assertThatThrownBy(() -> new SalesforceSourceConnectorConfig(with(key, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(key);
    }

    @Test
    void goodValuesPassTheValidators() {
        for (String url : List.of("https://acme.my.salesforce.com", "https://acme--dev.sandbox.my.salesforce.com/",
                "http://127.0.0.1:8443")) {
            assertThat(problems(with("salesforce.login.url", url))).as(url).isEmpty();
        }
        for (String endpoint : List.of("api.pubsub.salesforce.com:7443", "127.0.0.1:7011", "[::1]:7443")) {
            SalesforceConnectionConfig.parse(with("salesforce.pubsub.endpoint", endpoint));
        }
        SalesforceConnectionConfig.parse(with("api.budget.reserve", "0.99"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jwt", "client_credentials", "refresh_token", "password"})
    void eachFlowIsValidWithItsKeys(String flow) {
        assertThat(problems(flow(flow))).isEmpty();
        assertThat(SalesforceConnectionConfig.parse(flow(flow)).authFlow()).isEqualTo(AuthFlow.parse(flow));
    }

    static Stream<Arguments> missingKeys() {
        return Stream.of(
                Arguments.of("jwt", "salesforce.username", "salesforce.auth.flow=jwt needs salesforce.username"),
                Arguments.of("jwt", "salesforce.jwt.private.key", "set salesforce.jwt.private.key to its PKCS#8 PEM "
                        + "text or salesforce.jwt.private.key.file to the path of a PEM file"),
                Arguments.of("client_credentials", "salesforce.client.secret",
                        "salesforce.auth.flow=client_credentials needs salesforce.client.secret"),
                Arguments.of("refresh_token", "salesforce.refresh.token",
                        "salesforce.auth.flow=refresh_token needs salesforce.refresh.token"),
                Arguments.of("password", "salesforce.username", "salesforce.auth.flow=password needs "
                        + "salesforce.username"),
                Arguments.of("password", "salesforce.password", "needs salesforce.password: set it to the user's "
                        + "password followed by the user's security token"),
                Arguments.of("password", "salesforce.client.secret", "salesforce.auth.flow=password needs "
                        + "salesforce.client.secret"),
                Arguments.of("jwt", "salesforce.client.id", "salesforce.client.id is required"),
                Arguments.of("client_credentials", "salesforce.client.id", "salesforce.client.id is required"));
    }

    @ParameterizedTest(name = "{0} without {1}")
    @MethodSource("missingKeys")
    void eachFlowNamesTheKeyItMisses(String flow, String missing, String message) {
        Map<String, String> props = with(flow(flow), missing, null);

        assertThat(problems(props)).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo(missing);
            assertThat(p.message()).contains(message);
        });
        assertThatThrownBy(() -> SalesforceConnectionConfig.parse(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
        assertThatThrownBy(() -> new SalesforceSourceConnectorConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(message);
        // A blank value is as missing as an absent one (an empty template placeholder).
        assertThat(problems(with(flow(flow), missing, " "))).extracting(ConfigProblem::key).containsExactly(missing);
    }

    @Test
    void jwtTakesTheKeyAsTextOrFileButNotBoth(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("server.key"),
                "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
        Map<String, String> fromFile = with(flow("jwt"), "salesforce.jwt.private.key", null);
        fromFile.put("salesforce.jwt.private.key.file", key.toString());

        SalesforceConnectionConfig connection = SalesforceConnectionConfig.parse(fromFile);
        assertThat(((Credentials.JwtBearer) connection.credentials()).privateKeyPem()).startsWith(
                "-----BEGIN PRIVATE KEY-----");
        assertThat(connection.credentialKey()).isEqualTo("salesforce.jwt.private.key.file");

        assertThat(problems(with(flow("jwt"), "salesforce.jwt.private.key.file", key.toString())))
                .containsExactly(new ConfigProblem("salesforce.jwt.private.key.file", "Both "
                        + "salesforce.jwt.private.key and salesforce.jwt.private.key.file are set: remove one of them"));
        Path missing = dir.resolve("missing.key");
        assertThat(problems(with(fromFile, "salesforce.jwt.private.key.file", missing.toString())))
                .singleElement().satisfies(p -> {
                    assertThat(p.key()).isEqualTo("salesforce.jwt.private.key.file");
                    assertThat(p.message()).contains(missing.toString()).contains("not a readable file");
                });
    }

    @Test
    void aJwtKeyInTheWrongFormSaysHowToConvertItWithoutQuotingIt() {
        String pkcs1 = "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretbits\n-----END RSA PRIVATE KEY-----";

        List<ConfigProblem> problems = problems(with(flow("jwt"), "salesforce.jwt.private.key", pkcs1));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("salesforce.jwt.private.key");
            assertThat(p.message()).contains("openssl pkcs8 -topk8 -nocrypt").doesNotContain("secretbits");
        });
        assertThat(problems(with(flow("jwt"), "salesforce.jwt.private.key", "not a key"))).singleElement()
                .extracting(ConfigProblem::message).asString().contains("must start with -----BEGIN PRIVATE KEY-----");
    }

    @Test
    void clientCredentialsMustUseTheOrgsMyDomain() {
        assertThat(problems(with(flow("client_credentials"), "salesforce.login.url", "https://login.salesforce.com")))
                .singleElement().satisfies(p -> {
                    assertThat(p.key()).isEqualTo("salesforce.login.url");
                    assertThat(p.message()).contains("My Domain").contains("https://<my-domain>.my.salesforce.com");
                });
    }

    @Test
    void contradictionsAcrossKeysAreReported(@TempDir Path dir) throws Exception {
        Map<String, String> props = minimal();
        props.put("retry.backoff.ms", "1000");
        props.put("retry.backoff.max.ms", "999");
        props.put("salesforce.pubsub.plaintext", "true");
        props.put("salesforce.pubsub.trust.certificate.file", Files.writeString(dir.resolve("c.pem"), "x")
                .toString());

        assertThat(problems(props)).extracting(ConfigProblem::key).containsExactly(
                "salesforce.pubsub.trust.certificate.file", "retry.backoff.max.ms");
        assertThat(problems(with("salesforce.pubsub.trust.certificate.file", dir.resolve("none.pem").toString())))
                .extracting(ConfigProblem::key).containsExactly("salesforce.pubsub.trust.certificate.file");
    }

    @Test
    void secretsNeverReachToStringOrTheConfigLog() {
        Map<String, String> props = flow("password");
        props.put("salesforce.client.secret", "S3CRET-client");
        props.put("salesforce.password", "S3CRET-password");
        props.put("salesforce.refresh.token", "S3CRET-refresh");
        props.put("salesforce.jwt.private.key", "-----BEGIN PRIVATE KEY-----S3CRET-key-----END PRIVATE KEY-----");

        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        SalesforceSourceConnectorConfig config;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            config = new SalesforceSourceConnectorConfig(props);
        } finally {
            System.setErr(stderr);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("AbstractConfig logs every value").contains("salesforce.client.secret = [hidden]")
                .contains("salesforce.username = integration@acme.example").doesNotContain("S3CRET");
        assertThat(config.toString()).contains("integration@acme.example").doesNotContain("S3CRET");
        assertThat(config.connection().toString()).doesNotContain("S3CRET");
        assertThat(config.connection().clientConfig().toString()).doesNotContain("S3CRET");
        assertThat(config.connection().credentials().toString()).doesNotContain("S3CRET");
    }

    @Test
    void theFragmentComposesIntoAnyConfigDef() {
        assertThat(SalesforceConnectionConfig.keys()).contains("salesforce.login.url", "salesforce.client.secret",
                "retry.max.attempts", "api.budget.reserve").doesNotContain("object.include.list");
        assertThat(SalesforceConnectionConfig.configDef().configKeys().get("salesforce.client.secret").type)
                .isEqualTo(org.apache.kafka.common.config.ConfigDef.Type.PASSWORD);
        assertThat(SalesforceConnectionConfig.configDef().configKeys().values())
                .filteredOn(k -> k.name.endsWith("secret") || k.name.endsWith("password") || k.name.endsWith("token")
                        || k.name.endsWith("private.key"))
                .hasSize(4).allSatisfy(k -> assertThat(k.type).isEqualTo(
                        org.apache.kafka.common.config.ConfigDef.Type.PASSWORD));
    }
}
