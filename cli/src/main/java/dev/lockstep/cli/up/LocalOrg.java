package dev.lockstep.cli.up;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.demo.DemoData;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Salesforce emulator as the stack's org. The emulator keeps its org in memory, so this saves it (records and
 * change-event log, {@link Emulator#saveState}) to the state directory every few seconds after a change and on stop,
 * and restores it at the next start: the source connector then resumes after its stored replay id in the same org,
 * with the same records and Ids, rather than meeting a different org under the same offsets. The first start
 * creates the demo org instead: {@link DemoData} with a fixed seed.
 */
final class LocalOrg implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalOrg.class);

    /** The demo objects and the seed that makes the same demo org every time. */
    static final List<String> DEMO_OBJECTS = List.of("Account", "Contact", "Opportunity");
    static final long DEMO_SEED = 42L;
    private static final long SAVE_EVERY_SECONDS = 5;
    private static final Duration KEEPALIVE = Duration.ofSeconds(1);

    private final Emulator emulator;
    private final Path file;
    private final boolean restored;
    private final AtomicBoolean changed = new AtomicBoolean();
    private final ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "lockstep-up-org-saver");
        thread.setDaemon(true);
        return thread;
    });

    private LocalOrg(Emulator emulator, Path file, boolean restored) {
        this.emulator = emulator;
        this.file = file;
        this.restored = restored;
    }

    /**
     * Starts the emulator with the org saved in {@code file}, or with a new demo org of {@code demoRecords}
     * records per demo object when there is none.
     *
     * @param pubsubPort the Pub/Sub API's plaintext port (its TLS listener is not started)
     */
    static LocalOrg start(Path file, int port, int pubsubPort, int demoRecords) {
        Emulator emulator;
        try {
            emulator = Emulator.start(EmulatorConfig.defaults().withPort(port).withPubSubPorts(pubsubPort, -1));
        } catch (RuntimeException e) {
            throw new UpException("The Salesforce emulator did not start on ports " + port + " and " + pubsubPort
                    + ": " + e.getMessage(), e);
        }
        boolean restored = Files.exists(file);
        try {
            if (restored) {
                emulator.restoreState(file);
            } else {
                Map<String, Integer> counts = new LinkedHashMap<>();
                DEMO_OBJECTS.forEach(object -> counts.put(object, demoRecords));
                DemoData.generate(emulator.org(), counts, DEMO_SEED);
            }
            // Salesforce sends Pub/Sub keepalives every 270 s; a subscriber learns that its stream is live from
            // the first one, so a short interval lets the source go from snapshot to streaming at once.
            emulator.pubsub().setKeepalive(KEEPALIVE);
            LocalOrg org = new LocalOrg(emulator, file, restored);
            org.save();
            emulator.org().addListener((context, transactionKey, changes) -> org.changed.set(true));
            org.saver.scheduleWithFixedDelay(org::saveIfChanged, SAVE_EVERY_SECONDS, SAVE_EVERY_SECONDS,
                    TimeUnit.SECONDS);
            return org;
        } catch (IOException | RuntimeException e) {
            emulator.close();
            throw new UpException(restored ? "Cannot restore the saved org from " + file + ": " + e.getMessage()
                    + " (delete the state directory to start over with a new demo org)"
                    : "Cannot create the demo org in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the org was restored from the previous run rather than made new. */
    boolean restored() {
        return restored;
    }

    Emulator emulator() {
        return emulator;
    }

    /** The login and instance URL. */
    URI url() {
        return emulator.baseUri();
    }

    /** A new access token of the admin user. */
    String accessToken() {
        return emulator.accessToken();
    }

    /**
     * The source connector's Salesforce connection keys for this org: the client-credentials flow of the
     * emulator's connected app, and its plaintext Pub/Sub endpoint.
     */
    Map<String, String> connection() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("salesforce.login.url", emulator.baseUri().toString());
        keys.put("salesforce.auth.flow", "client_credentials");
        keys.put("salesforce.client.id", EmulatorConfig.DEFAULT_CLIENT_ID);
        keys.put("salesforce.client.secret", EmulatorConfig.DEFAULT_CLIENT_SECRET);
        keys.put("salesforce.pubsub.endpoint", emulator.pubsub().target());
        keys.put("salesforce.pubsub.plaintext", "true");
        return keys;
    }

    private void saveIfChanged() {
        if (changed.getAndSet(false)) {
            try {
                save();
            } catch (IOException | RuntimeException e) {
                // The next change or the stop saves again; the previous file stays whole meanwhile.
                changed.set(true);
                LOG.warn("Cannot save the emulator's org to {}", file, e);
            }
        }
    }

    private void save() throws IOException {
        emulator.saveState(file);
    }

    /** Saves the org a last time, then stops the emulator. */
    @Override
    public void close() throws IOException {
        saver.shutdown();
        try {
            // A save in progress finishes first, so the last save below is the one that stays.
            saver.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            save();
        } finally {
            emulator.close();
        }
    }
}
