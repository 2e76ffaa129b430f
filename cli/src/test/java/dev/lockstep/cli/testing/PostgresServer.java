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

/**
 * A real PostgreSQL for one test class, with a fresh database of its own, as the integration tests' harness makes
 * it: a private server from the zonky embedded binaries, or the server of the JDBC URL in the system property
 * {@value #URL_PROPERTY} (user and password in the URL; the user needs {@code CREATEDB}). The database is dropped
 * afterwards. Register it as a static field with {@code @RegisterExtension}.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

    public static final String URL_PROPERTY = "lockstep.test.postgres.url";

    private EmbeddedPostgres embedded;
    private String serverUrl;
    private Properties credentials;
    private String database;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String external = System.getProperty(URL_PROPERTY, "");
        credentials = new Properties();
        if (external.isBlank()) {
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .start();
            serverUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/";
            credentials.setProperty("user", "postgres");
        } else {
            int slash = external.lastIndexOf('/');
            int query = external.indexOf('?', slash);
            serverUrl = external.substring(0, slash + 1);
            if (query > 0) {
                for (String pair : external.substring(query + 1).split("&")) {
                    String[] parts = pair.split("=", 2);
                    credentials.setProperty(parts[0], parts.length > 1 ? parts[1] : "");
                }
            }
        }
        database = "lockstep_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection admin = connect("postgres"); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (database != null) {
                try (Connection admin = connect("postgres"); Statement s = admin.createStatement()) {
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
}
