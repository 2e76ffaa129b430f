package dev.lockstep.source.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which key a failed login is reported on, and the check on its own against the emulator. */
class ConnectionCheckTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    private static SalesforceConnectionConfig emulatorConnection(Emulator emulator) {
        Map<String, String> props = ConfigFixtures.flow("client_credentials");
        props.put("salesforce.login.url", emulator.baseUri().toString());
        props.put("salesforce.client.id", EmulatorConfig.DEFAULT_CLIENT_ID);
        props.put("salesforce.client.secret", EmulatorConfig.DEFAULT_CLIENT_SECRET);
        return SalesforceConnectionConfig.parse(props);
    }

    private static ConfigProblem problem(String flow, SalesforceException failure) {
        return ConnectionCheck.loginProblem(SalesforceConnectionConfig.parse(ConfigFixtures.flow(flow)), failure);
    }

    private static SalesforceException tokenEndpoint(int status, String code, String description) {
        return new SalesforceException(ErrorCategory.FATAL, status, code, "Salesforce login (x, clientId y) failed "
                + "with HTTP " + status + (code == null ? "" : ": " + code + " (" + description + ")"));
    }

    @Test
    void tryLoginIsEmptyForGoodCredentialsAndChecksObjectsCaseInsensitively(Emulator emulator) {
        SalesforceConnectionConfig connection = emulatorConnection(emulator);

        assertThat(ConnectionCheck.tryLogin(connection, Duration.ofSeconds(10))).isEmpty();
        assertThat(ConnectionCheck.check(connection, List.of("account", "SYNC_SAMPLE__C"), "objects",
                Duration.ofSeconds(10))).isEmpty();
        assertThat(ConnectionCheck.check(connection, List.of("Account", "Nope__c"), "objects",
                Duration.ofSeconds(10))).singleElement().satisfies(p -> {
                    assertThat(p.key()).isEqualTo("objects");
                    assertThat(p.message()).contains("no object Nope__c");
                });
    }

    @Test
    void eachTokenEndpointErrorLandsOnTheKeyToFix() {
        assertThat(problem("jwt", tokenEndpoint(400, "invalid_client_id", "client identifier invalid")).key())
                .isEqualTo("salesforce.client.id");
        assertThat(problem("client_credentials", tokenEndpoint(400, "invalid_client", "invalid client credentials"))
                .key()).isEqualTo("salesforce.client.secret");
        assertThat(problem("refresh_token", tokenEndpoint(400, "invalid_client", "invalid client credentials"))
                .key()).isEqualTo("salesforce.client.id");
        assertThat(problem("jwt", tokenEndpoint(400, "invalid_grant", "invalid assertion")).key())
                .isEqualTo("salesforce.jwt.private.key");
        assertThat(problem("jwt", tokenEndpoint(400, "invalid_grant", "audience is invalid")).key())
                .isEqualTo("salesforce.jwt.audience");
        assertThat(problem("jwt", tokenEndpoint(400, "invalid_grant", "user hasn't approved this consumer")).key())
                .isEqualTo("salesforce.username");
        assertThat(problem("client_credentials", tokenEndpoint(400, "invalid_grant", "no client credentials user "
                + "enabled")).key()).isEqualTo("salesforce.client.id");
        assertThat(problem("refresh_token", tokenEndpoint(400, "invalid_grant", "expired access/refresh token"))
                .key()).isEqualTo("salesforce.refresh.token");
        assertThat(problem("password", tokenEndpoint(400, "invalid_grant", "authentication failure")).key())
                .isEqualTo("salesforce.password");
        assertThat(problem("password", tokenEndpoint(400, "inactive_user", "user is inactive")).key())
                .isEqualTo("salesforce.username");
        assertThat(problem("jwt", tokenEndpoint(400, "unsupported_grant_type", "grant type not supported")).key())
                .isEqualTo("salesforce.auth.flow");
        assertThat(problem("jwt", tokenEndpoint(503, null, null)).message()).contains("HTTP 503; try again later");
        assertThat(problem("jwt", tokenEndpoint(404, null, null))).satisfies(p -> {
            assertThat(p.key()).isEqualTo("salesforce.login.url");
            assertThat(p.message()).contains("a Salesforce login host?");
        });
        assertThat(problem("jwt", new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "could not reach",
                new java.io.IOException(new UnknownHostException("nowhere.example"))))).satisfies(p -> {
                    assertThat(p.key()).isEqualTo("salesforce.login.url");
                    assertThat(p.message()).contains("the host is unknown");
                });
    }

    @Test
    void aKeyThatCannotSignIsReportedOnTheKey() {
        SalesforceConnectionConfig jwt = SalesforceConnectionConfig.parse(ConfigFixtures.flow("jwt"));

        ConfigProblem problem = ConnectionCheck.loginProblem(jwt,
                new IllegalArgumentException("The JWT private key is not a valid RSA PKCS#8 key"));

        assertThat(problem).isEqualTo(new ConfigProblem("salesforce.jwt.private.key",
                "The JWT private key is not a valid RSA PKCS#8 key"));
    }

    @Test
    void aMalformedJwtKeyFailsTheLiveLoginOnTheKey(Emulator emulator) {
        Map<String, String> props = ConfigFixtures.flow("jwt");
        props.put("salesforce.login.url", emulator.baseUri().toString());
        props.put("salesforce.client.id", EmulatorConfig.DEFAULT_CLIENT_ID);
        props.put("salesforce.username", EmulatorConfig.DEFAULT_USERNAME);

        assertThat(ConnectionCheck.tryLogin(SalesforceConnectionConfig.parse(props), Duration.ofSeconds(10)))
                .hasValueSatisfying(p -> {
                    assertThat(p.key()).isEqualTo("salesforce.jwt.private.key");
                    assertThat(p.message()).contains("not a valid RSA PKCS#8 key").doesNotContain("MIIE");
                });
    }
}
