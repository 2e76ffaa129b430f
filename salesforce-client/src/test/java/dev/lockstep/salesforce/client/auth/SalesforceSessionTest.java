package dev.lockstep.salesforce.client.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every login flow against the emulator's token endpoint, and how refused credentials are reported. */
class SalesforceSessionTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static SalesforceSession session(Credentials credentials) {
        return new SalesforceSession(credentials, CLIENT, Duration.ofSeconds(10), Clock.systemUTC());
    }

    /** The token works for a REST call and names the org and user. */
    private static void assertWorks(Emulator emulator, AccessToken token, String userId) throws Exception {
        assertThat(token.orgId()).isEqualTo(emulator.org().orgId());
        assertThat(token.userId()).isEqualTo(userId);
        assertThat(token.instanceUrl()).isEqualTo(emulator.baseUri());
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(token.instanceUrl()
                .resolve("/services/data/v61.0/limits")).header("Authorization", "Bearer " + token.value()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void clientCredentialsRunAsTheIntegrationUser(Emulator emulator) throws Exception {
        SalesforceSession session = session(new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET));

        assertWorks(emulator, session.token(), emulator.integrationUserId());
        assertThat(session.logins()).isEqualTo(1);
        assertThat(session.token()).isSameAs(session.token());
    }

    @Test
    void jwtBearerSignsWithThePrivateKey(Emulator emulator) throws Exception {
        SalesforceSession session = session(new Credentials.JwtBearer(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_USERNAME,
                emulator.oauth().jwtPrivateKeyPem(), null));

        assertWorks(emulator, session.token(), emulator.adminUserId());
    }

    @Test
    void jwtKeyCanComeFromAFile(Emulator emulator, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path key = dir.resolve("server.key");
        java.nio.file.Files.writeString(key, emulator.oauth().jwtPrivateKeyPem());

        assertWorks(emulator, session(Credentials.JwtBearer.withKeyFile(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_USERNAME, key, null)).token(),
                emulator.adminUserId());
        assertThatThrownBy(() -> Credentials.JwtBearer.withKeyFile(emulator.baseUri(), "id", "u",
                dir.resolve("missing.key"), null)).hasMessageContaining("missing.key");
    }

    @Test
    void refreshTokenAndPasswordFlowsWork(Emulator emulator) throws Exception {
        String refresh = emulator.oauth().issueRefreshToken(EmulatorConfig.DEFAULT_USERNAME);
        assertWorks(emulator, session(new Credentials.RefreshToken(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET, refresh)).token(),
                emulator.adminUserId());
        assertWorks(emulator, session(new Credentials.UsernamePassword(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET, EmulatorConfig.DEFAULT_USERNAME,
                EmulatorConfig.DEFAULT_PASSWORD)).token(), emulator.adminUserId());
    }

    @Test
    void renewingAStaleTokenLogsInOnceAndLaterCallersGetTheNewToken(Emulator emulator) {
        SalesforceSession session = session(new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET));
        AccessToken first = session.token();

        AccessToken second = session.renew(first);
        AccessToken third = session.renew(first);

        assertThat(second).isNotSameAs(first);
        assertThat(third).isSameAs(second);
        assertThat(session.logins()).isEqualTo(2);
    }

    @Test
    void refusedCredentialsAreFatalAndSayWhatToCheckWithoutSecrets(Emulator emulator) {
        String secret = "not-the-secret-" + System.nanoTime();
        SalesforceSession session = session(new Credentials.ClientCredentials(emulator.baseUri(),
                EmulatorConfig.DEFAULT_CLIENT_ID, secret));

        SalesforceException e = catchThrowableOfType(SalesforceException.class, session::token);

        assertThat(e.category()).isEqualTo(ErrorCategory.FATAL);
        assertThat(e.errorCode()).isEqualTo("invalid_client");
        assertThat(e.getMessage()).contains("client credentials").contains("Check the connector's Salesforce "
                + "credentials").doesNotContain(secret);
    }

    @Test
    void anUnreachableTokenEndpointIsRetriable() {
        SalesforceSession session = session(new Credentials.ClientCredentials(URI.create("http://127.0.0.1:1"),
                "id", "secret"));

        assertThat(catchThrowableOfType(SalesforceException.class, session::token).category())
                .isEqualTo(ErrorCategory.RETRIABLE);
    }

    @Test
    void credentialsHideTheirSecretsWhenPrinted() {
        URI login = URI.create("https://login.salesforce.com");
        assertThat(new Credentials.ClientCredentials(login, "id", "s3cr3t").toString()).doesNotContain("s3cr3t");
        assertThat(new Credentials.UsernamePassword(login, "id", "s3cr3t", "u", "pa55").toString())
                .doesNotContain("s3cr3t").doesNotContain("pa55");
        assertThat(new Credentials.RefreshToken(login, "id", "s3cr3t", "r3fr3sh").toString())
                .doesNotContain("r3fr3sh");
        assertThat(new Credentials.JwtBearer(login, "id", "u", "-----BEGIN PRIVATE KEY-----x", null).toString())
                .doesNotContain("BEGIN PRIVATE KEY");
    }

    @Test
    void jwtAudienceFollowsTheLoginHost() {
        assertThat(new Credentials.JwtBearer(URI.create("https://test.salesforce.com"), "id", "u", "k", null)
                .effectiveAudience()).isEqualTo("https://test.salesforce.com");
        assertThat(new Credentials.JwtBearer(URI.create("https://acme.my.salesforce.com"), "id", "u", "k", null)
                .effectiveAudience()).isEqualTo("https://login.salesforce.com");
    }

    @Test
    void keysInTheWrongFormSayHowToConvertThem() {
        assertThatThrownBy(() -> JwtAssertions.privateKey("-----BEGIN RSA PRIVATE KEY-----\nabc\n"))
                .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        assertThatThrownBy(() -> JwtAssertions.privateKey("not a key")).hasMessageContaining("PKCS#8");
    }
}
