package dev.lockstep.it.harness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code lockstep} command run as a user runs it: a separate JVM on the jar and library directory the cli
 * module's package phase builds ({@code cli/target/lockstep-cli.jar}, {@code cli/target/lib/}), with its own
 * environment, bounded in time. Standard output and error go to files (so a chatty command never blocks on a full
 * pipe) and are read back as UTF-8.
 */
public final class LockstepProcess {

    /** How long a command may take before the test fails. */
    public static final Duration DEFAULT_BOUND = Duration.ofMinutes(3);

    private final Map<String, String> environment = new HashMap<>();
    private final Path workDir;

    /** @param workDir where output files are kept (the test's temporary directory) */
    public LockstepProcess(Path workDir) {
        this.workDir = workDir;
    }

    /** Sets an environment variable of every command run, e.g. {@code LOCKSTEP_POSTGRES_PASSWORD}. */
    public LockstepProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /**
     * What a command did.
     *
     * @param exit its exit code
     * @param out its standard output
     * @param err its standard error
     */
    public record Result(int exit, String out, String err) {

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code lockstep <args>} within {@link #DEFAULT_BOUND}. */
    public Result run(String... args) throws IOException, InterruptedException {
        return run(DEFAULT_BOUND, args);
    }

    /**
     * Runs {@code lockstep <args>}; a command still running after {@code bound} is killed and fails the test with
     * what it printed so far.
     */
    public Result run(Duration bound, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dfile.encoding=UTF-8");
        command.add("-Dsun.stdout.encoding=UTF-8");
        command.add("-Dsun.stderr.encoding=UTF-8");
        command.add("-cp");
        command.add(classPath());
        command.add("dev.lockstep.cli.Lockstep");
        command.addAll(List.of(args));

        Path out = Files.createTempFile(workDir, "lockstep-", ".out");
        Path err = Files.createTempFile(workDir, "lockstep-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("lockstep " + String.join(" ", args) + " still ran after " + bound + ":\n"
                    + new Result(-1, read(out), read(err)));
        }
        return new Result(process.exitValue(), read(out), read(err));
    }

    /** The jar and every jar of the library directory, as the launcher script gives them. */
    private static String classPath() {
        Path cli = Paths.get(System.getProperty("lockstep.cli.dir", "../cli/target")).toAbsolutePath().normalize();
        Path jar = cli.resolve("lockstep-cli.jar");
        Path lib = cli.resolve("lib");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
            throw new IllegalStateException("No built command line at " + cli + " (lockstep-cli.jar and lib/): "
                    + "run the integration tests through Maven (mvn verify), which packages the cli module first");
        }
        return jar + File.pathSeparator + lib + File.separator + "*";
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
