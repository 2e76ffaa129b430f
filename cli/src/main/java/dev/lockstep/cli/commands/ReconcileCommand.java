package dev.lockstep.cli.commands;

import dev.lockstep.cli.Lockstep;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lockstep reconcile}: not built yet. */
@Command(name = "reconcile", mixinStandardHelpOptions = true, description = "Compare Salesforce and Postgres record by record and report every difference.")
public final class ReconcileCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("lockstep reconcile: not available in this build yet.");
        return Lockstep.EXIT_NOT_AVAILABLE;
    }
}
