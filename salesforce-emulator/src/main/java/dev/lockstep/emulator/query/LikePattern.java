package dev.lockstep.emulator.query;

import java.util.Arrays;

/**
 * A compiled SOQL LIKE pattern: {@code %} matches any run of characters, {@code _} exactly one, {@code \%} and
 * {@code \_} match themselves; matching ignores case. Common shapes (prefix, suffix, contains, exact) take a fast
 * path; the rest use a backtracking matcher that needs no allocation per row.
 */
final class LikePattern {

    private enum Shape { EXACT, PREFIX, SUFFIX, CONTAINS, GENERAL }

    private final char[] chars;
    private final boolean[] anyRun;
    private final boolean[] anyOne;
    private final Shape shape;
    private final String literal;

    private LikePattern(char[] chars, boolean[] anyRun, boolean[] anyOne) {
        this.chars = chars;
        this.anyRun = anyRun;
        this.anyOne = anyOne;
        int n = chars.length;
        int runs = 0;
        int ones = 0;
        for (int i = 0; i < n; i++) {
            runs += anyRun[i] ? 1 : 0;
            ones += anyOne[i] ? 1 : 0;
        }
        boolean leading = n > 0 && anyRun[0];
        boolean trailing = n > 1 && anyRun[n - 1];
        if (ones > 0) {
            shape = Shape.GENERAL;
        } else if (runs == 0) {
            shape = Shape.EXACT;
        } else if (runs == 1 && trailing) {
            shape = Shape.PREFIX;
        } else if (runs == 1 && leading) {
            shape = Shape.SUFFIX;
        } else if (runs == 2 && leading && trailing) {
            shape = Shape.CONTAINS;
        } else {
            shape = Shape.GENERAL;
        }
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (!anyRun[i] && !anyOne[i]) {
                plain.append(chars[i]);
            }
        }
        this.literal = plain.toString();
    }

    /**
     * Compiles the raw text of a LIKE string literal (escapes undecoded).
     *
     * @throws IllegalArgumentException on an unknown escape sequence
     */
    static LikePattern compile(String raw) {
        int n = raw.length();
        char[] chars = new char[n];
        boolean[] anyRun = new boolean[n];
        boolean[] anyOne = new boolean[n];
        int len = 0;
        for (int i = 0; i < n; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                anyRun[len] = true;
            } else if (c == '_') {
                anyOne[len] = true;
            } else if (c == '\\' && i + 1 < n) {
                char e = raw.charAt(++i);
                c = switch (e) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case '"', '\'', '\\', '_', '%' -> e;
                    default -> throw new IllegalArgumentException("\\" + e);
                };
            }
            chars[len++] = c;
        }
        return new LikePattern(Arrays.copyOf(chars, len), Arrays.copyOf(anyRun, len),
                Arrays.copyOf(anyOne, len));
    }

    boolean matches(String text) {
        int n = literal.length();
        switch (shape) {
            case EXACT:
                return text.equalsIgnoreCase(literal);
            case PREFIX:
                return text.regionMatches(true, 0, literal, 0, n);
            case SUFFIX:
                return text.length() >= n && text.regionMatches(true, text.length() - n, literal, 0, n);
            case CONTAINS:
                for (int i = 0, last = text.length() - n; i <= last; i++) {
                    if (text.regionMatches(true, i, literal, 0, n)) {
                        return true;
                    }
                }
                return false;
            default:
                return general(text);
        }
    }

    private boolean general(String text) {
        int s = 0;
        int p = 0;
        int starP = -1;
        int starS = 0;
        int n = text.length();
        int m = chars.length;
        while (s < n) {
            if (p < m && !anyRun[p] && (anyOne[p] || same(text.charAt(s), chars[p]))) {
                s++;
                p++;
            } else if (p < m && anyRun[p]) {
                starP = p++;
                starS = s;
            } else if (starP >= 0) {
                p = starP + 1;
                s = ++starS;
            } else {
                return false;
            }
        }
        while (p < m && anyRun[p]) {
            p++;
        }
        return p == m;
    }

    private static boolean same(char a, char b) {
        return a == b || Character.toUpperCase(a) == Character.toUpperCase(b)
                || Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
