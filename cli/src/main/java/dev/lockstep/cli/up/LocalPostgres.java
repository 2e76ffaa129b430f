package dev.lockstep.cli.up;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The stack's private PostgreSQL (zonky's embedded binaries, no installation needed), its data directory in the
 * state directory so that tables survive a restart, listening on {@value Ports#HOST} only, with
 * {@code wal_level=logical} for the Postgres → Salesforce path. User {@value #USER} without a password.
 */
final class LocalPostgres implements AutoCloseable {

    static final String USER = "postgres";
    static final String DATABASE = "postgres";

    private final EmbeddedPostgres server;
    private final Database database;

    private LocalPostgres(EmbeddedPostgres server, Database database) {
        this.server = server;
        this.database = database;
    }

    /**
     * Starts the server on {@code dataDir}, creating the cluster on first use.
     *
     * @param serverLog where the server's own output goes
     */
    static LocalPostgres start(Path dataDir, int port, Path serverLog) {
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", Ports.HOST)
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_wal_senders", "10")
                    .setServerConfig("max_replication_slots", "10")
                    .setServerConfig("synchronous_commit", "off")
                    .setOutputRedirector(Redirect.appendTo(serverLog.toFile()))
                    .setErrorRedirector(Redirect.appendTo(serverLog.toFile()))
                    .start();
            return new LocalPostgres(server, new Database("jdbc:postgresql://" + Ports.HOST + ":" + port + "/"
                    + DATABASE, USER, null));
        } catch (IOException | RuntimeException e) {
            throw new UpException("The private Postgres did not start on port " + port + " with data in " + dataDir
                    + ": " + e.getMessage() + " (its output is in " + serverLog + ")", e);
        }
    }

    Database database() {
        return database;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
