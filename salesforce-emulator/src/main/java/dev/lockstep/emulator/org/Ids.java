package dev.lockstep.emulator.org;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mints 18-character Salesforce Ids: key prefix, a two-character pod ({@value #POD}), a ten-character base-62
 * sequence, then the three-character case checksum. Deterministic: the n-th Id of a prefix is always the same,
 * so demo data and test output are reproducible.
 */
public final class Ids {

    static final String POD = "Lk";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();

    /** The next Id for objects with this key prefix. */
    public String next(String keyPrefix) {
        long n = sequences.computeIfAbsent(keyPrefix, k -> new AtomicLong()).incrementAndGet();
        return make(keyPrefix, n);
    }

    /** The last sequence number issued per key prefix, for saving the org. */
    Map<String, Long> lastIssued() {
        Map<String, Long> last = new java.util.TreeMap<>();
        sequences.forEach((prefix, n) -> last.put(prefix, n.get()));
        return last;
    }

    /** Continues each key prefix's sequence after the given numbers (and forgets other prefixes): a restored org. */
    void continueAfter(Map<String, Long> last) {
        sequences.clear();
        last.forEach((prefix, n) -> sequences.put(prefix, new AtomicLong(n)));
    }

    /** The Id with sequence number {@code n} (from 1) for {@code keyPrefix}. */
    public static String make(String keyPrefix, long n) {
        char[] seq = new char[10];
        long rest = n;
        for (int i = 9; i >= 0; i--) {
            seq[i] = BASE62.charAt((int) (rest % 62));
            rest /= 62;
        }
        String fifteen = keyPrefix + POD + new String(seq);
        return fifteen + checksum(fifteen);
    }

    /** The three-character suffix of a 15-character Id. */
    public static String checksum(String fifteen) {
        StringBuilder suffix = new StringBuilder(3);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = fifteen.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            suffix.append(SUFFIX.charAt(bits));
        }
        return suffix.toString();
    }

    /**
     * The 18-character form of a 15- or 18-character Id, or null when {@code id} is not shaped like one (wrong
     * length, characters other than letters and digits, or an 18-character Id whose suffix does not match).
     */
    public static String normalize(String id) {
        if (id == null || (id.length() != 15 && id.length() != 18)) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return null;
            }
        }
        String fifteen = id.substring(0, 15);
        String full = fifteen + checksum(fifteen);
        return id.length() == 15 || full.equalsIgnoreCase(id) ? full : null;
    }
}
