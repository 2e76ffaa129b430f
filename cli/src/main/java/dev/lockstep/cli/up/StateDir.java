package dev.lockstep.cli.up;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The state directory of {@code lockstep up} ({@code ./.lockstep/up} unless {@code --state-dir} says otherwise): the
 * Kafka log (with Connect's configuration, offset and status topics), the private Postgres data directory, the saved
 * emulator org, the log file, and {@value #SETTINGS}: the ports and targets of the previous run, so that a later run
 * listens where the last one did and refuses to mix another org or database into the same offsets.
 *
 * <p>Held with a file lock while {@code up} runs, so that two runs never share one directory.
 */
public final class StateDir implements AutoCloseable {

    static final String SETTINGS = "up.properties";
    static final String LOG = "lockstep-up.log";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Properties settings = new Properties();
    private final boolean fresh;

    private StateDir(Path root, FileChannel lockChannel, FileLock lock) throws IOException {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        Path file = root.resolve(SETTINGS);
        this.fresh = !Files.exists(file);
        if (!fresh) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                settings.load(in);
            }
        }
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws UpException when it cannot be created, or another {@code lockstep up} holds it
     */
    public static StateDir open(Path directory) {
        Path root = directory.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            Files.createDirectories(root);
            channel = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                lock = null;
            }
            if (lock == null) {
                throw new UpException("Another lockstep up is running with the state directory " + root
                        + ": stop it first, or give this one another --state-dir.");
            }
            return new StateDir(root, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UpException("Cannot use the state directory " + root + ": " + e.getMessage()
                    + " (choose another with --state-dir DIR)", e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing was locked; the channel is being abandoned anyway.
            }
        }
    }

    public Path root() {
        return root;
    }

    /** True when no earlier run saved its settings here: everything starts from scratch. */
    public boolean isFresh() {
        return fresh;
    }

    /** The Kafka log directory (KRaft metadata and every topic, Connect's included). */
    public Path kafka() {
        return root.resolve("kafka");
    }

    /** The private Postgres server's data directory. */
    public Path postgres() {
        return root.resolve("postgres");
    }

    /** The emulator's org: records and change-event log, saved while running and on stop. */
    public Path org() {
        return root.resolve("salesforce-org.json");
    }

    /** The log of the run (Kafka, Connect, the connectors, Postgres, the emulator). */
    public Path log() {
        return root.resolve(LOG);
    }

    /** A setting of the previous run, or null. */
    public String get(String key) {
        return settings.getProperty(key);
    }

    /** A port the previous run used, or -1. */
    public int port(String key) {
        String value = settings.getProperty(key);
        try {
            return value == null ? -1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public void put(String key, String value) {
        settings.setProperty(key, value);
    }

    /** Writes the settings for the next run. */
    public void save() {
        Path file = root.resolve(SETTINGS);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            settings.store(out, "lockstep up: ports and targets of the last run");
        } catch (IOException e) {
            throw new UpException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Fails when the previous run synced another Salesforce org or Postgres database than this one: its offsets
     * and tables belong to that pair, and mixing them would leave either side incomplete.
     *
     * @param key {@code salesforce} or {@code postgres}
     * @param target what this run uses, e.g. {@code emulator} or a JDBC URL
     */
    public void requireSameTarget(String key, String target) {
        String previous = settings.getProperty(key);
        if (previous != null && !previous.equals(target)) {
            throw new UpException("The state directory " + root + " holds the sync of " + key + " " + previous
                    + ", and this run would sync " + target + ". Use another --state-dir for it, or delete " + root
                    + " to start over.");
        }
        settings.setProperty(key, target);
    }

    /** Releases the lock. */
    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // The lock goes with the process anyway.
        }
    }
}
