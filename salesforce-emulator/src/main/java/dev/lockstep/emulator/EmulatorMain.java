package dev.lockstep.emulator;

import dev.lockstep.emulator.http.ApiVersions;
import dev.lockstep.emulator.pubsub.PubSubServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar salesforce-emulator-<version>-standalone.jar [options]}: runs an emulator until the process is
 * stopped, printing how to connect.
 */
public final class EmulatorMain {

    static final String USAGE = String.join("\n",
            "usage: salesforce-emulator [options]",
            "  --port N             HTTP port on 127.0.0.1 (default 8443; 0 picks a free port)",
            "  --fixtures DIR       describe-shaped object fixtures (default: the built-in org)",
            "  --demo-records N     demo records to generate per object (default 0)",
            "  --api-limit N        daily API request allocation (default 1000000)",
            "  --token-ttl SECONDS  access token lifetime (default 7200)",
            "  --jwt-cert FILE      X.509 certificate (PEM) that JWT bearer assertions must be signed for",
            "  --jwt-key-out FILE   without --jwt-cert: write the generated private key (PKCS#8 PEM) here",
            "  --cometd-long-poll SECONDS  how long a Streaming API /meta/connect is held (default 110)",
            "  --cometd-reconnect SECONDS  Streaming API reconnect window before a client is forgotten (default 40)",
            "  --pubsub-port N      Pub/Sub API (gRPC) plaintext port on 127.0.0.1 (default 7011; -1 turns it off)",
            "  --pubsub-tls-port N  Pub/Sub API (gRPC) TLS port on 127.0.0.1 (default 7443; -1 turns it off)",
            "  --pubsub-cert-out FILE  write the Pub/Sub TLS listener's self-signed certificate (PEM) here",
            "  --help               this text");

    private EmulatorMain() {}

    public static void main(String[] args) throws InterruptedException {
        EmulatorConfig config = EmulatorConfig.defaults().withPort(8443)
                .withPubSubPorts(PubSubServer.DEFAULT_PORT, PubSubServer.DEFAULT_TLS_PORT);
        Path keyOut = null;
        Duration cometdLongPoll = null;
        Duration cometdReconnect = null;
        Path certOut = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--port" -> config = config.withPort(Integer.parseInt(value(args, ++i, arg)));
                    case "--fixtures" -> config = config.withFixtures(Path.of(value(args, ++i, arg)));
                    case "--demo-records" -> config = config.withDemoRecordsPerObject(
                            Integer.parseInt(value(args, ++i, arg)));
                    case "--api-limit" -> config = config.withDailyApiLimit(Long.parseLong(value(args, ++i, arg)));
                    case "--token-ttl" -> config = config.withTokenTimeToLive(
                            Duration.ofSeconds(Long.parseLong(value(args, ++i, arg))));
                    case "--jwt-cert" -> config = config.withJwtCertificate(Path.of(value(args, ++i, arg)));
                    case "--jwt-key-out" -> keyOut = Path.of(value(args, ++i, arg));
                    case "--cometd-long-poll" -> cometdLongPoll = Duration.ofSeconds(
                            Long.parseLong(value(args, ++i, arg)));
                    case "--cometd-reconnect" -> cometdReconnect = Duration.ofSeconds(
                            Long.parseLong(value(args, ++i, arg)));
                    case "--pubsub-port" -> config = config.withPubSubPorts(Integer.parseInt(value(args, ++i, arg)),
                            config.pubsubTlsPort());
                    case "--pubsub-tls-port" -> config = config.withPubSubPorts(config.pubsubPort(),
                            Integer.parseInt(value(args, ++i, arg)));
                    case "--pubsub-cert-out" -> certOut = Path.of(value(args, ++i, arg));
                    case "--help" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
        Emulator emulator = Emulator.start(config);
        try {
            if (cometdLongPoll != null) {
                emulator.cometd().setLongPollTimeout(cometdLongPoll);
            }
            if (cometdReconnect != null) {
                emulator.cometd().setReconnectWindow(cometdReconnect);
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            emulator.close();
            System.exit(2);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "emulator-shutdown"));
        if (keyOut != null && config.jwtCertificate() == null) {
            try {
                java.nio.file.Files.writeString(keyOut, emulator.oauth().jwtPrivateKeyPem());
            } catch (java.io.IOException e) {
                System.err.println("Cannot write the JWT private key to " + keyOut + ": " + e.getMessage());
                emulator.close();
                System.exit(1);
            }
        }
        if (certOut != null && emulator.pubsub().certificatePem() != null) {
            try {
                java.nio.file.Files.writeString(certOut, emulator.pubsub().certificatePem());
            } catch (java.io.IOException e) {
                System.err.println("Cannot write the Pub/Sub certificate to " + certOut + ": " + e.getMessage());
                emulator.close();
                System.exit(1);
            }
        }
        // The banner follows the key file: a script that waits for the banner finds the file in place.
        System.out.println("Salesforce emulator listening on " + emulator.baseUri());
        System.out.println("  login URL and instance URL: " + emulator.baseUri());
        System.out.println("  connected app: client_id=" + config.clientId() + " client_secret=" + config.clientSecret());
        System.out.println("  user: " + config.username() + " password=" + config.password());
        System.out.println("  access token: " + emulator.accessToken());
        if (keyOut != null && config.jwtCertificate() == null) {
            System.out.println("  JWT bearer: sign assertions with the private key in " + keyOut);
        }
        if (emulator.pubsub().target() != null) {
            System.out.println("  Pub/Sub API (gRPC, plaintext): " + emulator.pubsub().target());
        }
        if (emulator.pubsub().tlsTarget() != null) {
            System.out.println("  Pub/Sub API (gRPC, TLS): " + emulator.pubsub().tlsTarget() + ", certificate: "
                    + (certOut != null ? certOut : emulator.baseUri() + "/__emulator/pubsub/certificate"));
        }
        System.out.println("  admin API: " + emulator.baseUri() + "/__emulator/status");
        System.out.println("  Streaming API (CometD): " + emulator.baseUri() + "/cometd/" + ApiVersions.NEWEST
                + ".0");
        stopped.await();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
