package dev.lockstep.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * jsforce, the most used Salesforce client for JavaScript, run unchanged against an emulator: the Node project
 * in {@code src/test/node/jsforce} (pinned by its {@code package-lock.json}) is copied under {@code target/},
 * installed with {@code npm ci} when its lock changed, and its {@code fidelity.mjs} must exit 0. Needs {@code node}
 * (18 or later) and {@code npm} on the PATH.
 */
class JsforceFidelityIT {

    private static final List<String> PROJECT_FILES = List.of("package.json", "package-lock.json", ".npmrc",
            "fidelity.mjs");
    private static final String MARKER = ".lockstep-installed";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    private static final String INSTALL_HINT = "install them (Debian/Ubuntu: 'apt-get install nodejs npm'; "
            + "elsewhere https://nodejs.org), or skip the integration tests with -DskipITs";

    @Test
    void jsforceWorksAgainstTheEmulatorUnchanged() throws Exception {
        Path source = Paths.get(System.getProperty("lockstep.jsforce.source", "src/test/node/jsforce"));
        Path work = Paths.get(System.getProperty("lockstep.jsforce.work", "target/jsforce"));
        assertThat(source.resolve("fidelity.mjs")).exists();
        Path node = executable("node");
        Path npm = executable("npm");
        String lock = copyProject(source, work);
        String version = run(work, Duration.ofSeconds(30), node.toString(), "--version").output.strip();
        Matcher major = Pattern.compile("v(\\d+)\\..*").matcher(version);
        if (!major.matches() || Integer.parseInt(major.group(1)) < 18) {
            fail(node + " is " + version + "; jsforce 3.9 needs Node.js 18 or later (" + INSTALL_HINT + ")");
        }

        Path marker = work.resolve("node_modules").resolve(MARKER);
        if (!Files.isRegularFile(marker) || !Files.readString(marker).equals(lock)) {
            Result install = run(work, INSTALL_TIMEOUT, npm.toString(), "ci", "--no-audit", "--no-fund",
                    "--ignore-scripts", "--prefer-offline");
            if (install.exitCode != 0) {
                fail("npm ci failed in " + work.toAbsolutePath() + " (exit " + install.exitCode + "):\n"
                        + install.output);
            }
            Files.writeString(marker, lock);
        }

        try (Emulator emulator = Emulator.start(EmulatorConfig.defaults())) {
            Result result = run(work, RUN_TIMEOUT, node.toString(), "fidelity.mjs", emulator.baseUri().toString());
            if (result.exitCode != 0) {
                fail("jsforce fidelity script failed (exit " + result.exitCode + "):\n" + result.output);
            }
            System.out.println(result.output);
            assertThat(result.output).contains(" passed, 0 failed");
        }
    }

    /** Copies the Node project's own files (not its node_modules); returns a digest of what pins the install. */
    private static String copyProject(Path source, Path work) throws IOException, NoSuchAlgorithmException {
        Files.createDirectories(work);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String name : PROJECT_FILES) {
            Path from = source.resolve(name);
            Files.copy(from, work.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            if (!name.equals("fidelity.mjs")) {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update(Files.readAllBytes(from));
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A program on the PATH, or a failure that says how to get it. */
    private static Path executable(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        List<String> names = windows ? List.of(name + ".cmd", name + ".exe") : List.of(name);
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            for (String candidate : names) {
                Path file = Paths.get(dir, candidate);
                if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                    return file;
                }
            }
        }
        return fail("'" + name + "' is not on the PATH. This test runs jsforce on Node.js 18 or later with npm: "
                + INSTALL_HINT);
    }

    private record Result(int exitCode, String output) {}

    /** Runs a command with a bounded wait; its output (stdout and stderr) goes through a file, so it never blocks. */
    private static Result run(Path dir, Duration timeout, String... command) throws IOException,
            InterruptedException {
        Path log = Files.createTempFile(dir, "run", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("NO_UPDATE_NOTIFIER", "1");
            builder.environment().put("npm_config_update_notifier", "false");
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return fail(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s:\n"
                        + read(log));
            }
            return new Result(process.exitValue(), read(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
