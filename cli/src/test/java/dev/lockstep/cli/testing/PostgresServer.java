package dev.lockstep.cli.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.Driver;

/**
 * A real PostgreSQL for one test class, with a fresh database of its own, as the integration tests' harness makes
 * it (without logical decoding, which schema management does not need): a private server from the zonky embedded
 * binaries, or the server of the JDBC URL in {@value #URL_PROPERTY} / {@value #URL_ENV} (user and password in the
 * URL or in {@code lockstep.test.postgres.user}/{@code .password}, {@code LOCKSTEP_TEST_POSTGRES_USER}/
 * {@code _PASSWORD}; the user needs {@code CREATEDB}). The database is dropped afterwards. Register it as a static
 * field with {@code @RegisterExtension}.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

    public static final String URL_PROPERTY = "lockstep.test.postgres.url";
    public static final String URL_ENV = "LOCKSTEP_TEST_POSTGRES_URL";

    private EmbeddedPostgres embedded;
    private String serverUrl;
    private Properties credentials;
    private String adminDatabase = "postgres";
    private String database;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String external = setting(URL_PROPERTY, URL_ENV);
        credentials = new Properties();
        if (external == null) {
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            serverUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/";
            credentials.setProperty("user", "postgres");
        } else {
            Properties parsed = Driver.parseURL(external, new Properties());
            if (parsed == null) {
                throw new IllegalArgumentException(URL_PROPERTY + " is not a PostgreSQL JDBC URL: " + external);
            }
            serverUrl = "jdbc:postgresql://" + parsed.getProperty("PGHOST", "localhost") + ":"
                    + parsed.getProperty("PGPORT", "5432") + "/";
            adminDatabase = parsed.getProperty("PGDBNAME", "postgres");
            credentials.setProperty("user", orElse(setting("lockstep.test.postgres.user",
                    "LOCKSTEP_TEST_POSTGRES_USER"), parsed.getProperty("user", "postgres")));
            credentials.setProperty("password", orElse(setting("lockstep.test.postgres.password",
                    "LOCKSTEP_TEST_POSTGRES_PASSWORD"), parsed.getProperty("password", "")));
        }
        database = "lockstep_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = connect(adminDatabase); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (database != null) {
                try (Connection admin = connect(adminDatabase); Statement s = admin.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                }
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** A new connection to this class's database; the caller closes it. */
    public Connection connection() throws SQLException {
        return connect(database);
    }

    private Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(serverUrl + db, credentials);
    }

    /**
     * The JDBC URL of this class's database, as a user gives it to {@code --postgres}; for a server named by
     * {@value #URL_PROPERTY} it carries the user and password, since the command reads the password from the
     * environment only.
     */
    public String jdbcUrl() {
        if (embedded != null) {
            return serverUrl + database;
        }
        return serverUrl + database + "?user=" + encode(credentials.getProperty("user")) + "&password="
                + encode(credentials.getProperty("password"));
    }

    /** The user to give {@code --postgres-user}. */
    public String user() {
        return credentials.getProperty("user");
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Runs statements in this class's database, each in its own transaction. */
    public void execute(String... sql) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** The first column of a query's rows, as text. */
    public List<String> column(String sql) throws SQLException {
        try (Connection c = connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
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
