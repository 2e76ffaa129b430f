package dev.lockstep.cli;

import dev.lockstep.cli.commands.DeployCommand;
import dev.lockstep.cli.commands.ImportHerokuConnectCommand;
import dev.lockstep.cli.commands.PlanCommand;
import dev.lockstep.cli.commands.ReconcileCommand;
import dev.lockstep.cli.commands.StatusCommand;
import dev.lockstep.cli.commands.UpCommand;
import dev.lockstep.cli.output.Style;
import dev.lockstep.common.Version;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code lockstep} command. Exit codes, the same for every command (docs/cli.md):
 * <ul>
 *   <li>{@value #EXIT_OK}: done;</li>
 *   <li>{@value #EXIT_FAILURE}: failed (invalid mapping, schema errors, a refused configuration, a system that did
 *       not answer); the message on standard error says what and how to fix it;</li>
 *   <li>{@value #EXIT_USAGE}: bad usage (unknown option, missing argument);</li>
 *   <li>{@value #EXIT_NOT_AVAILABLE}: the command is not available in this release;</li>
 *   <li>{@value #EXIT_ATTENTION}: done, but something needs attention (e.g. {@code import-heroku-connect}: not
 *       everything maps directly); the output lists what.</li>
 * </ul>
 */
@Command(name = "lockstep", mixinStandardHelpOptions = true, versionProvider = Lockstep.VersionProvider.class,
        description = "Keeps Salesforce and Postgres in sync through Kafka Connect.",
        subcommands = {UpCommand.class, DeployCommand.class, StatusCommand.class, ReconcileCommand.class,
                PlanCommand.class, ImportHerokuConnectCommand.class, CommandLine.HelpCommand.class})
public final class Lockstep implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_NOT_AVAILABLE = 3;
    public static final int EXIT_ATTENTION = 4;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Lockstep()).setExecutionExceptionHandler(new FailureHandler());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Reports a command's failure as one message on standard error and exit code {@value #EXIT_FAILURE}: the
     * exceptions commands let through carry messages written for the operator (what failed, why, what to do), so a
     * stack trace would only hide them. {@code LOCKSTEP_DEBUG=1} adds it.
     */
    static final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
            PrintWriter err = command.getErr();
            String text = e.getMessage() == null ? e.toString() : e.getMessage();
            Style style = Style.detect(command.getColorScheme().ansi().enabled());
            err.println(style.apply(Style.Tone.BAD, "lockstep " + command.getCommandName() + ": ") + text);
            if ("1".equals(System.getenv("LOCKSTEP_DEBUG"))) {
                e.printStackTrace(err);
            }
            err.flush();
            return EXIT_FAILURE;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lockstep " + Version.get()};
        }
    }
}
