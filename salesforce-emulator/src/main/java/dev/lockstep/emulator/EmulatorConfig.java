package dev.lockstep.emulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an emulator starts: port, fixtures, demo data, limits and the credentials it accepts. The defaults make a
 * ready-to-use org: one connected app ({@value #DEFAULT_CLIENT_ID} / {@value #DEFAULT_CLIENT_SECRET}) and one user
 * ({@value #DEFAULT_USERNAME} / {@value #DEFAULT_PASSWORD}).
 *
 * @param port HTTP port on 127.0.0.1; 0 picks a free one
 * @param fixtures directory of describe-shaped object fixtures, or null for the default org
 * @param demoRecordsPerObject how many demo records to generate per object at start (0 for none)
 * @param dailyApiLimit the daily API request allocation
 * @param tokenTimeToLive how long access tokens stay valid
 * @param clientId the connected app's consumer key
 * @param clientSecret the connected app's consumer secret
 * @param username the user's login name
 * @param password the user's password (the username-password flow also accepts it with a security token appended)
 * @param jwtCertificate PEM file of the X.509 certificate JWT bearer assertions are checked against, or null to
 *     generate a key pair at start (its private key is then available to clients, see {@code Emulator})
 * @param pubsubPort Pub/Sub API (gRPC) plaintext port on 127.0.0.1; 0 picks a free one, -1 turns it off
 * @param pubsubTlsPort Pub/Sub API (gRPC) TLS port on 127.0.0.1, with a self-signed certificate made at start; 0
 *     picks a free one, -1 turns it off
 */
public record EmulatorConfig(int port, Path fixtures, int demoRecordsPerObject, long dailyApiLimit,
        Duration tokenTimeToLive, String clientId, String clientSecret, String username, String password,
        Path jwtCertificate, int pubsubPort, int pubsubTlsPort) {

    public static final String DEFAULT_CLIENT_ID = "lockstep-emulator-client";
    public static final String DEFAULT_CLIENT_SECRET = "lockstep-emulator-secret";
    public static final String DEFAULT_USERNAME = "admin@lockstep.dev";
    public static final String DEFAULT_PASSWORD = "lockstep";
    public static final String SECURITY_TOKEN = "EmulatorToken";

    public EmulatorConfig {
        Objects.requireNonNull(tokenTimeToLive, "tokenTimeToLive");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    public static EmulatorConfig defaults() {
        return new EmulatorConfig(0, null, 0, 1_000_000, Duration.ofHours(2), DEFAULT_CLIENT_ID,
                DEFAULT_CLIENT_SECRET, DEFAULT_USERNAME, DEFAULT_PASSWORD, null, 0, 0);
    }

    public EmulatorConfig withPort(int newPort) {
        return new EmulatorConfig(newPort, fixtures, demoRecordsPerObject, dailyApiLimit, tokenTimeToLive, clientId,
                clientSecret, username, password, jwtCertificate, pubsubPort, pubsubTlsPort);
    }

    public EmulatorConfig withFixtures(Path newFixtures) {
        return new EmulatorConfig(port, newFixtures, demoRecordsPerObject, dailyApiLimit, tokenTimeToLive, clientId,
                clientSecret, username, password, jwtCertificate, pubsubPort, pubsubTlsPort);
    }

    public EmulatorConfig withDemoRecordsPerObject(int n) {
        return new EmulatorConfig(port, fixtures, n, dailyApiLimit, tokenTimeToLive, clientId, clientSecret,
                username, password, jwtCertificate, pubsubPort, pubsubTlsPort);
    }

    public EmulatorConfig withDailyApiLimit(long limit) {
        return new EmulatorConfig(port, fixtures, demoRecordsPerObject, limit, tokenTimeToLive, clientId,
                clientSecret, username, password, jwtCertificate, pubsubPort, pubsubTlsPort);
    }

    public EmulatorConfig withTokenTimeToLive(Duration ttl) {
        return new EmulatorConfig(port, fixtures, demoRecordsPerObject, dailyApiLimit, ttl, clientId, clientSecret,
                username, password, jwtCertificate, pubsubPort, pubsubTlsPort);
    }

    public EmulatorConfig withJwtCertificate(Path certificate) {
        return new EmulatorConfig(port, fixtures, demoRecordsPerObject, dailyApiLimit, tokenTimeToLive, clientId,
                clientSecret, username, password, certificate, pubsubPort, pubsubTlsPort);
    }

    /** Pub/Sub API ports: plaintext and TLS (0 for free ports, -1 for no listener). */
    public EmulatorConfig withPubSubPorts(int plaintext, int tls) {
        return new EmulatorConfig(port, fixtures, demoRecordsPerObject, dailyApiLimit, tokenTimeToLive, clientId,
                clientSecret, username, password, jwtCertificate, plaintext, tls);
    }
}
