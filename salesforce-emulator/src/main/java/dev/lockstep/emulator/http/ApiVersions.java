package dev.lockstep.emulator.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The REST API versions the emulator serves, 50.0 (Winter '21) to 64.0 (Summer '25), with their release labels. */
public final class ApiVersions {

    public static final int OLDEST = 50;
    public static final int NEWEST = 64;

    private static final Pattern VERSION_SEGMENT = Pattern.compile("v(\\d+)\\.0");
    private static final String[] SEASONS = {"Winter", "Spring", "Summer"};

    private ApiVersions() {}

    /** One entry per version, oldest first, as {@code GET /services/data} lists them. */
    public record Entry(String label, String url, String version) {}

    public static List<Entry> all() {
        List<Entry> entries = new ArrayList<>();
        for (int major = OLDEST; major <= NEWEST; major++) {
            entries.add(new Entry(label(major), "/services/data/v" + major + ".0", major + ".0"));
        }
        return entries;
    }

    /** Salesforce ships three releases a year; v50.0 was Winter '21. */
    public static String label(int major) {
        int sinceWinter21 = major - OLDEST;
        return SEASONS[sinceWinter21 % 3] + " '" + (21 + sinceWinter21 / 3);
    }

    /** The major version named by a path segment such as {@code v61.0}, if the emulator serves it. */
    public static Optional<Integer> parseSegment(String segment) {
        Matcher m = VERSION_SEGMENT.matcher(segment);
        if (!m.matches()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        return major >= OLDEST && major <= NEWEST ? Optional.of(major) : Optional.empty();
    }
}
