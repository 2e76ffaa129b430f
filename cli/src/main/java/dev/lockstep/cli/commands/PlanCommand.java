package dev.lockstep.cli.commands;

import dev.lockstep.cli.Lockstep;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lockstep plan}: not built yet. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Show the objects' dependency graph and the order a snapshot loads them in.")
public final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("lockstep plan: not available in this build yet.");
        return Lockstep.EXIT_NOT_AVAILABLE;
    }
}
