package dev.lockstep.salesforce.client;

import java.util.Objects;

/**
 * A Salesforce record Id in its 18-character, case-insensitive form.
 *
 * <p>Salesforce shows 15-character case-sensitive Ids in its UI and returns 18-character Ids from its APIs: the
 * last three characters encode, for each five-character chunk, which letters are upper case. Postgres columns
 * ({@code sfid varchar(18)}) and Kafka keys always hold the 18-character form, so that an Id typed by a person and
 * the same Id returned by the API compare equal.
 */
public final class SalesforceId implements Comparable<SalesforceId> {

    private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private final String value;

    private SalesforceId(String value) {
        this.value = value;
    }

    /**
     * Parses a 15- or 18-character Id.
     *
     * @throws IllegalArgumentException naming the value when it is not a Salesforce Id, or when an 18-character Id's
     *     checksum does not match its first 15 characters
     */
    public static SalesforceId parse(String id) {
        Objects.requireNonNull(id, "id");
        if (id.length() != 15 && id.length() != 18) {
            throw new IllegalArgumentException(
                    "Not a Salesforce Id: '" + id + "' has " + id.length() + " characters, expected 15 or 18");
        }
        for (int i = 0; i < id.length(); i++) {
            if (!isAsciiLetterOrDigit(id.charAt(i))) {
                throw new IllegalArgumentException(
                        "Not a Salesforce Id: '" + id + "' has '" + id.charAt(i) + "' at position " + i
                                + ", expected only letters and digits");
            }
        }
        String base = id.substring(0, 15);
        String expected = base + checksum(base);
        if (id.length() == 18 && !expected.equalsIgnoreCase(id)) {
            throw new IllegalArgumentException(
                    "Not a Salesforce Id: '" + id + "' has checksum '" + id.substring(15)
                            + "', expected '" + expected.substring(15) + "' for '" + base + "'");
        }
        return new SalesforceId(expected);
    }

    /** Whether {@code id} is a well-formed 15- or 18-character Id with a matching checksum. */
    public static boolean isValid(String id) {
        try {
            parse(id);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    /** The three-character suffix that turns a case-sensitive 15-character Id into its 18-character form. */
    static String checksum(String fifteen) {
        StringBuilder suffix = new StringBuilder(3);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = fifteen.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            suffix.append(SUFFIX_ALPHABET.charAt(bits));
        }
        return suffix.toString();
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** The three-character key prefix naming the object type, e.g. {@code 001} for Account. */
    public String keyPrefix() {
        return value.substring(0, 3);
    }

    /** The case-sensitive 15-character form. */
    public String toFifteen() {
        return value.substring(0, 15);
    }

    /** The 18-character form. */
    @Override
    public String toString() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SalesforceId other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public int compareTo(SalesforceId other) {
        return value.compareTo(other.value);
    }
}
