package dev.lockstep.emulator.formula;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits formula text into tokens. Identifiers keep their dots ({@code Account.Owner.Alias} is one token) because a
 * relationship path is resolved as a whole. Comments are {@code /* ... *}{@code /}, as in Salesforce's editor.
 */
final class Lexer {

    enum Kind { NUMBER, STRING, IDENT, OP, LPAREN, RPAREN, COMMA, END }

    /** A token and its 0-based offset in the formula; {@code value} is the parsed literal for numbers and strings. */
    record Token(Kind kind, String text, int pos, Object value) {

        boolean is(String op) {
            return kind == Kind.OP && text.equals(op);
        }
    }

    private final String src;
    private int i;

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String src) {
        return new Lexer(src).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (i >= src.length()) {
                tokens.add(new Token(Kind.END, "", i, null));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipBlanks() {
        while (i < src.length()) {
            char c = src.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '/' && i + 1 < src.length() && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new CompileError(i, "Syntax error. Missing '*/'");
                }
                i = end + 2;
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = i;
        char c = src.charAt(i);
        if (Character.isDigit(c) || (c == '.' && i + 1 < src.length() && Character.isDigit(src.charAt(i + 1)))) {
            return number(start);
        }
        if (c == '\'' || c == '"') {
            return string(start, c);
        }
        if (Character.isLetter(c) || c == '_' || c == '$') {
            return identifier(start);
        }
        switch (c) {
            case '(':
                i++;
                return new Token(Kind.LPAREN, "(", start, null);
            case ')':
                i++;
                return new Token(Kind.RPAREN, ")", start, null);
            case ',':
                i++;
                return new Token(Kind.COMMA, ",", start, null);
            default:
                break;
        }
        for (String op : new String[] {"==", "!=", "<>", "<=", ">=", "&&", "||"}) {
            if (src.startsWith(op, i)) {
                i += 2;
                return new Token(Kind.OP, op, start, null);
            }
        }
        if ("+-*/^&=<>".indexOf(c) >= 0) {
            i++;
            return new Token(Kind.OP, String.valueOf(c), start, null);
        }
        throw new CompileError(start, "Syntax error. Found '" + c + "'");
    }

    private Token number(int start) {
        while (i < src.length() && Character.isDigit(src.charAt(i))) {
            i++;
        }
        if (i < src.length() && src.charAt(i) == '.') {
            i++;
            while (i < src.length() && Character.isDigit(src.charAt(i))) {
                i++;
            }
        }
        String text = src.substring(start, i);
        return new Token(Kind.NUMBER, text, start, new BigDecimal(text));
    }

    private Token string(int start, char quote) {
        StringBuilder value = new StringBuilder();
        i++;
        while (i < src.length()) {
            char c = src.charAt(i++);
            if (c == quote) {
                return new Token(Kind.STRING, src.substring(start, i), start, value.toString());
            }
            if (c == '\\' && i < src.length()) {
                char escaped = src.charAt(i++);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> escaped;
                });
            } else {
                value.append(c);
            }
        }
        throw new CompileError(start, "Syntax error. Missing " + quote);
    }

    private Token identifier(int start) {
        i++;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '_') {
                i++;
            } else if (c == '.' && i + 1 < src.length()
                    && (Character.isLetter(src.charAt(i + 1)) || src.charAt(i + 1) == '_')) {
                i++;
            } else {
                break;
            }
        }
        return new Token(Kind.IDENT, src.substring(start, i), start, null);
    }
}
