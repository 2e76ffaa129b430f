package dev.lockstep.cli.up;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Connect worker's {@code plugin.path}: the directory the CLI's build fills ({@code cli/target/plugins}, next to
 * {@code lockstep-cli.jar}) with this build's plugin archive and the Debezium JDBC sink and Postgres source plugins,
 * unpacked. System property {@value #PROPERTY} names another directory.
 */
final class PluginPath {

    static final String PROPERTY = "lockstep.plugin.path";
    static final List<String> REQUIRED = List.of("lockstep-kafka-connect-salesforce-", "debezium-connector-jdbc",
            "debezium-connector-postgres");

    private PluginPath() {
    }

    /**
     * The directory, checked to hold every plugin.
     *
     * @throws UpException naming what is missing and how to build it
     */
    static Path find() {
        String configured = System.getProperty(PROPERTY);
        Path dir = configured != null ? Path.of(configured) : besideTheCli();
        check(dir);
        return dir.toAbsolutePath().normalize();
    }

    /** {@code plugins/} in the directory holding the CLI's jar (or its classes directory). */
    private static Path besideTheCli() {
        try {
            Path code = Path.of(PluginPath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().resolve("plugins");
        } catch (URISyntaxException | RuntimeException e) {
            throw new UpException("Cannot tell where the lockstep command is installed (" + e.getMessage()
                    + "); name the plugin directory with -D" + PROPERTY + "=DIR", e);
        }
    }

    static void check(Path dir) {
        List<String> names = directories(dir);
        List<String> missing = REQUIRED.stream()
                .filter(required -> names.stream().noneMatch(name -> name.startsWith(required)))
                .toList();
        if (!missing.isEmpty()) {
            throw new UpException("The Kafka Connect plugins " + String.join(", ", missing) + " are missing from "
                    + dir + ": build them with ./lockstep (or mvn -B -DskipTests package -pl cli -am) from the "
                    + "project root.");
        }
    }

    private static List<String> directories(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
