package dev.lockstep.cli.commands;

import dev.lockstep.cli.connect.Deployment;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which deployment a command looks at: the {@code --name} it was deployed with, from which its connector names
 * ({@code <name>-salesforce}, {@code <name>-postgres-<schema>-<table>}) follow. A picocli mixin.
 */
public final class DeploymentNames {

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "lockstep",
            description = "The deployment's name, which starts every connector name: <name>-salesforce and "
                    + "<name>-postgres-<schema>-<table> (default: ${DEFAULT-VALUE}); the other commands take the name "
                    + "lockstep deploy was given.")
    String name;

    /** The name given. */
    String name() {
        return name;
    }

    /**
     * The deployment as far as names go (no Salesforce connection, no secrets).
     *
     * @param topicPrefix the topic prefix, or null for the name
     */
    Deployment deployment(PostgresOptions postgres, String topicPrefix) {
        return new Deployment(name, topicPrefix == null ? name : topicPrefix, Map.of(), postgres.url(),
                postgres.user(), null, 1, 1);
    }
}
