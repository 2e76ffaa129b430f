package dev.lockstep.cli.up;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The Postgres database the stack syncs into: the private server's, or the one {@code --postgres} names.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres}
 * @param user the user
 * @param password the password, or null for none
 */
public record Database(String jdbcUrl, String user, String password) {

    /** A new connection; the caller closes it. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "lockstep-up");
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /**
     * A {@code psql} command line for the database: the JDBC URL as a libpq connection URI with the user, or null
     * when the URL is not a plain {@code jdbc:postgresql://} one.
     */
    public String psql() {
        String prefix = "jdbc:postgresql://";
        if (!jdbcUrl.startsWith(prefix)) {
            return null;
        }
        String rest = jdbcUrl.substring(prefix.length());
        int query = rest.indexOf('?');
        String hostAndDatabase = query < 0 ? rest : rest.substring(0, query);
        return "psql postgresql://" + user + "@" + hostAndDatabase;
    }
}
