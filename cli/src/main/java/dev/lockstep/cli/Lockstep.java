package dev.lockstep.cli;

import dev.lockstep.cli.commands.DeployCommand;
import dev.lockstep.cli.commands.ImportHerokuConnectCommand;
import dev.lockstep.cli.commands.PlanCommand;
import dev.lockstep.cli.commands.ReconcileCommand;
import dev.lockstep.cli.commands.StatusCommand;
import dev.lockstep.cli.commands.UpCommand;
import dev.lockstep.common.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code lockstep} command. Exit codes: 0 success, 1 failure, 2 bad usage, 3 the command is not available in
 * this release.
 */
@Command(name = "lockstep", mixinStandardHelpOptions = true, versionProvider = Lockstep.VersionProvider.class,
        description = "Keeps Salesforce and Postgres in sync through Kafka Connect.",
        subcommands = {UpCommand.class, DeployCommand.class, StatusCommand.class, ReconcileCommand.class,
                PlanCommand.class, ImportHerokuConnectCommand.class, CommandLine.HelpCommand.class})
public final class Lockstep implements Runnable {

    public static final int EXIT_NOT_AVAILABLE = 3;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Lockstep());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lockstep " + Version.get()};
        }
    }
}
