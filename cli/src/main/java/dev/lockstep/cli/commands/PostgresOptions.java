package dev.lockstep.cli.commands;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import picocli.CommandLine.Option;

/** How a command reaches Postgres: a JDBC URL plus user and password (the password from the environment). */
public final class PostgresOptions {

    static final String PASSWORD_ENV = "LOCKSTEP_POSTGRES_PASSWORD";

    @Option(names = "--postgres", paramLabel = "JDBC_URL", required = true,
            description = "The Postgres database, e.g. jdbc:postgresql://db:5432/app.")
    String url;

    @Option(names = "--postgres-user", paramLabel = "USER", defaultValue = "${env:LOCKSTEP_POSTGRES_USER:-postgres}",
            description = "The Postgres user (default: $LOCKSTEP_POSTGRES_USER, else postgres).")
    String user;

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    /** The password from $LOCKSTEP_POSTGRES_PASSWORD (never a command-line argument), or null. */
    public String password() {
        return System.getenv(PASSWORD_ENV);
    }

    /** A new connection; the caller closes it. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password() != null) {
            props.setProperty("password", password());
        }
        props.setProperty("ApplicationName", "lockstep-cli");
        return DriverManager.getConnection(url, props);
    }
}
