package dev.lockstep.emulator.query;

/**
 * One token of SOQL text, with where it starts so that errors can point at it as Salesforce does
 * ({@code ERROR at Row:1:Column:16}). For {@link Kind#STRING} {@code text} is the raw content between the quotes,
 * escapes not yet decoded, because LIKE patterns decode {@code \%} and {@code \_} differently.
 */
record Token(Kind kind, String text, int start, int row, int column) {

    /** Token kinds; keywords are {@link #IDENT}s, recognised by the parser where it expects them. */
    enum Kind {
        IDENT, STRING, NUMBER, DATE, DATETIME, TIME, LPAREN, RPAREN, COMMA, DOT, COLON, EQ, NE, LT, LE, GT, GE, EOF
    }

    boolean is(Kind k) {
        return kind == k;
    }

    /** An identifier spelled {@code keyword}, ignoring case. */
    boolean isKeyword(String keyword) {
        return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
    }

    /** The token as Salesforce quotes it in {@code unexpected token: '...'}. */
    String display() {
        return kind == Kind.STRING ? "'" + text + "'" : text;
    }
}
