package dev.lockstep.emulator.query;

import dev.lockstep.emulator.query.Token.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits SOQL text into {@link Token}s in one pass over the characters. Date, date-time and time literals are
 * unquoted in SOQL ({@code CloseDate = 2024-01-31}), so they are recognised here by shape; a leading sign on a
 * number belongs to the number, since SOQL has no arithmetic.
 */
final class Lexer {

    private final String text;
    private final SoqlErrors errors;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int row = 1;
    private int lineStart;

    private Lexer(String text, SoqlErrors errors) {
        this.text = text;
        this.errors = errors;
    }

    static List<Token> tokenize(String text, SoqlErrors errors) {
        Lexer lexer = new Lexer(text, errors);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        int n = text.length();
        while (true) {
            skipWhitespace();
            if (pos >= n) {
                tokens.add(new Token(Kind.EOF, "<EOF>", pos, row, pos - lineStart + 1));
                return;
            }
            int start = pos;
            char c = text.charAt(pos);
            if (isIdentStart(c)) {
                while (pos < n && isIdentPart(text.charAt(pos))) {
                    pos++;
                }
                add(Kind.IDENT, start);
            } else if (isDigit(c) || ((c == '-' || c == '+') && pos + 1 < n && isDigit(text.charAt(pos + 1)))) {
                number(start);
            } else if (c == '\'') {
                string(start);
            } else {
                punctuation(start, c);
            }
        }
    }

    private void skipWhitespace() {
        int n = text.length();
        while (pos < n) {
            char c = text.charAt(pos);
            if (c == '\n') {
                row++;
                lineStart = pos + 1;
            } else if (c != ' ' && c != '\t' && c != '\r' && c != '\f') {
                return;
            }
            pos++;
        }
    }

    private void add(Kind kind, int start) {
        tokens.add(new Token(kind, text.substring(start, pos), start, row, start - lineStart + 1));
    }

    private void number(int start) {
        boolean signed = !isDigit(text.charAt(pos));
        if (signed) {
            pos++;
        }
        int digitsStart = pos;
        int digits = digitRun();
        if (!signed && digits == 4 && peek(0) == '-' && isDigit(peek(1))) {
            dateLiteral(start);
            return;
        }
        if (!signed && digits == 2 && peek(0) == ':' && isDigit(peek(1))) {
            pos = digitsStart;
            timeLiteral(start);
            return;
        }
        if (peek(0) == '.' && isDigit(peek(1))) {
            pos++;
            digitRun();
        }
        if (isIdentStart(peek(0))) {
            throw noViableAlternative(pos);
        }
        add(Kind.NUMBER, start);
    }

    /** {@code YYYY-MM-DD}, optionally followed by {@code Thh:mm:ss[.fff](Z|±hh:mm|±hhmm)}. */
    private void dateLiteral(int start) {
        expect('-');
        expectDigits(2);
        expect('-');
        expectDigits(2);
        if (peek(0) != 'T' && peek(0) != 't') {
            if (isIdentPart(peek(0))) {
                throw noViableAlternative(pos);
            }
            add(Kind.DATE, start);
            return;
        }
        pos++;
        expectDigits(2);
        expect(':');
        expectDigits(2);
        expect(':');
        expectDigits(2);
        if (peek(0) == '.') {
            pos++;
            if (digitRun() == 0) {
                throw noViableAlternative(pos);
            }
        }
        char zone = peek(0);
        if (zone == 'Z' || zone == 'z') {
            pos++;
        } else if (zone == '+' || zone == '-') {
            pos++;
            expectDigits(2);
            if (peek(0) == ':') {
                pos++;
            }
            expectDigits(2);
        } else {
            throw noViableAlternative(pos);
        }
        if (isIdentPart(peek(0))) {
            throw noViableAlternative(pos);
        }
        add(Kind.DATETIME, start);
    }

    /** {@code hh:mm:ss[.fff][Z]}. */
    private void timeLiteral(int start) {
        expectDigits(2);
        expect(':');
        expectDigits(2);
        expect(':');
        expectDigits(2);
        if (peek(0) == '.') {
            pos++;
            if (digitRun() == 0) {
                throw noViableAlternative(pos);
            }
        }
        if (peek(0) == 'Z' || peek(0) == 'z') {
            pos++;
        }
        if (isIdentPart(peek(0))) {
            throw noViableAlternative(pos);
        }
        add(Kind.TIME, start);
    }

    private void string(int start) {
        int n = text.length();
        pos++;
        int contentStart = pos;
        while (pos < n) {
            char c = text.charAt(pos);
            if (c == '\\') {
                pos += 2;
                continue;
            }
            if (c == '\n') {
                row++;
                lineStart = pos + 1;
            }
            if (c == '\'') {
                tokens.add(new Token(Kind.STRING, text.substring(contentStart, pos), start, rowOf(start),
                        columnOf(start)));
                pos++;
                return;
            }
            pos++;
        }
        pos = n;
        throw errors.at(n, row, n - lineStart + 1, SoqlErrors.MALFORMED_QUERY,
                "line " + row + ":" + (n - lineStart) + " mismatched character '<EOF>' expecting '''");
    }

    private void punctuation(int start, char c) {
        pos++;
        Kind kind;
        switch (c) {
            case '(' -> kind = Kind.LPAREN;
            case ')' -> kind = Kind.RPAREN;
            case ',' -> kind = Kind.COMMA;
            case '.' -> kind = Kind.DOT;
            case ':' -> kind = Kind.COLON;
            case '=' -> kind = Kind.EQ;
            case '!' -> {
                if (peek(0) != '=') {
                    throw noViableAlternative(start);
                }
                pos++;
                kind = Kind.NE;
            }
            case '<' -> {
                if (peek(0) == '=') {
                    pos++;
                    kind = Kind.LE;
                } else if (peek(0) == '>') {
                    pos++;
                    kind = Kind.NE;
                } else {
                    kind = Kind.LT;
                }
            }
            case '>' -> {
                if (peek(0) == '=') {
                    pos++;
                    kind = Kind.GE;
                } else {
                    kind = Kind.GT;
                }
            }
            default -> throw noViableAlternative(start);
        }
        add(kind, start);
    }

    private int digitRun() {
        int count = 0;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
            count++;
        }
        return count;
    }

    private void expectDigits(int count) {
        for (int i = 0; i < count; i++) {
            if (!isDigit(peek(0))) {
                throw noViableAlternative(pos);
            }
            pos++;
        }
    }

    private void expect(char c) {
        if (peek(0) != c) {
            throw noViableAlternative(pos);
        }
        pos++;
    }

    private char peek(int ahead) {
        int at = pos + ahead;
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private int rowOf(int offset) {
        int r = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                r++;
            }
        }
        return r;
    }

    private int columnOf(int offset) {
        int lastNewline = text.lastIndexOf('\n', offset - 1);
        return offset - lastNewline;
    }

    private RuntimeException noViableAlternative(int at) {
        int r = rowOf(at);
        int column = columnOf(at);
        String ch = at < text.length() ? String.valueOf(text.charAt(at)) : "<EOF>";
        return errors.at(at, r, column, SoqlErrors.MALFORMED_QUERY,
                "line " + r + ":" + (column - 1) + " no viable alternative at character '" + ch + "'");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }
}
