package dev.lockstep.cli.commands;

import dev.lockstep.cli.up.Database;
import dev.lockstep.cli.up.LocalStack;
import dev.lockstep.cli.up.UpException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep up}: the whole sync on one machine, in this process ({@link LocalStack}), until Ctrl-C.
 *
 * <p>Stopping: Ctrl-C (SIGINT), SIGTERM or closing the terminal start the JVM's shutdown, whose hook stops the parts
 * in reverse order, each within a time-out, and then ends the process with 0 when all stopped cleanly, 1 otherwise
 * (the JVM would otherwise report the signal). A failure while starting stops what had started and exits 1.
 */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Run the sync on this machine, in this process: a Kafka broker (KRaft), a Kafka Connect worker with the "
                    + "Lockstep and Debezium plugins, a private Postgres and the Salesforce emulator with a demo "
                    + "org; deploy a mapping, show the snapshot's progress, then the sync live.",
            "",
            "Everything keeps its state in the state directory: Ctrl-C stops it all, and the next run resumes "
                    + "from where it stopped."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly (Ctrl-C or SIGTERM)", "1:could not start, or did not stop cleanly",
            "2:bad usage"})
public final class UpCommand implements Callable<Integer> {

    static final String DEFAULT_STATE_DIR = ".lockstep/up";
    static final int DEFAULT_CONNECT_PORT = 8083;

    @Spec
    CommandSpec spec;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = DEFAULT_STATE_DIR,
            description = "Where Kafka, Connect's offsets, Postgres and the emulator's org are kept between runs "
                    + "(default: ${DEFAULT-VALUE}, under the current directory).")
    Path stateDir;

    @Option(names = "--connect-port", paramLabel = "PORT", defaultValue = "" + DEFAULT_CONNECT_PORT,
            description = "The Kafka Connect REST API's port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int connectPort;

    @Option(names = "--mapping", paramLabel = "FILE",
            description = "The mapping file to deploy, in Heroku Connect's export format (see docs/mapping-files.md)."
                    + " Default: a demo mapping of Account, Contact and Opportunity.")
    Path mapping;

    @ArgGroup(exclusive = false, multiplicity = "0..1",
            heading = "Postgres (default: a private server, data in the state directory):%n")
    PostgresOptions postgres;

    @Mixin
    SalesforceOptions salesforce;

    @Option(names = "--demo-records", paramLabel = "N", defaultValue = "1000",
            description = "Records of each demo object (Account, Contact, Opportunity) in a new demo org "
                    + "(default: ${DEFAULT-VALUE}). Used on the first run only: later runs restore the saved org.")
    int demoRecords;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalStack stack = new LocalStack(settings(), out, isTerminal());
        try {
            stack.open();
        } catch (UpException e) {
            err.println("lockstep up: " + e.getMessage());
            err.flush();
            return 1;
        }
        Thread hook = new Thread(() -> {
            boolean clean = stack.stop("lockstep up: stopping...");
            out.println(clean
                    ? "lockstep up: stopped cleanly; the state is kept in " + stack.stateDir()
                    : "lockstep up: stopped, but not every part stopped cleanly (see above; details in "
                            + stack.logFile() + ")");
            out.flush();
            err.flush();
            Runtime.getRuntime().halt(clean ? 0 : 1);
        }, "lockstep-up-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stack.start();
            stack.watch();
        } catch (Exception e) {
            if (!stack.stopping() && removed(hook)) {
                LoggerFactory.getLogger(UpCommand.class).error("lockstep up failed", e);
                err.println("lockstep up: " + (e instanceof UpException ? e.getMessage()
                        : e + " (details in " + stack.logFile() + ")"));
                err.flush();
                stack.stop("lockstep up: stopping what had started...");
                return 1;
            }
        }
        // Stopping has begun: the shutdown hook stops everything and ends the process with the exit code.
        awaitHalt();
        return 1;
    }

    /** What to run, from the options; a {@link ParameterException} (exit 2) for values that cannot work. */
    LocalStack.Settings settings() {
        if (connectPort < 1 || connectPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--connect-port must be a port from 1 to 65535, not "
                    + connectPort);
        }
        if (demoRecords < 1) {
            throw new ParameterException(spec.commandLine(), "--demo-records must be at least 1, not "
                    + demoRecords);
        }
        if (mapping != null && !Files.isReadable(mapping)) {
            throw new ParameterException(spec.commandLine(), "--mapping " + mapping + ": no such readable file");
        }
        Database database = postgres == null ? null
                : new Database(postgres.url(), postgres.user(), postgres.password());
        Map<String, String> org = null;
        String orgName = null;
        if (salesforce.file != null || System.getenv(SalesforceOptions.ENV) != null
                && !System.getenv(SalesforceOptions.ENV).isBlank()) {
            org = salesforce.properties();
            orgName = salesforce.file != null ? salesforce.file.toString()
                    : System.getenv(SalesforceOptions.ENV) + " ($" + SalesforceOptions.ENV + ")";
        }
        return new LocalStack.Settings(stateDir, connectPort, mapping, database, org, orgName, demoRecords);
    }

    /** A terminal that can redraw lines: standard input and output are a console, and TERM is not dumb. */
    private static boolean isTerminal() {
        return System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    private static boolean removed(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }

    private static void awaitHalt() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
