package dev.lockstep.emulator.query;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Multi-select picklist values ({@code Red;Blue}) as sets, compared without regard to order or case. */
final class MultiPicklist {

    private MultiPicklist() {}

    /** The selected values, trimmed and lower-cased. */
    static Set<String> parts(String value) {
        Set<String> parts = new TreeSet<>();
        int start = 0;
        int n = value.length();
        for (int i = 0; i <= n; i++) {
            if (i == n || value.charAt(i) == ';') {
                String part = value.substring(start, i).trim();
                if (!part.isEmpty()) {
                    parts.add(part.toLowerCase(Locale.ROOT));
                }
                start = i + 1;
            }
        }
        return parts;
    }

    /** A canonical text for set equality: sorted, lower-cased, {@code ;}-joined. */
    static String key(String value) {
        return String.join(";", parts(value));
    }
}
