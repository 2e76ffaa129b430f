package dev.lockstep.emulator.auth;

import static dev.lockstep.emulator.auth.TestJwts.base64Url;
import static dev.lockstep.emulator.auth.TestJwts.claims;
import static dev.lockstep.emulator.auth.TestJwts.jwt;
import static dev.lockstep.emulator.auth.TestJwts.privateKeyFromPem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OAuth endpoints over real sockets, as jsforce, simple-salesforce and the Salesforce CLI call them: every grant
 * with its refusals, revocation, expiry, and the identity service. JWTs are built here with the JDK alone, signed
 * with the key the emulator hands out.
 */
class OAuthApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_ID = EmulatorConfig.DEFAULT_CLIENT_ID;
    private static final String SECRET = EmulatorConfig.DEFAULT_CLIENT_SECRET;
    private static final String USERNAME = EmulatorConfig.DEFAULT_USERNAME;
    private static final String PASSWORD = EmulatorConfig.DEFAULT_PASSWORD;

    private static Emulator server;
    private static PrivateKey signingKey;

    @BeforeAll
    static void start() throws Exception {
        server = Emulator.start(EmulatorConfig.defaults());
        // Read the key back from its PEM, as a user of the emulator would, rather than taking the Java object.
        String pem = server.oauth().jwtPrivateKeyPem();
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        signingKey = privateKeyFromPem(pem);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ------------------------------------------------------------------------------------------ client credentials

    @Test
    void clientCredentialsLogsInTheIntegrationUserWithEveryTokenResponseField() throws Exception {
        long before = server.clock().millis();
        HttpResponse<String> response = token(Map.of("grant_type", "client_credentials", "client_id", CLIENT_ID,
                "client_secret", SECRET));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        JsonNode body = JSON.readTree(response.body());
        String orgId = server.org().orgId();
        assertThat(body.get("access_token").asText()).startsWith(orgId.substring(0, 15) + "!AQ");
        assertThat(body.get("instance_url").asText()).isEqualTo(server.baseUri().toString());
        assertThat(body.get("id").asText())
                .isEqualTo(server.baseUri() + "/id/" + orgId + "/" + server.integrationUserId());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("scope").asText()).isEqualTo("api");
        assertThat(body.get("issued_at").isTextual()).isTrue();
        assertThat(Long.parseLong(body.get("issued_at").asText())).isBetween(before, server.clock().millis());
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.get("signature").asText())
                .isEqualTo(hmac(body.get("id").asText() + body.get("issued_at").asText(), SECRET));
        assertThat(restStatus(body.get("access_token").asText())).isEqualTo(200);
    }

    @Test
    void clientCredentialsAcceptHttpBasicClientAuthentication() throws Exception {
        String basic = Base64.getEncoder().encodeToString((CLIENT_ID + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void unknownClientIdIsInvalidClientId() throws Exception {
        assertOAuthError(token(Map.of("grant_type", "client_credentials", "client_id", "nope",
                "client_secret", SECRET)), "invalid_client_id", "client identifier invalid");
    }

    @Test
    void wrongOrMissingClientSecretIsInvalidClient() throws Exception {
        assertOAuthError(token(Map.of("grant_type", "client_credentials", "client_id", CLIENT_ID,
                "client_secret", "wrong")), "invalid_client", "invalid client credentials");
        assertOAuthError(token(Map.of("grant_type", "client_credentials", "client_id", CLIENT_ID)),
                "invalid_client", "invalid client credentials");
    }

    @Test
    void unknownOrMissingGrantTypeIsUnsupported() throws Exception {
        assertOAuthError(token(Map.of("grant_type", "authorization_code", "code", "x")),
                "unsupported_grant_type", "grant type not supported");
        assertOAuthError(token(Map.of("client_id", CLIENT_ID)), "unsupported_grant_type", "grant type not supported");
    }

    @Test
    void aBodyThatIsNotFormEncodedIsAnOAuthErrorNotAServerError() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&password=100%")));

        assertOAuthError(response, "unsupported_grant_type", "grant type not supported");
    }

    @Test
    void askingForAScopeTheAppDoesNotHaveIsInvalidScope() throws Exception {
        assertOAuthError(token(Map.of("grant_type", "client_credentials", "client_id", CLIENT_ID,
                "client_secret", SECRET, "scope", "api teleport")), "invalid_scope",
                "the requested scope is not allowed");
    }

    // ------------------------------------------------------------------------------------------ password

    @Test
    void passwordFlowAcceptsThePasswordAloneOrWithTheSecurityToken() throws Exception {
        for (String password : new String[] {PASSWORD, PASSWORD + EmulatorConfig.SECURITY_TOKEN}) {
            HttpResponse<String> response = token(passwordForm(USERNAME, password));

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("id").asText()).endsWith("/" + server.adminUserId());
            assertThat(body.has("refresh_token")).isFalse();
            assertThat(restStatus(body.get("access_token").asText())).isEqualTo(200);
        }
    }

    @Test
    void passwordFlowReadsParametersFromTheQueryStringToo() throws Exception {
        String query = form(passwordForm(USERNAME.toUpperCase(java.util.Locale.ROOT), PASSWORD));
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/services/oauth2/token?" + query))
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordAndUnknownUserAreTheSameAuthenticationFailure() throws Exception {
        assertOAuthError(token(passwordForm(USERNAME, "wrong")), "invalid_grant", "authentication failure");
        assertOAuthError(token(passwordForm(USERNAME, PASSWORD + "WrongToken")), "invalid_grant",
                "authentication failure");
        assertOAuthError(token(passwordForm("nobody@lockstep.dev", PASSWORD)), "invalid_grant",
                "authentication failure");
    }

    @Test
    void passwordFlowChecksTheClientBeforeTheUser() throws Exception {
        Map<String, String> form = new LinkedHashMap<>(passwordForm(USERNAME, "wrong"));
        form.put("client_secret", "wrong");
        assertOAuthError(token(form), "invalid_client", "invalid client credentials");
    }

    @Test
    void inactiveUsersCannotLogIn() throws Exception {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("Username", "gone@lockstep.dev");
        user.put("LastName", "Gone");
        user.put("IsActive", Boolean.FALSE);
        server.org().seed("User", user);

        assertOAuthError(token(passwordForm("gone@lockstep.dev", PASSWORD)), "inactive_user", "user is inactive");
        assertOAuthError(token(jwtForm(claims("gone@lockstep.dev", "https://login.salesforce.com", expIn(120)))),
                "inactive_user", "user is inactive");
    }

    // ------------------------------------------------------------------------------------------ JWT bearer

    @Test
    void jwtBearerSignedWithTheExposedKeyLogsInTheSubject() throws Exception {
        for (String aud : new String[] {"https://login.salesforce.com", "https://test.salesforce.com",
            server.baseUri().toString(), server.baseUri() + "/", "http://localhost:" + server.port()}) {
            HttpResponse<String> response = token(jwtForm(claims(USERNAME, aud, expIn(180))));

            assertThat(response.statusCode()).as(aud).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("id").asText()).endsWith("/" + server.adminUserId());
            assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
            assertThat(body.get("instance_url").asText()).isEqualTo(server.baseUri().toString());
            assertThat(body.has("refresh_token")).isFalse();
            assertThat(restStatus(body.get("access_token").asText())).isEqualTo(200);
        }
    }

    @Test
    void jwtExpiryMayBeAStringOfDigitsAsSimpleSalesforceSendsIt() throws Exception {
        Map<String, Object> claims = claims(USERNAME, "https://login.salesforce.com", expIn(180));
        claims.put("exp", claims.get("exp").toString());

        assertThat(token(jwtForm(claims)).statusCode()).isEqualTo(200);
    }

    @Test
    void jwtExpiryInMillisecondsAsTheSalesforceCliSendsItIsAcceptedUnlessTheOrgIsStrict() throws Exception {
        // sfdx-core signs exp: Date.now() + 300, milliseconds where seconds belong, and real orgs accept it.
        Map<String, Object> claims = claims(USERNAME, "https://login.salesforce.com", server.clock().millis() + 300);
        assertThat(token(jwtForm(claims)).statusCode()).isEqualTo(200);

        server.oauth().setMaxAssertionLifetime(Duration.ofMinutes(5));
        try {
            assertOAuthError(token(jwtForm(claims)), "invalid_grant", "invalid assertion");
            assertThat(token(jwtForm(claims(USERNAME, "https://login.salesforce.com", expIn(290)))).statusCode())
                    .isEqualTo(200);
        } finally {
            server.oauth().setMaxAssertionLifetime(null);
        }
    }

    @Test
    void jwtSignedWithAnotherKeyIsAnInvalidAssertion() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey otherKey = generator.generateKeyPair().getPrivate();

        String assertion = jwt(claims(USERNAME, "https://login.salesforce.com", expIn(120)), otherKey);
        assertOAuthError(token(Map.of("grant_type", OAuthApi.JWT_BEARER, "assertion", assertion)),
                "invalid_grant", "invalid assertion");
    }

    @Test
    void jwtWhoseClaimsWereChangedAfterSigningIsAnInvalidAssertion() throws Exception {
        String signed = jwt(claims(USERNAME, "https://login.salesforce.com", expIn(120)), signingKey);
        String[] parts = signed.split("\\.");
        String otherClaims = base64Url(JSON.writeValueAsBytes(claims("integration@lockstep.dev",
                "https://login.salesforce.com", expIn(120))));
        String tampered = parts[0] + "." + otherClaims + "." + parts[2];

        assertOAuthError(token(Map.of("grant_type", OAuthApi.JWT_BEARER, "assertion", tampered)),
                "invalid_grant", "invalid assertion");
    }

    @Test
    void malformedOrUnsignedJwtIsAnInvalidAssertion() throws Exception {
        String claims = base64Url(JSON.writeValueAsBytes(claims(USERNAME, "https://login.salesforce.com",
                expIn(120))));
        String none = base64Url("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + claims + ".";
        for (String assertion : new String[] {"not-a-jwt", "a.b.c", none}) {
            assertOAuthError(token(Map.of("grant_type", OAuthApi.JWT_BEARER, "assertion", assertion)),
                    "invalid_grant", "invalid assertion");
        }
        assertOAuthError(token(Map.of("grant_type", OAuthApi.JWT_BEARER)), "invalid_grant", "invalid assertion");
    }

    @Test
    void jwtForAnotherAudienceIsRefused() throws Exception {
        assertOAuthError(token(jwtForm(claims(USERNAME, "https://evil.example.com", expIn(120)))),
                "invalid_grant", "audience is invalid");
    }

    @Test
    void expiredJwtIsAnExpiredAuthorizationCode() throws Exception {
        assertOAuthError(token(jwtForm(claims(USERNAME, "https://login.salesforce.com", expIn(-1)))),
                "invalid_grant", "expired authorization code");
    }

    @Test
    void jwtForAnUnknownUserIsNotApproved() throws Exception {
        assertOAuthError(token(jwtForm(claims("nobody@lockstep.dev", "https://login.salesforce.com", expIn(120)))),
                "invalid_grant", "user hasn't approved this consumer");
    }

    @Test
    void jwtFromAnotherConnectedAppIsAnInvalidClientId() throws Exception {
        Map<String, Object> claims = claims(USERNAME, "https://login.salesforce.com", expIn(120));
        claims.put("iss", "someone-else");
        assertOAuthError(token(jwtForm(claims)), "invalid_client_id", "client identifier invalid");
    }

    @Test
    void theGeneratedCertificateIsARealSelfSignedX509CertificateForTheExposedKey() throws Exception {
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(server.oauth().jwtCertificatePem().getBytes(StandardCharsets.US_ASCII)));

        certificate.verify(certificate.getPublicKey());
        certificate.checkValidity();
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=Lockstep Salesforce Emulator");
        assertThat(certificate.getPublicKey()).isEqualTo(server.oauth().jwtCertificate().getPublicKey());
        assertThat(server.oauth().jwtPublicKeyPem()).startsWith("-----BEGIN PUBLIC KEY-----\n");
        // The exposed private key signs what the certificate's public key verifies.
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(signingKey);
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signer.sign())).isTrue();
    }

    // ------------------------------------------------------------------------------------------ refresh token

    @Test
    void refreshTokenFromThePasswordFlowYieldsNewWorkingTokens() throws Exception {
        Map<String, String> form = new LinkedHashMap<>(passwordForm(USERNAME, PASSWORD));
        form.put("scope", "api refresh_token");
        JsonNode login = JSON.readTree(token(form).body());
        String refreshToken = login.get("refresh_token").asText();
        assertThat(login.get("scope").asText()).isEqualTo("api refresh_token");

        HttpResponse<String> response = token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", CLIENT_ID, "client_secret", SECRET));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("access_token").asText()).isNotEqualTo(login.get("access_token").asText());
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.get("scope").asText()).isEqualTo("api refresh_token");
        assertThat(body.get("id").asText()).isEqualTo(login.get("id").asText());
        assertThat(body.get("signature").asText())
                .isEqualTo(hmac(body.get("id").asText() + body.get("issued_at").asText(), SECRET));
        assertThat(restStatus(body.get("access_token").asText())).isEqualTo(200);
        // The secret is optional for refreshes, as jsforce omits it when it has none.
        assertThat(token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", CLIENT_ID)).statusCode()).isEqualTo(200);
    }

    @Test
    void refreshTokenFromTheJavaApiWorksAndSurvivesExpireAll() throws Exception {
        String refreshToken = server.oauth().issueRefreshToken(USERNAME);
        server.sessions().expireAll();

        JsonNode body = JSON.readTree(token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", CLIENT_ID)).body());

        assertThat(restStatus(body.get("access_token").asText())).isEqualTo(200);
        assertThatThrownBy(() -> server.oauth().issueRefreshToken("nobody@lockstep.dev"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownRefreshTokenOrWrongClientIsRefused() throws Exception {
        String refreshToken = server.oauth().issueRefreshToken(USERNAME);

        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", "5Aepbogus",
                "client_id", CLIENT_ID)), "invalid_grant", "expired access/refresh token");
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", "other")), "invalid_client_id", "client identifier invalid");
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", CLIENT_ID, "client_secret", "wrong")), "invalid_client", "invalid client credentials");
    }

    // ------------------------------------------------------------------------------------------ revoke and expiry

    @Test
    void revokedAccessTokenGetsInvalidSessionId() throws Exception {
        String accessToken = clientCredentialsToken();
        assertThat(restStatus(accessToken)).isEqualTo(200);

        HttpResponse<String> revoked = post("/services/oauth2/revoke", Map.of("token", accessToken));

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(revoked.body()).isEmpty();
        assertInvalidSession(accessToken);
        HttpResponse<String> again = post("/services/oauth2/revoke", Map.of("token", accessToken));
        assertThat(again.statusCode()).isEqualTo(400);
        // Form-encoded, as Salesforce answers and as jsforce parses it (querystring.parse).
        assertThat(again.body()).isEqualTo("error=invalid_token&error_description=invalid%20token");
    }

    @Test
    void revokeAcceptsAGetWithTheTokenInTheQuery() throws Exception {
        String accessToken = clientCredentialsToken();

        HttpResponse<String> revoked = send(HttpRequest.newBuilder(uri("/services/oauth2/revoke?token="
                + URLEncoder.encode(accessToken, StandardCharsets.UTF_8))).GET());

        assertThat(revoked.statusCode()).isEqualTo(200);
        assertInvalidSession(accessToken);
    }

    @Test
    void revokeWithoutATokenIsAnUnsupportedTokenTypeInJsonWhenAsked() throws Exception {
        HttpResponse<String> form = post("/services/oauth2/revoke", Map.of("token[access_token]", "x"));
        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(form.body())
                .isEqualTo("error=unsupported_token_type&error_description=this%20token%20type%20is%20not%20supported");

        HttpResponse<String> json = send(HttpRequest.newBuilder(uri("/services/oauth2/revoke"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=")));
        assertOAuthError(json, "unsupported_token_type", "this token type is not supported");
    }

    @Test
    void revokingARefreshTokenRevokesItAndTheAccessTokensObtainedWithIt() throws Exception {
        Map<String, String> form = new LinkedHashMap<>(passwordForm(USERNAME, PASSWORD));
        form.put("scope", "api offline_access");
        JsonNode login = JSON.readTree(token(form).body());
        String refreshToken = login.get("refresh_token").asText();
        String refreshed = JSON.readTree(token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", CLIENT_ID)).body()).get("access_token").asText();
        String unrelated = clientCredentialsToken();

        assertThat(post("/services/oauth2/revoke", Map.of("token", refreshToken)).statusCode()).isEqualTo(200);

        assertInvalidSession(login.get("access_token").asText());
        assertInvalidSession(refreshed);
        assertThat(restStatus(unrelated)).isEqualTo(200);
        assertOAuthError(token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", CLIENT_ID)), "invalid_grant", "expired access/refresh token");
    }

    @Test
    void tokensStopWorkingOnceTheirTimeToLivePasses() throws Exception {
        String accessToken = JSON.readTree(token(jwtForm(claims(USERNAME, "https://login.salesforce.com",
                expIn(120)))).body()).get("access_token").asText();
        Duration ttl = server.sessions().timeToLive();
        server.clock().advance(ttl.minusSeconds(1));
        try {
            assertThat(restStatus(accessToken)).isEqualTo(200);
            server.clock().advance(Duration.ofSeconds(1));

            assertInvalidSession(accessToken);
            assertThat(identity(accessToken).statusCode()).isEqualTo(403);
        } finally {
            server.clock().advance(ttl.negated());
        }
    }

    @Test
    void expireAllEndsEverySession() throws Exception {
        String accessToken = clientCredentialsToken();

        server.sessions().expireAll();

        assertInvalidSession(accessToken);
    }

    // ------------------------------------------------------------------------------------------ identity

    @Test
    void userinfoDescribesTheTokensUserWithoutCountingAgainstTheApiLimit() throws Exception {
        String accessToken = JSON.readTree(token(passwordForm(USERNAME, PASSWORD)).body()).get("access_token")
                .asText();
        long used = server.limits().used();

        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/services/oauth2/userinfo"))
                .header("Authorization", "Bearer " + accessToken).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.limits().used()).isEqualTo(used);
        JsonNode body = JSON.readTree(response.body());
        String orgId = server.org().orgId();
        String userId = server.adminUserId();
        assertThat(body.get("sub").asText()).isEqualTo(server.baseUri() + "/id/" + orgId + "/" + userId);
        assertThat(body.get("user_id").asText()).isEqualTo(userId);
        assertThat(body.get("organization_id").asText()).isEqualTo(orgId);
        assertThat(body.get("preferred_username").asText()).isEqualTo(USERNAME);
        assertThat(body.get("name").asText()).isEqualTo("Admin Emulator");
        assertThat(body.get("given_name").asText()).isEqualTo("Admin");
        assertThat(body.get("family_name").asText()).isEqualTo("Emulator");
        assertThat(body.get("email").asText()).isEqualTo(USERNAME);
        assertThat(body.get("zoneinfo").asText()).isEqualTo("GMT");
        assertThat(body.get("utcOffset").asLong()).isZero();
        assertThat(body.get("user_type").asText()).isEqualTo("STANDARD");
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("is_salesforce_integration_user").asBoolean()).isFalse();
        assertThat(body.get("updated_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(body.get("urls").get("rest").asText()).isEqualTo(server.baseUri() + "/services/data/v{version}/");
    }

    @Test
    void userinfoAndIdentityRefuseMissingAndBadTokensWithForbidden() throws Exception {
        HttpResponse<String> missing = send(HttpRequest.newBuilder(uri("/services/oauth2/userinfo")).GET());
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.body()).isEqualTo("Missing_OAuth_Token");

        HttpResponse<String> bad = send(HttpRequest.newBuilder(uri("/services/oauth2/userinfo"))
                .header("Authorization", "Bearer 00Dbogus!AQbogus").GET());
        assertThat(bad.statusCode()).isEqualTo(403);
        assertThat(bad.body()).isEqualTo("Bad_OAuth_Token");

        HttpResponse<String> identity = identity("00Dbogus!AQbogus");
        assertThat(identity.statusCode()).isEqualTo(403);
        assertThat(identity.body()).isEqualTo("Bad_OAuth_Token");
    }

    @Test
    void identityUrlFromTheTokenResponseDescribesTheUser() throws Exception {
        JsonNode login = JSON.readTree(token(passwordForm(USERNAME, PASSWORD)).body());
        String accessToken = login.get("access_token").asText();

        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(login.get("id").asText()))
                .header("Authorization", "Bearer " + accessToken).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Sforce-Limit-Info")).isEmpty();
        JsonNode body = JSON.readTree(response.body());
        String base = server.baseUri().toString();
        String orgId = server.org().orgId();
        assertThat(body.get("id").asText()).isEqualTo(login.get("id").asText());
        assertThat(body.get("asserted_user").asBoolean()).isTrue();
        assertThat(body.get("user_id").asText()).isEqualTo(server.adminUserId());
        assertThat(body.get("organization_id").asText()).isEqualTo(orgId);
        assertThat(body.get("username").asText()).isEqualTo(USERNAME);
        assertThat(body.get("nick_name").asText()).isEqualTo("admin");
        assertThat(body.get("display_name").asText()).isEqualTo("Admin Emulator");
        assertThat(body.get("email").asText()).isEqualTo(USERNAME);
        assertThat(body.get("active").asBoolean()).isTrue();
        assertThat(body.get("user_type").asText()).isEqualTo("STANDARD");
        assertThat(body.get("language").asText()).isEqualTo("en_US");
        assertThat(body.get("locale").asText()).isEqualTo("en_US");
        assertThat(body.get("utcOffset").asLong()).isZero();
        assertThat(body.get("last_modified_date").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
        JsonNode urls = body.get("urls");
        assertThat(urls.get("enterprise").asText())
                .isEqualTo(base + "/services/Soap/c/{version}/" + orgId.substring(0, 15));
        assertThat(urls.get("partner").asText()).isEqualTo(base + "/services/Soap/u/{version}/" + orgId.substring(0, 15));
        assertThat(urls.get("rest").asText()).isEqualTo(base + "/services/data/v{version}/");
        assertThat(urls.get("sobjects").asText()).isEqualTo(base + "/services/data/v{version}/sobjects/");
        assertThat(urls.get("query").asText()).isEqualTo(base + "/services/data/v{version}/query/");
        assertThat(urls.get("profile").asText()).isEqualTo(base + "/" + server.adminUserId());
    }

    @Test
    void identityUrlFillsInTheRequestedVersion() throws Exception {
        String accessToken = clientCredentialsToken();
        String id = server.oauth().identityUrl(server.integrationUserId());

        JsonNode v61 = JSON.readTree(send(HttpRequest.newBuilder(URI.create(id + "?version=61.0"))
                .header("Authorization", "Bearer " + accessToken).GET()).body());
        JsonNode latest = JSON.readTree(send(HttpRequest.newBuilder(URI.create(id + "?version=latest"))
                .header("Authorization", "OAuth " + accessToken).GET()).body());

        assertThat(v61.get("urls").get("sobjects").asText())
                .isEqualTo(server.baseUri() + "/services/data/v61.0/sobjects/");
        assertThat(latest.get("urls").get("rest").asText()).isEqualTo(server.baseUri() + "/services/data/v64.0/");
    }

    @Test
    void identityOfAnotherUserOfTheOrgIsNotAnAssertedUser() throws Exception {
        String accessToken = clientCredentialsToken();

        HttpResponse<String> response = identity(accessToken);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("user_id").asText()).isEqualTo(server.adminUserId());
        assertThat(body.get("asserted_user").asBoolean()).isFalse();
    }

    @Test
    void identityOfAnotherOrgOrAnUnknownUserIsRefused() throws Exception {
        String accessToken = clientCredentialsToken();
        String orgId = server.org().orgId();

        HttpResponse<String> wrongOrg = send(HttpRequest.newBuilder(uri("/id/" + dev.lockstep.emulator.org.Ids.make("00D", 2) + "/"
                + server.adminUserId())).header("Authorization", "Bearer " + accessToken).GET());
        HttpResponse<String> unknownUser = send(HttpRequest.newBuilder(uri("/id/" + orgId + "/005Lk00000000ZZ"))
                .header("Authorization", "Bearer " + accessToken).GET());

        assertThat(wrongOrg.statusCode()).isEqualTo(403);
        assertThat(wrongOrg.body()).isEqualTo("Wrong_Org");
        assertThat(unknownUser.statusCode()).isEqualTo(404);
        assertThat(unknownUser.body()).isEqualTo("Bad_Id");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static long expIn(long seconds) {
        return server.clock().millis() / 1000 + seconds;
    }

    private static Map<String, String> jwtForm(Map<String, Object> claims) throws Exception {
        return Map.of("grant_type", OAuthApi.JWT_BEARER, "assertion", jwt(claims, signingKey));
    }

    private static Map<String, String> passwordForm(String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", CLIENT_ID);
        form.put("client_secret", SECRET);
        form.put("username", username);
        form.put("password", password);
        return form;
    }

    private static String clientCredentialsToken() throws Exception {
        HttpResponse<String> response = token(Map.of("grant_type", "client_credentials", "client_id", CLIENT_ID,
                "client_secret", SECRET));
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).get("access_token").asText();
    }

    private static String hmac(String data, String key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }

    static void assertOAuthError(HttpResponse<String> response, String error, String description) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isEqualTo(description);
    }

    private static void assertInvalidSession(String accessToken) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/services/data/v61.0"))
                .header("Authorization", "Bearer " + accessToken).GET());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body())).isEqualTo(JSON.readTree(
                "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\",\"fields\":[]}]"));
    }

    private static int restStatus(String accessToken) throws Exception {
        return send(HttpRequest.newBuilder(uri("/services/data/v61.0"))
                .header("Authorization", "Bearer " + accessToken).GET()).statusCode();
    }

    private static HttpResponse<String> identity(String accessToken) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(server.oauth().identityUrl(server.adminUserId())))
                .header("Authorization", "Bearer " + accessToken).GET());
    }

    static HttpResponse<String> token(Map<String, String> form) throws Exception {
        return post("/services/oauth2/token", form);
    }

    private static HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    private static String form(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        form.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }

    private static URI uri(String path) {
        return URI.create(server.baseUri() + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
