package dev.lockstep.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lockstep up} run as a user runs it: a separate process started from the CLI this build made
 * ({@code cli/target/lockstep-cli.jar} and {@code cli/target/lib}), its standard output collected line by line.
 * {@link #stop()} sends SIGTERM, as Ctrl-C's shutdown does, and returns the exit code.
 */
public final class LockstepUp implements AutoCloseable {

    private static final Path CLI = Paths.get(System.getProperty("lockstep.cli.dir", "../cli/target"));

    private final Process process;
    private final Path errors;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private LockstepUp(Process process, Path errors) {
        this.process = process;
        this.errors = errors;
        this.reader = new Thread(this::read, "lockstep-up-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code lockstep up} with {@code args} in {@code workDir} (its standard error goes to a file there).
     *
     * @throws IllegalStateException when the CLI has not been built
     */
    public static LockstepUp start(Path workDir, String... args) throws IOException {
        Path jar = CLI.resolve("lockstep-cli.jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(CLI.resolve("plugins"))) {
            throw new IllegalStateException(jar.toAbsolutePath() + " (and its lib/ and plugins/) are missing: run the "
                    + "integration tests through Maven from the project root, which builds the cli module first");
        }
        List<String> command = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-cp", jar.toAbsolutePath() + java.io.File.pathSeparator + CLI.resolve("lib").toAbsolutePath() + "/*",
                "dev.lockstep.cli.Lockstep", "up"));
        command.addAll(List.of(args));
        Files.createDirectories(workDir);
        Path errors = Files.createTempFile(workDir, "lockstep-up-", ".err");
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(errors.toFile()).start();
        return new LockstepUp(process, errors);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // The process ended; what was read stays.
        }
    }

    /** Everything printed so far, and its standard error. */
    public String output() {
        String err;
        try {
            err = Files.readString(errors);
        } catch (IOException e) {
            err = "(standard error unreadable: " + e.getMessage() + ")";
        }
        synchronized (lines) {
            return String.join("\n", lines) + (err.isBlank() ? "" : "\n--- standard error ---\n" + err);
        }
    }

    /** Waits until a printed line contains {@code text}, failing early if the process ends. */
    public void awaitLine(String text, Duration bound) {
        Eventually.until("lockstep up to print \"" + text + "\"", bound, () -> {
            if (!process.isAlive() && !contains(text)) {
                throw new AssertionError("lockstep up ended with " + process.exitValue() + " before printing \""
                        + text + "\":\n" + output());
            }
            return contains(text);
        });
    }

    private boolean contains(String text) {
        synchronized (lines) {
            return lines.stream().anyMatch(line -> line.contains(text));
        }
    }

    /** The first group of {@code pattern} in the first line it matches. */
    public String find(String pattern) {
        Pattern compiled = Pattern.compile(pattern);
        synchronized (lines) {
            for (String line : lines) {
                Matcher matcher = compiled.matcher(line);
                if (matcher.find()) {
                    return matcher.group(1);
                }
            }
        }
        throw new AssertionError("No line of lockstep up's output matches " + pattern + ":\n" + output());
    }

    /** Sends SIGTERM, as the shutdown that Ctrl-C starts, and waits for the exit code. */
    public int stop(Duration bound) throws InterruptedException {
        // Through the handle: Process.destroy() would also close the pipe, and the messages about stopping with it.
        process.toHandle().destroy();
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("lockstep up did not stop within " + bound + ":\n" + output());
        }
        try {
            reader.join(bound.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    /** Kills the process if a test left it running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
