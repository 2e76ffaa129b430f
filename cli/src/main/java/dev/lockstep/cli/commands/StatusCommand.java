package dev.lockstep.cli.commands;

import dev.lockstep.cli.Lockstep;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lockstep status}: not built yet. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show each mapping's connectors and tasks, snapshot progress, record counts, lag and last errors.")
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("lockstep status: not available in this build yet.");
        return Lockstep.EXIT_NOT_AVAILABLE;
    }
}
