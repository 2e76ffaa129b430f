package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.Values;
import dev.lockstep.emulator.query.Token.Kind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser from SOQL tokens to an {@link Ast.Select}. It follows SOQL's grammar rather than
 * SQL's: AND and OR cannot be mixed without parentheses, NOT prefixes a condition, aliases are allowed only on
 * the object and on aggregates, and unsupported syntax fails with {@code MALFORMED_QUERY} pointing at the token.
 */
final class Parser {

    private static final Set<String> CLAUSE_KEYWORDS = Set.of("WHERE", "WITH", "GROUP", "ORDER", "LIMIT", "OFFSET",
            "FOR", "USING", "HAVING", "UPDATE", "FROM", "SELECT", "AND", "OR", "NOT", "ASC", "DESC", "NULLS");
    private static final Set<String> AGGREGATES = Set.of("COUNT", "COUNT_DISTINCT", "MAX", "MIN", "SUM", "AVG");

    private final List<Token> tokens;
    private final SoqlErrors errors;
    private int at;

    private Parser(List<Token> tokens, SoqlErrors errors) {
        this.tokens = tokens;
        this.errors = errors;
    }

    static Ast.Select parse(String soql, SoqlErrors errors) {
        Parser parser = new Parser(Lexer.tokenize(soql, errors), errors);
        Ast.Select select = parser.select();
        parser.expect(Kind.EOF);
        return select;
    }

    // ------------------------------------------------------------------------------------------------ clauses

    private Ast.Select select() {
        Token selectToken = expectKeyword("SELECT");
        List<Ast.Item> items = new ArrayList<>();
        items.add(item());
        while (peek().is(Kind.COMMA)) {
            next();
            items.add(item());
        }
        expectKeyword("FROM");
        Token object = expect(Kind.IDENT);
        String alias = null;
        if (peek().is(Kind.IDENT) && !isClauseKeyword(peek())) {
            alias = next().text();
        }
        Ast.Cond where = null;
        if (peek().isKeyword("WHERE")) {
            next();
            where = condition();
        }
        if (peek().isKeyword("WITH")) {
            next();
            Token mode = expect(Kind.IDENT);
            if (!mode.isKeyword("SECURITY_ENFORCED") && !mode.isKeyword("USER_MODE")
                    && !mode.isKeyword("SYSTEM_MODE")) {
                throw errors.unexpected(mode);
            }
        }
        List<Ast.Path> groupBy = List.of();
        if (peek().isKeyword("GROUP")) {
            next();
            expectKeyword("BY");
            groupBy = new ArrayList<>();
            groupBy.add(path());
            while (peek().is(Kind.COMMA)) {
                next();
                groupBy.add(path());
            }
        }
        List<Ast.Order> orderBy = List.of();
        if (peek().isKeyword("ORDER")) {
            next();
            expectKeyword("BY");
            orderBy = new ArrayList<>();
            orderBy.add(order());
            while (peek().is(Kind.COMMA)) {
                next();
                orderBy.add(order());
            }
        }
        Integer limit = null;
        Token limitToken = null;
        if (peek().isKeyword("LIMIT")) {
            limitToken = next();
            limit = integer();
        }
        Integer offset = null;
        Token offsetToken = null;
        if (peek().isKeyword("OFFSET")) {
            offsetToken = next();
            offset = integer();
        }
        if (peek().isKeyword("FOR")) {
            next();
            Token what = expect(Kind.IDENT);
            if (!what.isKeyword("VIEW") && !what.isKeyword("REFERENCE")) {
                throw errors.unexpected(what);
            }
        }
        return new Ast.Select(selectToken, List.copyOf(items), object, object.text(), alias, where,
                List.copyOf(groupBy), List.copyOf(orderBy), limit, limitToken, offset, offsetToken);
    }

