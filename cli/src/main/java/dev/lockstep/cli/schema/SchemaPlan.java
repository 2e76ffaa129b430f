package dev.lockstep.cli.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * What bringing a Postgres database in line with the mappings takes: the {@link #changes()} Lockstep makes (create
 * schemas, tables and indexes, add columns; it never drops or retypes anything), and the {@link #findings()} it
 * reports instead of changing, each with what to do about it.
 *
 * @param changes the SQL statements to run, in order, each with a one-line description
 * @param findings what differs from the mappings but is left as it is, in mapping order
 */
public record SchemaPlan(List<Change> changes, List<Finding> findings) {

    public SchemaPlan {
        changes = List.copyOf(changes);
        findings = List.copyOf(findings);
    }

    /**
     * One statement of the plan.
     *
     * @param description e.g. {@code add column salesforce.account.rating varchar(255) (Account.Rating)}
     * @param sql the statement, without a closing semicolon
     */
    public record Change(String description, String sql) {
    }

    /** How much a finding matters. */
    public enum Severity {
        /** Worth knowing; the sync works as configured. */
        INFO,
        /** The sync works, but some data is not synced or may fail to write until someone acts. */
        WARNING,
        /** The sync cannot work on this table until someone acts. */
        ERROR;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Something the plan reports instead of changing.
     *
     * @param severity how much it matters
     * @param mapping the mapping it concerns, as {@code mappings[0] (Account)}
     * @param text what differs, what Lockstep does about it, and what to do (with the statement, if any)
     * @param sql a statement that resolves it, for the people who own the database to run when they choose, or
     *     null when there is none (it is part of {@code text} too)
     */
    public record Finding(Severity severity, String mapping, String text, String sql) {
    }

    /** Whether there is nothing to change (findings may remain: they are reported on every plan until resolved). */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** Whether a finding stops the sync of some table until it is resolved. */
    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    /**
     * The plan for people: a {@code +} line per change and a {@code !} line per finding, or a line saying that
     * the schema matches the mappings.
     */
    public String render() {
        StringBuilder text = new StringBuilder();
        for (Change change : changes) {
            text.append("+ ").append(change.description()).append('\n');
        }
        for (Finding finding : findings) {
            text.append("! ").append(finding.severity()).append(' ').append(finding.mapping()).append(": ")
                    .append(finding.text()).append('\n');
        }
        if (changes.isEmpty()) {
            text.append(findings.isEmpty() ? "The Postgres schema matches the mappings.\n"
                    : "Nothing to change in Postgres.\n");
        }
        return text.toString();
    }

    /** The changes as one SQL script: each statement after a comment with its description, ending with {@code ;}. */
    public String sql() {
        StringBuilder script = new StringBuilder();
        for (Change change : changes) {
            script.append("-- ").append(change.description()).append('\n').append(change.sql()).append(";\n");
        }
        return script.toString();
    }

    /**
     * Runs the changes in one transaction: all of them or, when one fails, none. Findings are not acted on, errors
     * included; callers decide whether to go on with them (see {@link #hasErrors()}).
     *
     * @throws SQLException naming the change that failed; the transaction is rolled back
     */
    public void apply(Connection connection) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (Change change : changes) {
                try {
                    statement.execute(change.sql());
                } catch (SQLException e) {
                    throw new SQLException("Could not " + change.description() + " (nothing of this plan was"
                            + " applied): " + e.getMessage(), e.getSQLState(), e);
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
