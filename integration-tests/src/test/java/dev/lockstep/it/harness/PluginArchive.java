package dev.lockstep.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The plugin archive this build made ({@code plugin/target/lockstep-kafka-connect-salesforce-<version>.zip}),
 * read and unpacked exactly as an operator would, so that a packaging mistake fails the integration tests.
 */
public final class PluginArchive {

    /** The service interfaces through which a Connect worker discovers plugins with {@code service_load}. */
    public static final List<String> PLUGIN_SERVICE_INTERFACES = List.of(
            "org.apache.kafka.connect.source.SourceConnector",
            "org.apache.kafka.connect.sink.SinkConnector",
            "org.apache.kafka.connect.transforms.Transformation",
            "org.apache.kafka.connect.transforms.predicates.Predicate",
            "org.apache.kafka.connect.storage.Converter",
            "org.apache.kafka.connect.storage.HeaderConverter",
            "org.apache.kafka.common.config.provider.ConfigProvider",
            "org.apache.kafka.connect.rest.ConnectRestExtension",
            "org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy");

    private PluginArchive() {}

    /** The archive file, named by the build in system property {@code lockstep.plugin.archive}. */
    public static Path path() {
        String configured = System.getProperty("lockstep.plugin.archive");
        if (configured == null) {
            throw new IllegalStateException("System property lockstep.plugin.archive is not set: run the integration "
                    + "tests through Maven from the project root (mvn verify), which builds the archive first");
        }
        Path archive = Paths.get(configured);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("The plugin archive " + archive + " does not exist: run mvn verify from "
                    + "the project root so that the plugin module builds it before the integration tests");
        }
        return archive;
    }

    /** Unzips the archive into {@code directory}, which becomes a {@code plugin.path} entry. */
    public static void unpackTo(Path directory) {
        try (ZipFile zip = new ZipFile(path().toFile())) {
            Files.createDirectories(directory);
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = directory.resolve(entry.getName()).normalize();
                if (!target.startsWith(directory)) {
                    throw new IllegalStateException("Archive entry " + entry.getName() + " escapes its directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + path(), e);
        }
    }

    /** The entry names of the archive, e.g. {@code lockstep-kafka-connect-salesforce-0.1.0/lib/transforms-0.1.0.jar}. */
    public static List<String> entryNames() {
        try (ZipFile zip = new ZipFile(path().toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of one entry of the archive. */
    public static String read(String entryName) {
        try (ZipFile zip = new ZipFile(path().toFile())) {
            ZipEntry entry = zip.getEntry(entryName);
            if (entry == null) {
                throw new IllegalArgumentException(path() + " has no entry " + entryName);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every plugin class the jars under {@code lib/} declare in {@code META-INF/services}, by service interface.
     */
    public static Map<String, TreeSet<String>> declaredPlugins() {
        Map<String, TreeSet<String>> declared = new TreeMap<>();
        try (ZipFile zip = new ZipFile(path().toFile())) {
            for (ZipEntry jar : zip.stream().filter(e -> e.getName().endsWith(".jar")).toList()) {
                try (JarInputStream in = new JarInputStream(zip.getInputStream(jar))) {
                    for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                        String service = entry.getName().replace("META-INF/services/", "");
                        if (entry.getName().startsWith("META-INF/services/")
                                && PLUGIN_SERVICE_INTERFACES.contains(service)) {
                            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                                    .map(line -> line.replaceAll("#.*", "").trim())
                                    .filter(line -> !line.isEmpty())
                                    .forEach(c -> declared.computeIfAbsent(service, k -> new TreeSet<>()).add(c));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return declared;
    }
}