    private Ast.Item item() {
        Token t = peek();
        if (t.is(Kind.LPAREN)) {
            next();
            if (!peek().isKeyword("SELECT")) {
                throw errors.unexpected(peek());
            }
            Ast.Select sub = select();
            expect(Kind.RPAREN);
            return new Ast.Subquery(t, sub);
        }
        if (t.is(Kind.IDENT) && peek(1).is(Kind.LPAREN)) {
            String function = t.text().toUpperCase(Locale.ROOT);
            if (function.equals("FIELDS")) {
                next();
                next();
                Token kind = expect(Kind.IDENT);
                String k = kind.text().toUpperCase(Locale.ROOT);
                if (!k.equals("ALL") && !k.equals("STANDARD") && !k.equals("CUSTOM")) {
                    throw errors.unexpected(kind);
                }
                expect(Kind.RPAREN);
                return new Ast.Fields(t, k);
            }
            if (function.equals("COUNT") && peek(2).is(Kind.RPAREN)) {
                next();
                next();
                next();
                return new Ast.CountAll(t);
            }
            if (AGGREGATES.contains(function)) {
                Ast.Aggregate aggregate = aggregate();
                String alias = null;
                if (peek().is(Kind.IDENT) && !isClauseKeyword(peek())) {
                    alias = next().text();
                }
                return new Ast.Aggregate(aggregate.token(), aggregate.function(), aggregate.path(), alias);
            }
            throw errors.unexpected(t);
        }
        if (t.isKeyword("TYPEOF")) {
            throw errors.unexpected(t);
        }
        return new Ast.FieldItem(path());
    }

    private Ast.Aggregate aggregate() {
        Token name = next();
        expect(Kind.LPAREN);
        Ast.Path path = path();
        expect(Kind.RPAREN);
        return new Ast.Aggregate(name, name.text().toUpperCase(Locale.ROOT), path, null);
    }

    private Ast.Order order() {
        Ast.Path path = null;
        Ast.Aggregate aggregate = null;
        if (peek().is(Kind.IDENT) && peek(1).is(Kind.LPAREN)
                && AGGREGATES.contains(peek().text().toUpperCase(Locale.ROOT))) {
            aggregate = aggregate();
        } else {
            path = path();
        }
        boolean descending = false;
        if (peek().isKeyword("ASC")) {
            next();
        } else if (peek().isKeyword("DESC")) {
            next();
            descending = true;
        }
        Boolean nullsFirst = null;
        if (peek().isKeyword("NULLS")) {
            next();
            Token which = expect(Kind.IDENT);
            if (which.isKeyword("FIRST")) {
                nullsFirst = Boolean.TRUE;
            } else if (which.isKeyword("LAST")) {
                nullsFirst = Boolean.FALSE;
            } else {
                throw errors.unexpected(which);
            }
        }
        return new Ast.Order(path, aggregate, descending, nullsFirst);
    }

    private Ast.Path path() {
        Token first = expect(Kind.IDENT);
        if (isClauseKeyword(first)) {
            throw errors.unexpected(first);
        }
        List<String> parts = new ArrayList<>();
        parts.add(first.text());
        while (peek().is(Kind.DOT)) {
            next();
            parts.add(expect(Kind.IDENT).text());
        }
        return new Ast.Path(List.copyOf(parts), first);
    }

