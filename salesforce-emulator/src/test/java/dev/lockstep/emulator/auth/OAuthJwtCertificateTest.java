package dev.lockstep.emulator.auth;

import static dev.lockstep.emulator.auth.TestJwts.claims;
import static dev.lockstep.emulator.auth.TestJwts.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWT bearer against a configured certificate, the way a real connected app is set up: the certificate comes from
 * the JDK's {@code keytool} (a generator independent of the emulator's), and only its owner holds the private key.
 */
class OAuthJwtCertificateTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static Path certificateFile;
    private static PrivateKey ownersKey;
    private static Emulator server;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("jwt.p12");
        certificateFile = dir.resolve("jwt.crt");
        keytool("-genkeypair", "-alias", "jwt", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                "-dname", "CN=Lockstep JWT test", "-validity", "30", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit", "-noprompt");
        keytool("-exportcert", "-rfc", "-alias", "jwt", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-file", certificateFile.toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, STORE_PASSWORD);
        }
        ownersKey = (PrivateKey) store.getKey("jwt", STORE_PASSWORD);
        assertThat(Files.readString(certificateFile)).startsWith("-----BEGIN CERTIFICATE-----");
        server = Emulator.start(EmulatorConfig.defaults().withJwtCertificate(certificateFile));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void assertionSignedWithTheCertificatesKeyLogsInAndTheTokenWorks() throws Exception {
        HttpResponse<String> response = token(server, jwt(claims(EmulatorConfig.DEFAULT_USERNAME,
                "https://login.salesforce.com", expIn(server, 180)), ownersKey));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String accessToken = JSON.readTree(response.body()).get("access_token").asText();
        assertThat(send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/services/data/v61.0"))
                .header("Authorization", "Bearer " + accessToken).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void assertionSignedWithAnyOtherKeyIsAnInvalidAssertion() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);

        HttpResponse<String> response = token(server, jwt(claims(EmulatorConfig.DEFAULT_USERNAME,
                "https://login.salesforce.com", expIn(server, 180)), generator.generateKeyPair().getPrivate()));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_grant");
        assertThat(body.get("error_description").asText()).isEqualTo("invalid assertion");
    }

    @Test
    void theConfiguredCertificateIsExposedButNoPrivateKeyIs() throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        X509Certificate fromFile;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            fromFile = (X509Certificate) factory.generateCertificate(in);
        }

        assertThat(server.oauth().jwtCertificate()).isEqualTo(fromFile);
        assertThat(factory.generateCertificate(new ByteArrayInputStream(
                server.oauth().jwtCertificatePem().getBytes(StandardCharsets.US_ASCII)))).isEqualTo(fromFile);
        assertThatThrownBy(() -> server.oauth().jwtPrivateKeyPem()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theCertificateAnEmulatorGeneratesConfiguresAnotherEmulator() throws Exception {
        Path generatedCertificate = dir.resolve("generated.crt");
        try (Emulator generating = Emulator.start(EmulatorConfig.defaults())) {
            Files.writeString(generatedCertificate, generating.oauth().jwtCertificatePem());
            PrivateKey key = TestJwts.privateKeyFromPem(generating.oauth().jwtPrivateKeyPem());
            try (Emulator checking = Emulator.start(EmulatorConfig.defaults()
                    .withJwtCertificate(generatedCertificate))) {
                HttpResponse<String> response = token(checking, jwt(claims(EmulatorConfig.DEFAULT_USERNAME,
                        checking.baseUri().toString(), expIn(checking, 60)), key));

                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void aMissingOrBogusCertificateFileFailsTheStart() throws Exception {
        Path bogus = dir.resolve("bogus.crt");
        Files.writeString(bogus, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> Emulator.start(EmulatorConfig.defaults()
                .withJwtCertificate(dir.resolve("missing.crt")))).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> Emulator.start(EmulatorConfig.defaults().withJwtCertificate(bogus)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X.509");
    }

    private static long expIn(Emulator emulator, long seconds) {
        return emulator.clock().millis() / 1000 + seconds;
    }

    private static HttpResponse<String> token(Emulator emulator, String assertion) throws Exception {
        String form = "grant_type=" + URLEncoder.encode(OAuthApi.JWT_BEARER, StandardCharsets.UTF_8)
                + "&assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(emulator.baseUri() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
