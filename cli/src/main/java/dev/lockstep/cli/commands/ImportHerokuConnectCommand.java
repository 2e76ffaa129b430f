package dev.lockstep.cli.commands;

import dev.lockstep.cli.Lockstep;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lockstep import-heroku-connect}: not built yet. */
@Command(name = "import-heroku-connect", mixinStandardHelpOptions = true, description = "Check a Heroku Connect export and report what maps directly and what needs attention.")
public final class ImportHerokuConnectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("lockstep import-heroku-connect: not available in this build yet.");
        return Lockstep.EXIT_NOT_AVAILABLE;
    }
}
