package dev.lockstep.emulator.formula;

import dev.lockstep.emulator.formula.Lexer.Kind;
import dev.lockstep.emulator.formula.Lexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser that type-checks as it builds. Precedence, loosest first: {@code ||}, {@code &&},
 * {@code = == != <>}, {@code < <= > >=}, {@code &}, {@code + -}, {@code * /}, unary {@code + -}, {@code ^}.
 * Salesforce has no date literals ({@code 2024-01-31} is arithmetic); dates come from DATE() or DATEVALUE().
 */
final class Parser {

    /** Resolves a field name or relationship path ({@code Account.Name}) at {@code pos} to a node. */
    @FunctionalInterface
    interface FieldResolver {
        Node field(String path, int pos);
    }

    private final List<Token> tokens;
    private final FieldResolver fields;
    private int at;

    private Parser(List<Token> tokens, FieldResolver fields) {
        this.tokens = tokens;
        this.fields = fields;
    }

    /** The typed tree of {@code formula}, or {@link CompileError}. */
    static Node parse(String formula, FieldResolver fields) {
        Parser parser = new Parser(Lexer.tokenize(formula), fields);
        if (parser.peek().kind() == Kind.END) {
            throw new CompileError(0, "Syntax error. The formula is empty");
        }
        Node root = parser.or();
        Token rest = parser.peek();
        if (rest.kind() != Kind.END) {
            throw new CompileError(rest.pos(), rest.kind() == Kind.RPAREN ? "Syntax error. Extra ')'"
                    : "Syntax error. Found '" + rest.text() + "'");
        }
        return root;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token take() {
        return tokens.get(at++);
    }

    private boolean atOp(String... ops) {
        for (String op : ops) {
            if (peek().is(op)) {
                return true;
            }
        }
        return false;
    }

    private Node or() {
        Node left = and();
        while (atOp("||")) {
            Token op = take();
            left = Functions.binary(op.text(), op.pos(), left, and());
        }
        return left;
    }

    private Node and() {
        Node left = equality();
        while (atOp("&&")) {
            Token op = take();
            left = Functions.binary(op.text(), op.pos(), left, equality());
        }
        return left;
    }

    private Node equality() {
        Node left = relation();
        while (atOp("=", "==", "!=", "<>")) {
            Token op = take();
            left = Functions.binary(op.text(), op.pos(), left, relation());
        }
        return left;
    }

    private Node relation() {
        Node left = concatenation();
        while (atOp("<", "<=", ">", ">=")) {
            Token op = take();
            left = Functions.binary(op.text(), op.pos(), left, concatenation());
        }
        return left;
    }

    private Node concatenation() {
        Node left = additive();
        while (atOp("&")) {
            Token op = take();
            left = Functions.binary(op.text(), op.pos(), left, additive());
        }
        return left;
    }

    private Node additive() {
        Node left = multiplicative();
        while (atOp("+", "-")) {
            Token op = take();
            left = Functions.binary(op.text(), op.pos(), left, multiplicative());
        }
        return left;
    }

    private Node multiplicative() {
        Node left = unary();
        while (atOp("*", "/")) {
            Token op = take();
            left = Functions.binary(op.text(), op.pos(), left, unary());
        }
        return left;
    }

    private Node unary() {
        if (atOp("-", "+")) {
            Token op = take();
            return Functions.unary(op.text(), op.pos(), unary());
        }
        return power();
    }

    private Node power() {
        Node base = primary();
        if (atOp("^")) {
            Token op = take();
            // Right-associative, and the exponent may carry its own sign: 2^-1.
            return Functions.binary("^", op.pos(), base, unary());
        }
        return base;
    }

    private Node primary() {
        Token token = take();
        switch (token.kind()) {
            case NUMBER:
                return new Node.Literal(token.pos(), FormulaType.NUMBER, token.value());
            case STRING:
                return new Node.Literal(token.pos(), FormulaType.TEXT, token.value());
            case LPAREN: {
                Node inner = or();
                expect(Kind.RPAREN, "Syntax error. Missing ')'");
                return inner;
            }
            case IDENT:
                return identifier(token);
            case END:
                throw new CompileError(token.pos(), "Syntax error. Missing an operand at the end of the formula");
            default:
                throw new CompileError(token.pos(), "Syntax error. Found '" + token.text() + "'");
        }
    }

    private Node identifier(Token token) {
        String name = token.text();
        if (peek().kind() == Kind.LPAREN) {
            take();
            List<Node> args = new ArrayList<>();
            if (peek().kind() != Kind.RPAREN) {
                do {
                    if (peek().kind() == Kind.COMMA || peek().kind() == Kind.RPAREN) {
                        throw new CompileError(peek().pos(), "Syntax error. Extra ','");
                    }
                    args.add(or());
                } while (peek().kind() == Kind.COMMA && take() != null);
            }
            expect(Kind.RPAREN, "Syntax error. Missing ')'");
            return Functions.call(name, token.pos(), args);
        }
        switch (name.toUpperCase(Locale.ROOT)) {
            case "TRUE":
                return new Node.Literal(token.pos(), FormulaType.BOOLEAN, Boolean.TRUE);
            case "FALSE":
                return new Node.Literal(token.pos(), FormulaType.BOOLEAN, Boolean.FALSE);
            case "NULL":
                return new Node.Literal(token.pos(), FormulaType.NULL, null);
            default:
                if (name.startsWith("$")) {
                    throw new CompileError(token.pos(), "Global variable " + name
                            + " is not supported by the emulator");
                }
                return fields.field(name, token.pos());
        }
    }

    private void expect(Kind kind, String message) {
        Token token = peek();
        if (token.kind() != kind) {
            throw new CompileError(token.pos(), message);
        }
        take();
    }
}
