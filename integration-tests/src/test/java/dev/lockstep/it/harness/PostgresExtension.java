package dev.lockstep.it.harness;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL with {@code wal_level=logical} for one test class, with a database of its own.
 *
 * <p>By default a private server is started from the zonky embedded binaries. When the system property
 * {@value #URL_PROPERTY} or the environment variable {@value #URL_ENV} holds a JDBC URL (user and password in the
 * URL or in {@code lockstep.test.postgres.user}/{@code .password}, {@code LOCKSTEP_TEST_POSTGRES_USER}/
 * {@code _PASSWORD}), that server is used instead: it must run with {@code wal_level=logical}, and the user needs
 * {@code CREATEDB} and {@code REPLICATION}. Either way each test class gets a fresh database, dropped afterwards
 * together with the replication slots made in it.
 *
 * <p>Register it with {@code @RegisterExtension static} before the Connect cluster, so it stops after the cluster.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String URL_PROPERTY = "lockstep.test.postgres.url";
    public static final String URL_ENV = "LOCKSTEP_TEST_POSTGRES_URL";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresExtension.class);

    private EmbeddedPostgres embedded;
    private String host;
    private int port;
    private String user;
    private String password;
    private String adminDatabase;
    private String database;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        long started = System.nanoTime();
        String externalUrl = setting(URL_PROPERTY, URL_ENV);
        if (externalUrl == null) {
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_wal_senders", "20")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            host = "127.0.0.1";
            port = embedded.getPort();
            user = "postgres";
            password = "";
            adminDatabase = "postgres";
        } else {
            Properties parsed = Driver.parseURL(externalUrl, new Properties());
            if (parsed == null) {
                throw new IllegalArgumentException(URL_PROPERTY + " is not a PostgreSQL JDBC URL: " + externalUrl);
            }
            host = parsed.getProperty("PGHOST", "localhost");
            port = Integer.parseInt(parsed.getProperty("PGPORT", "5432"));
            adminDatabase = parsed.getProperty("PGDBNAME", "postgres");
            user = orElse(setting("lockstep.test.postgres.user", "LOCKSTEP_TEST_POSTGRES_USER"),
                    parsed.getProperty("user", "postgres"));
            password = orElse(setting("lockstep.test.postgres.password", "LOCKSTEP_TEST_POSTGRES_PASSWORD"),
                    parsed.getProperty("password", ""));
        }
        checkLogicalDecoding();
        database = "lockstep_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = connect(adminDatabase); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        LOG.info("Postgres for {} ready in {} ms: {} server, database {}", context.getDisplayName(),
                (System.nanoTime() - started) / 1_000_000, embedded != null ? "embedded" : "external", database);
    }

    private void checkLogicalDecoding() throws SQLException {
        try (Connection c = connect(adminDatabase); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW wal_level")) {
            rs.next();
            if (!rs.getString(1).equals("logical")) {
                throw new IllegalStateException("The Postgres server at " + host + ":" + port + " runs with wal_level="
                        + rs.getString(1) + "; the tests need wal_level=logical (set it in postgresql.conf and"
                        + " restart the server)");
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (database != null) {
                dropDatabase();
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Replication slots keep a database alive; a test's connectors are gone by now, so drop what they left. */
    private void dropDatabase() throws SQLException {
        try (Connection c = connect(adminDatabase); Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'"
                    + " AND pid <> pg_backend_pid()");
            Eventually.until("replication slots of " + database + " to be inactive", Eventually.DEFAULT_BOUND, () -> {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE database = '"
                        + database + "' AND active")) {
                    rs.next();
                    return rs.getInt(1) == 0;
                }
            });
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '"
                    + database + "'");
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** A new connection to this class's database; the caller closes it. */
    public Connection connection() throws SQLException {
        return connect(database);
    }

    private Connection connect(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, props);
    }

    /** Runs statements in this class's database, each in its own transaction. */
    public void execute(String... sql) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** The rows of a query as column-name-to-value maps, in the order returned. */
    public List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String database() {
        return database;
    }

    /** The values the connector templates in {@code connect-configs/} ask for about this database. */
    public Map<String, String> placeholders() {
        Map<String, String> values = new HashMap<>();
        values.put("POSTGRES_HOST", host);
        values.put("POSTGRES_PORT", Integer.toString(port));
        values.put("POSTGRES_USER", user);
        values.put("POSTGRES_PASSWORD", password);
        values.put("POSTGRES_DB", database);
        values.put("JDBC_URL", jdbcUrl());
        return values;
    }

    private static String setting(String property, String env) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
