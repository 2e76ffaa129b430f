package dev.lockstep.cli.commands;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * How a command reaches Postgres: a JDBC URL plus user and password (the password from the environment, never from
 * the command line, where other users of the machine could read it). A picocli mixin.
 */
public final class PostgresOptions {

    static final String PASSWORD_ENV = "LOCKSTEP_POSTGRES_PASSWORD";

    @Option(names = "--postgres", paramLabel = "JDBC_URL", required = true,
            description = "The Postgres database, e.g. jdbc:postgresql://db:5432/app. The password comes from "
                    + "$" + PASSWORD_ENV + ".")
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

    /** The URL for messages: a {@code password=} parameter in it is masked. */
    public String displayUrl() {
        return url.replaceAll("(?i)(password=)[^&]*", "$1********");
    }

    /**
     * A new connection; the caller closes it.
     *
     * @throws CommandFailure naming the database and user when Postgres refuses or does not answer
     */
    public Connection connect() {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password() != null) {
            props.setProperty("password", password());
        }
        props.setProperty("ApplicationName", "lockstep-cli");
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw new CommandFailure("Cannot connect to Postgres at " + displayUrl() + " as " + user + ": "
                    + e.getMessage() + "; check --postgres, --postgres-user and $" + PASSWORD_ENV, e);
        }
    }
}
