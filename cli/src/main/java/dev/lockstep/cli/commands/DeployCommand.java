package dev.lockstep.cli.commands;

import dev.lockstep.cli.Lockstep;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lockstep deploy}: not built yet. */
@Command(name = "deploy", mixinStandardHelpOptions = true, description = "Apply a mapping file: create or evolve the Postgres tables, then create or update the connectors through the Connect REST API.")
public final class DeployCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("lockstep deploy: not available in this build yet.");
        return Lockstep.EXIT_NOT_AVAILABLE;
    }
}
