package dev.lockstep.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The Lockstep release, read once from the resource the build fills in with the project version. Every connector,
 * task and transform returns it from {@code version()}, so the worker's {@code GET /connector-plugins} shows it.
 */
public final class Version {

    private static final String RESOURCE = "version.properties";
    private static final String VERSION = load();

    private Version() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + RESOURCE + " next to " + Version.class.getName()
                        + ": the jar was not built by the Lockstep build");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").trim();
            if (version.isEmpty() || version.startsWith("${")) {
                throw new IllegalStateException(RESOURCE + " holds no version: resource filtering did not run");
            }
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