    private int integer() {
        Token t = expect(Kind.NUMBER);
        if (t.text().indexOf('.') >= 0 || t.text().startsWith("-") || t.text().startsWith("+")) {
            throw errors.unexpected(t);
        }
        long value = t.text().length() > 10 ? Long.MAX_VALUE : Long.parseLong(t.text());
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    // --------------------------------------------------------------------------------------------- conditions

    private Ast.Cond condition() {
        Ast.Cond first = conditionTerm();
        Token t = peek();
        if (!t.isKeyword("AND") && !t.isKeyword("OR")) {
            return first;
        }
        boolean and = t.isKeyword("AND");
        List<Ast.Cond> parts = new ArrayList<>();
        parts.add(first);
        while (peek().isKeyword(and ? "AND" : "OR")) {
            next();
            parts.add(conditionTerm());
        }
        if (peek().isKeyword(and ? "OR" : "AND")) {
            throw errors.unexpected(peek());
        }
        return and ? new Ast.And(List.copyOf(parts)) : new Ast.Or(List.copyOf(parts));
    }

    private Ast.Cond conditionTerm() {
        Token t = peek();
        if (t.isKeyword("NOT")) {
            next();
            return new Ast.Not(conditionTerm());
        }
        if (t.is(Kind.LPAREN)) {
            next();
            Ast.Cond inner = condition();
            expect(Kind.RPAREN);
            return inner;
        }
        Ast.Path path = path();
        Token op = next();
        switch (op.kind()) {
            case EQ, NE, LT, LE, GT, GE:
                return new Ast.Compare(path, op, literal());
            case IDENT:
                break;
            default:
                throw errors.unexpected(op);
        }
        if (op.isKeyword("LIKE")) {
            return new Ast.Like(path, op, literal());
        }
        if (op.isKeyword("IN")) {
            return inTail(path, op, false);
        }
        if (op.isKeyword("NOT")) {
            Token in = next();
            if (!in.isKeyword("IN")) {
                throw errors.unexpected(in);
            }
            return inTail(path, op, true);
        }
        if (op.isKeyword("INCLUDES") || op.isKeyword("EXCLUDES")) {
            return new Ast.Includes(path, op, op.isKeyword("EXCLUDES"), literalList());
        }
        throw errors.unexpected(op);
    }

    private Ast.Cond inTail(Ast.Path path, Token op, boolean negated) {
        if (peek().is(Kind.LPAREN) && peek(1).isKeyword("SELECT")) {
            next();
            Ast.Select sub = select();
            expect(Kind.RPAREN);
            return new Ast.InSelect(path, op, negated, sub);
        }
        return new Ast.InList(path, op, negated, literalList());
    }

    private List<Ast.Literal> literalList() {
        expect(Kind.LPAREN);
        List<Ast.Literal> values = new ArrayList<>();
        values.add(literal());
        while (peek().is(Kind.COMMA)) {
            next();
            values.add(literal());
        }
        expect(Kind.RPAREN);
        return List.copyOf(values);
    }

    private Ast.Literal literal() {
        Token t = next();
        switch (t.kind()) {
            case STRING:
                return new Ast.StringLit(decode(t), t.text(), t);
            case NUMBER:
                return new Ast.NumberLit(new BigDecimal(t.text().startsWith("+") ? t.text().substring(1) : t.text()),
                        t);
            case DATE:
                try {
                    return new Ast.DateLit(LocalDate.parse(t.text()), t);
                } catch (DateTimeParseException e) {
                    throw errors.unexpected(t);
                }
            case DATETIME:
                try {
                    return new Ast.DateTimeLit(Values.parseDateTime(t.text().toUpperCase(Locale.ROOT)), t);
                } catch (IllegalArgumentException e) {
                    throw errors.unexpected(t);
                }
            case TIME:
                try {
                    String time = t.text();
                    if (time.endsWith("Z") || time.endsWith("z")) {
                        time = time.substring(0, time.length() - 1);
                    }
                    return new Ast.TimeLit(LocalTime.parse(time), t);
                } catch (DateTimeParseException e) {
                    throw errors.unexpected(t);
                }
            case IDENT:
                return keywordLiteral(t);
            default:
                throw errors.unexpected(t);
        }
    }

    private Ast.Literal keywordLiteral(Token t) {
        if (t.isKeyword("NULL")) {
            return new Ast.NullLit(t);
        }
        if (t.isKeyword("TRUE") || t.isKeyword("FALSE")) {
            return new Ast.BoolLit(t.isKeyword("TRUE"), t);
        }
        Boolean takesN = RelativeDates.takesN(t.text());
        if (takesN == null) {
            throw errors.unexpected(t);
        }
        String name = t.text().toUpperCase(Locale.ROOT);
        if (!takesN) {
            if (peek().is(Kind.COLON)) {
                throw errors.unexpected(peek());
            }
            return new Ast.RelativeDate(name, 0, t);
        }
        expect(Kind.COLON);
        return new Ast.RelativeDate(name, integer(), t);
    }

    /** The value of a string literal: {@code \n \r \t \b \f \" \' \\} and, outside LIKE, {@code \_ \%}. */
    private String decode(Token t) {
        String raw = t.text();
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = i + 1 < raw.length() ? raw.charAt(++i) : '\0';
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case '"', '\'', '\\', '_', '%' -> out.append(e);
                default -> throw errors.at(t, SoqlErrors.MALFORMED_QUERY, "Invalid string literal '" + raw
                        + "'. Illegal character sequence '\\" + e + "' in string literal.");
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static boolean isClauseKeyword(Token t) {
        return t.is(Kind.IDENT) && CLAUSE_KEYWORDS.contains(t.text().toUpperCase(Locale.ROOT));
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    private Token next() {
        Token t = tokens.get(at);
        if (!t.is(Kind.EOF)) {
            at++;
        }
        return t;
    }

    private Token expect(Kind kind) {
        Token t = peek();
        if (!t.is(kind)) {
            throw errors.unexpected(t);
        }
        return next();
    }

    private Token expectKeyword(String keyword) {
        Token t = peek();
        if (!t.isKeyword(keyword)) {
            throw errors.unexpected(t);
        }
        return next();
    }
}
