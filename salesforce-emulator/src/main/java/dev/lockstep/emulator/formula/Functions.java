package dev.lockstep.emulator.formula;

import static dev.lockstep.emulator.formula.FormulaType.BOOLEAN;
import static dev.lockstep.emulator.formula.FormulaType.DATE;
import static dev.lockstep.emulator.formula.FormulaType.DATETIME;
import static dev.lockstep.emulator.formula.FormulaType.MULTIPICKLIST;
import static dev.lockstep.emulator.formula.FormulaType.NULL;
import static dev.lockstep.emulator.formula.FormulaType.NUMBER;
import static dev.lockstep.emulator.formula.FormulaType.PICKLIST;
import static dev.lockstep.emulator.formula.FormulaType.TEXT;
import static dev.lockstep.emulator.formula.FormulaType.TIME;

import dev.lockstep.emulator.formula.Node.Call;
import dev.lockstep.emulator.formula.Node.Impl;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The operators and functions of the formula language: for each, the compile-time type rule (which refuses what
 * Salesforce refuses, with its wording) and the evaluation. Evaluation follows "treat blank fields as blanks":
 * arithmetic and most functions with a blank argument are blank; {@code &} reads blank text as empty; equality
 * reads blank text as empty and is otherwise true for two blanks and false for one; ordering comparisons with a
 * blank are blank. Booleans are three-valued: AND/OR/NOT propagate blank, and IF takes the else branch on blank.
 */
final class Functions {

    private static final MathContext MATH = MathContext.DECIMAL128;
    private static final BigDecimal MILLIS_PER_DAY = BigDecimal.valueOf(86_400_000L);
    private static final DateTimeFormatter TEXT_DATETIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT);

    private Functions() {}

    // ------------------------------------------------------------------------------------------- operators

    static Node unary(String op, int pos, Node operand) {
        String what = "operator '" + op + "'";
        expect(what, operand, NUMBER);
        if (op.equals("+")) {
            return operand;
        }
        return new Call(pos, NUMBER, strict(v -> num(v[0]).negate()), List.of(operand));
    }

    static Node binary(String op, int pos, Node left, Node right) {
        String what = "operator '" + op + "'";
        List<Node> args = List.of(left, right);
        switch (op) {
            case "+":
                return plus(what, pos, left, right);
            case "-":
                return minus(what, pos, left, right);
            case "*":
                numbers(what, left, right);
                return new Call(pos, NUMBER, strict(v -> num(v[0]).multiply(num(v[1]))), args);
            case "/":
                numbers(what, left, right);
                return new Call(pos, NUMBER, strict(v -> divide(num(v[0]), num(v[1]))), args);
            case "^":
                numbers(what, left, right);
                return new Call(pos, NUMBER, strict(v -> power(num(v[0]), num(v[1]))), args);
            case "&":
                expect(what, left, TEXT);
                expect(what, right, TEXT);
                return new Call(pos, TEXT, (a, env) -> orEmpty(a[0].eval(env)) + orEmpty(a[1].eval(env)), args);
            case "=", "==":
                comparable(what, left, right, true);
                return new Call(pos, BOOLEAN, (a, env) -> same(a[0].eval(env), a[1].eval(env), textual(a)), args);
            case "!=", "<>":
                comparable(what, left, right, true);
                return new Call(pos, BOOLEAN, (a, env) -> !same(a[0].eval(env), a[1].eval(env), textual(a)), args);
            case "<", "<=", ">", ">=":
                comparable(what, left, right, false);
                return new Call(pos, BOOLEAN, ordering(op), args);
            case "&&":
                expect(what, left, BOOLEAN);
                expect(what, right, BOOLEAN);
                return new Call(pos, BOOLEAN, Functions::and, args);
            case "||":
                expect(what, left, BOOLEAN);
                expect(what, right, BOOLEAN);
                return new Call(pos, BOOLEAN, Functions::or, args);
            default:
                throw new CompileError(pos, "Syntax error. Found '" + op + "'");
        }
    }

    private static Node plus(String what, int pos, Node left, Node right) {
        noPicklist(left);
        noPicklist(right);
        FormulaType l = left.type;
        FormulaType r = right.type;
        List<Node> args = List.of(left, right);
        if (l == TEXT || r == TEXT) {
            // Salesforce lets + join text as & does.
            expect(what, left, TEXT);
            expect(what, right, TEXT);
            return new Call(pos, TEXT, (a, env) -> orEmpty(a[0].eval(env)) + orEmpty(a[1].eval(env)), args);
        }
        FormulaType result;
        if (l == DATE || l == DATETIME || l == TIME) {
            expect(what, right, NUMBER);
            result = l;
        } else if (r == DATE || r == DATETIME || r == TIME) {
            expect(what, left, NUMBER);
            result = r;
        } else {
            numbers(what, left, right);
            result = l == NULL ? r : l;
        }
        return new Call(pos, result, strict(v -> v[0] instanceof BigDecimal n && !(v[1] instanceof BigDecimal)
                ? shift(v[1], n) : shift(v[0], num(v[1]))), args);
    }

    private static Node minus(String what, int pos, Node left, Node right) {
        noPicklist(left);
        noPicklist(right);
        FormulaType l = left.type;
        List<Node> args = List.of(left, right);
        if (l == DATE || l == DATETIME || l == TIME) {
            if (right.type == l) {
                return new Call(pos, NUMBER, strict(v -> difference(v[0], v[1])), args);
            }
            expect(what, right, NUMBER);
            return new Call(pos, l, strict(v -> shift(v[0], num(v[1]).negate())), args);
        }
        numbers(what, left, right);
        return new Call(pos, NUMBER, strict(v -> num(v[0]).subtract(num(v[1]))), args);
    }

    // ------------------------------------------------------------------------------------------- functions

    static Node call(String name, int pos, List<Node> args) {
        String fn = name.toUpperCase(Locale.ROOT);
        String what = "function '" + fn + "()'";
        switch (fn) {
            case "IF": {
                arity(what, pos, args, 3, 3);
                expect(what, args.get(0), BOOLEAN);
                FormulaType type = unify(what, args.get(1), args.get(2));
                return new Call(pos, type, (a, env) -> a[0].eval(env) == Boolean.TRUE ? a[1].eval(env)
                        : a[2].eval(env), args);
            }
            case "CASE":
                return caseOf(what, pos, args);
            case "AND":
            case "OR": {
                arity(what, pos, args, 1, Integer.MAX_VALUE);
                args.forEach(arg -> expect(what, arg, BOOLEAN));
                return new Call(pos, BOOLEAN, fn.equals("AND") ? Functions::and : Functions::or, args);
            }
            case "NOT":
                arity(what, pos, args, 1, 1);
                expect(what, args.get(0), BOOLEAN);
                return new Call(pos, BOOLEAN, strict(v -> !(Boolean) v[0]), args);
            case "ISBLANK":
                arity(what, pos, args, 1, 1);
                return new Call(pos, BOOLEAN, (a, env) -> blank(a[0].eval(env)), args);
            case "ISNULL": {
                arity(what, pos, args, 1, 1);
                // Salesforce: text is never null, so ISNULL of text is always false (ISBLANK is the test for it).
                boolean text = args.get(0).type == TEXT;
                return new Call(pos, BOOLEAN, (a, env) -> !text && a[0].eval(env) == null, args);
            }
            case "BLANKVALUE": {
                arity(what, pos, args, 2, 2);
                FormulaType type = unify(what, args.get(0), args.get(1));
                return new Call(pos, type, (a, env) -> {
                    Object v = a[0].eval(env);
                    return blank(v) ? a[1].eval(env) : v;
                }, args);
            }
            case "NULLVALUE": {
                arity(what, pos, args, 2, 2);
                FormulaType type = unify(what, args.get(0), args.get(1));
                return new Call(pos, type, (a, env) -> {
                    Object v = a[0].eval(env);
                    return v == null ? a[1].eval(env) : v;
                }, args);
            }
            case "TEXT":
                arity(what, pos, args, 1, 1);
                expect(what, args.get(0), NUMBER, DATE, DATETIME, TIME, PICKLIST);
                return new Call(pos, TEXT, strict(v -> text(v[0])), args);
            case "VALUE":
                return fn(what, pos, args, NUMBER, v -> new BigDecimal(((String) v[0]).trim()), TEXT);
            case "LEN":
                arity(what, pos, args, 1, 1);
                expect(what, args.get(0), TEXT);
                return new Call(pos, NUMBER, (a, env) -> {
                    String s = (String) a[0].eval(env);
                    return BigDecimal.valueOf(s == null ? 0 : s.codePointCount(0, s.length()));
                }, args);
            case "UPPER":
                return fn(what, pos, args, TEXT, v -> ((String) v[0]).toUpperCase(Locale.ROOT), TEXT);
            case "LOWER":
                return fn(what, pos, args, TEXT, v -> ((String) v[0]).toLowerCase(Locale.ROOT), TEXT);
            case "TRIM":
                return fn(what, pos, args, TEXT, v -> ((String) v[0]).strip(), TEXT);
            case "LEFT":
                return fn(what, pos, args, TEXT, v -> substring((String) v[0], 0, count(v[1])), TEXT, NUMBER);
            case "RIGHT":
                return fn(what, pos, args, TEXT, v -> {
                    String s = (String) v[0];
                    int length = s.codePointCount(0, s.length());
                    return substring(s, Math.max(0, length - count(v[1])), length);
                }, TEXT, NUMBER);
            case "MID":
                return fn(what, pos, args, TEXT, v -> {
                    int start = Math.max(1, count(v[1])) - 1;
                    return substring((String) v[0], start, start + count(v[2]));
                }, TEXT, NUMBER, NUMBER);
            case "CONTAINS":
            case "BEGINS": {
                arity(what, pos, args, 2, 2);
                expect(what, args.get(0), TEXT);
                expect(what, args.get(1), TEXT);
                boolean contains = fn.equals("CONTAINS");
                return new Call(pos, BOOLEAN, (a, env) -> {
                    String s = orEmpty(a[0].eval(env));
                    String part = orEmpty(a[1].eval(env));
                    return contains ? s.contains(part) : s.startsWith(part);
                }, args);
            }
            case "HYPERLINK": {
                arity(what, pos, args, 2, 3);
                args.forEach(arg -> expect(what, arg, TEXT));
                return new Call(pos, TEXT, (a, env) -> {
                    String target = a.length > 2 ? orEmpty(a[2].eval(env)) : "_blank";
                    return "<a href=\"" + orEmpty(a[0].eval(env)) + "\" target=\"" + target + "\">"
                            + orEmpty(a[1].eval(env)) + "</a>";
                }, args);
            }
            case "ROUND":
                return fn(what, pos, args, NUMBER, v -> round(num(v[0]), count(v[1])), NUMBER, NUMBER);
            case "ABS":
                return fn(what, pos, args, NUMBER, v -> num(v[0]).abs(), NUMBER);
            case "MAX":
            case "MIN": {
                arity(what, pos, args, 1, Integer.MAX_VALUE);
                args.forEach(arg -> expect(what, arg, NUMBER));
                boolean max = fn.equals("MAX");
                return new Call(pos, NUMBER, strict(v -> Arrays.stream(v).map(Functions::num)
                        .reduce((x, y) -> (x.compareTo(y) >= 0) == max ? x : y).orElseThrow()), args);
            }
            case "TODAY":
                arity(what, pos, args, 0, 0);
                return new Call(pos, DATE, (a, env) -> LocalDate.ofInstant(env.now(), ZoneOffset.UTC), args);
            case "NOW":
                arity(what, pos, args, 0, 0);
                return new Call(pos, DATETIME, (a, env) -> env.now(), args);
            case "DATE":
                return fn(what, pos, args, DATE, v -> LocalDate.of(num(v[0]).intValueExact(),
                        num(v[1]).intValueExact(), num(v[2]).intValueExact()), NUMBER, NUMBER, NUMBER);
            case "YEAR":
                return fn(what, pos, args, NUMBER, v -> BigDecimal.valueOf(((LocalDate) v[0]).getYear()), DATE);
            case "MONTH":
                return fn(what, pos, args, NUMBER, v -> BigDecimal.valueOf(((LocalDate) v[0]).getMonthValue()),
                        DATE);
            case "DAY":
                return fn(what, pos, args, NUMBER, v -> BigDecimal.valueOf(((LocalDate) v[0]).getDayOfMonth()),
                        DATE);
            case "DATEVALUE":
                arity(what, pos, args, 1, 1);
                expect(what, args.get(0), TEXT, DATETIME);
                return new Call(pos, DATE, strict(v -> v[0] instanceof Instant instant
                        ? LocalDate.ofInstant(instant, ZoneOffset.UTC) : parseDate((String) v[0])), args);
            case "DATETIMEVALUE":
                arity(what, pos, args, 1, 1);
                expect(what, args.get(0), TEXT, DATE);
                return new Call(pos, DATETIME, strict(v -> v[0] instanceof LocalDate date
                        ? date.atStartOfDay().toInstant(ZoneOffset.UTC) : parseDateTime((String) v[0])), args);
            case "ISPICKVAL": {
                arity(what, pos, args, 2, 2);
                expect(what, args.get(0), PICKLIST);
                expect(what, args.get(1), TEXT);
                return new Call(pos, BOOLEAN, (a, env) -> orEmpty(a[0].eval(env)).equals(orEmpty(a[1].eval(env))),
                        args);
            }
            case "INCLUDES": {
                arity(what, pos, args, 2, 2);
                expect(what, args.get(0), MULTIPICKLIST);
                expect(what, args.get(1), TEXT);
                return new Call(pos, BOOLEAN, (a, env) -> {
                    String selected = (String) a[0].eval(env);
                    String value = (String) a[1].eval(env);
                    return selected != null && value != null && Arrays.asList(selected.split(";")).contains(value);
                }, args);
            }
            default:
                throw new CompileError(pos, "Unknown function " + fn + ". Check spelling.");
        }
    }

    private static Node caseOf(String what, int pos, List<Node> args) {
        if (args.size() < 4 || args.size() % 2 != 0) {
            throw new CompileError(pos, "Incorrect number of parameters for " + what + ". Expected an expression,"
                    + " value and result pairs and an else result, received " + args.size());
        }
        Node subject = args.get(0);
        if (subject.type == MULTIPICKLIST) {
            throw picklistError(subject);
        }
        // A picklist is matched against text values, which is how CASE(Status__c, "New", ...) is written.
        FormulaType valueType = subject.type == PICKLIST ? TEXT : subject.type;
        Node typed = null;
        for (int i = 1; i < args.size() - 1; i += 2) {
            expect(what, args.get(i), valueType);
            typed = branch(what, typed, args.get(i + 1));
        }
        typed = branch(what, typed, args.get(args.size() - 1));
        FormulaType result = typed.type;
        boolean text = valueType == TEXT;
        return new Call(pos, result, (a, env) -> {
            Object value = a[0].eval(env);
            for (int i = 1; i < a.length - 1; i += 2) {
                if (same(value, a[i].eval(env), text)) {
                    return a[i + 1].eval(env);
                }
            }
            return a[a.length - 1].eval(env);
        }, args);
    }

    /** Folds one more CASE result into the common type; returns the node that carries it. */
    private static Node branch(String what, Node typed, Node result) {
        if (typed == null) {
            noPicklist(result);
            return result;
        }
        unify(what, typed, result);
        return typed.type == NULL ? result : typed;
    }

    // ------------------------------------------------------------------------------------------- type rules

    /** A function whose arguments have fixed types and whose value is blank when any argument is. */
    private static Node fn(String what, int pos, List<Node> args, FormulaType result, Strict body,
            FormulaType... params) {
        arity(what, pos, args, params.length, params.length);
        for (int i = 0; i < params.length; i++) {
            expect(what, args.get(i), params[i]);
        }
        return new Call(pos, result, strict(body), args);
    }

    private static void arity(String what, int pos, List<Node> args, int min, int max) {
        if (args.size() < min || args.size() > max) {
            String expected = min == max ? String.valueOf(min)
                    : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
            throw new CompileError(pos, "Incorrect number of parameters for " + what + ". Expected " + expected
                    + ", received " + args.size());
        }
    }

    private static void expect(String what, Node arg, FormulaType... allowed) {
        for (FormulaType type : allowed) {
            if (arg.type.fits(type)) {
                return;
            }
        }
        if ((arg.type == PICKLIST || arg.type == MULTIPICKLIST) && arg.fieldName() != null) {
            throw picklistError(arg);
        }
        throw new CompileError(arg.pos, "Incorrect parameter type for " + what + ". Expected "
                + Arrays.stream(allowed).map(FormulaType::label).collect(Collectors.joining(", "))
                + ", received " + arg.type.label());
    }

    private static void numbers(String what, Node left, Node right) {
        expect(what, left, NUMBER);
        expect(what, right, NUMBER);
    }

    private static void noPicklist(Node node) {
        if (node.type == PICKLIST || node.type == MULTIPICKLIST) {
            throw picklistError(node);
        }
    }

    private static CompileError picklistError(Node node) {
        return new CompileError(node.pos, "Field " + node.fieldName() + " is a picklist field. Picklist fields are"
                + " only supported in certain functions.");
    }

    private static void comparable(String what, Node left, Node right, boolean equality) {
        noPicklist(left);
        noPicklist(right);
        if (!equality && (left.type == BOOLEAN || right.type == BOOLEAN)) {
            throw new CompileError(left.type == BOOLEAN ? left.pos : right.pos, "Incorrect parameter type for "
                    + what + ". Expected Number, Text, Date, Date/Time, Time, received Boolean");
        }
        if (!right.type.fits(left.type)) {
            throw new CompileError(right.pos, "Incorrect parameter type for " + what + ". Expected "
                    + left.type.label() + ", received " + right.type.label());
        }
    }

    /** The common type of two branches (IF, CASE, BLANKVALUE): equal, or one of them the NULL literal. */
    static FormulaType unify(String what, Node a, Node b) {
        noPicklist(a);
        noPicklist(b);
        if (a.type == NULL) {
            return b.type;
        }
        if (!b.type.fits(a.type)) {
            throw new CompileError(b.pos, "Incorrect parameter type for " + what + ". Expected " + a.type.label()
                    + ", received " + b.type.label());
        }
        return a.type;
    }

    // ------------------------------------------------------------------------------------------- evaluation

    /** A body that sees evaluated arguments, none of them blank. */
    @FunctionalInterface
    private interface Strict {
        Object apply(Object[] values);
    }

    /** Evaluates every argument; blank if any is blank, else {@code body}. */
    private static Impl strict(Strict body) {
        return (args, env) -> {
            Object[] values = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                values[i] = args[i].eval(env);
                if (values[i] == null) {
                    return null;
                }
            }
            return body.apply(values);
        };
    }

    private static Object and(Node[] args, Env env) {
        boolean sawBlank = false;
        for (Node arg : args) {
            Object v = arg.eval(env);
            if (v == Boolean.FALSE) {
                return Boolean.FALSE;
            }
            sawBlank |= v == null;
        }
        return sawBlank ? null : Boolean.TRUE;
    }

    private static Object or(Node[] args, Env env) {
        boolean sawBlank = false;
        for (Node arg : args) {
            Object v = arg.eval(env);
            if (v == Boolean.TRUE) {
                return Boolean.TRUE;
            }
            sawBlank |= v == null;
        }
        return sawBlank ? null : Boolean.FALSE;
    }

    private static boolean textual(Node[] args) {
        return args[0].type == TEXT || args[1].type == TEXT;
    }

    /** Equality: blank text equals empty text; otherwise two blanks are equal and one blank is not. */
    private static boolean same(Object a, Object b, boolean text) {
        if (text) {
            return orEmpty(a).equals(orEmpty(b));
        }
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return a.equals(b);
    }

    private static Impl ordering(String op) {
        return (args, env) -> {
            boolean text = textual(args);
            Object a = args[0].eval(env);
            Object b = args[1].eval(env);
            int c;
            if (text) {
                c = orEmpty(a).compareTo(orEmpty(b));
            } else if (a == null || b == null) {
                return null;
            } else {
                c = compare(a, b);
            }
            return switch (op) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        };
    }

    @SuppressWarnings("unchecked")
    private static int compare(Object a, Object b) {
        return ((Comparable<Object>) a).compareTo(b);
    }

    static BigDecimal num(Object value) {
        return value instanceof Integer i ? BigDecimal.valueOf(i) : (BigDecimal) value;
    }

    private static String orEmpty(Object value) {
        return value == null ? "" : (String) value;
    }

    static boolean blank(Object value) {
        return value == null || (value instanceof String s && s.isEmpty());
    }

    private static BigDecimal divide(BigDecimal a, BigDecimal b) {
        if (b.signum() == 0) {
            throw new EvalError("Division by zero");
        }
        return a.divide(b, MATH);
    }

    private static BigDecimal power(BigDecimal base, BigDecimal exponent) {
        if (exponent.stripTrailingZeros().scale() <= 0) {
            int n = exponent.intValueExact();
            if (base.signum() == 0 && n < 0) {
                throw new EvalError("Division by zero");
            }
            return base.pow(n, MATH);
        }
        double result = Math.pow(base.doubleValue(), exponent.doubleValue());
        if (Double.isNaN(result) || Double.isInfinite(result)) {
            throw new EvalError("No real result for " + base + "^" + exponent);
        }
        return new BigDecimal(result, MATH);
    }

    /** A number added to a date (whole days), a date/time (days, fractions allowed) or a time (milliseconds). */
    private static Object shift(Object base, BigDecimal amount) {
        if (base instanceof BigDecimal n) {
            return n.add(amount);
        }
        if (base instanceof LocalDate date) {
            return date.plusDays(amount.setScale(0, RoundingMode.DOWN).longValueExact());
        }
        if (base instanceof Instant instant) {
            return instant.plusMillis(amount.multiply(MILLIS_PER_DAY).setScale(0, RoundingMode.HALF_UP)
                    .longValueExact());
        }
        if (base instanceof LocalTime time) {
            return time.plus(amount.setScale(0, RoundingMode.HALF_UP).longValueExact(), ChronoUnit.MILLIS);
        }
        throw new EvalError("Cannot add a number to " + base);
    }

    /** Date minus date in days; date/time minus date/time in (fractional) days; time minus time in milliseconds. */
    private static BigDecimal difference(Object a, Object b) {
        if (a instanceof LocalDate x && b instanceof LocalDate y) {
            return BigDecimal.valueOf(ChronoUnit.DAYS.between(y, x));
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return BigDecimal.valueOf(x.toEpochMilli() - y.toEpochMilli()).divide(MILLIS_PER_DAY, MATH);
        }
        if (a instanceof LocalTime x && b instanceof LocalTime y) {
            return BigDecimal.valueOf(ChronoUnit.MILLIS.between(y, x));
        }
        throw new EvalError("Cannot subtract " + b + " from " + a);
    }

    private static BigDecimal round(BigDecimal value, int digits) {
        BigDecimal rounded = value.setScale(digits, RoundingMode.HALF_UP);
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }

    /** A count argument (LEFT, MID, ROUND): whole, negative counts as 0 for lengths where the caller clamps. */
    private static int count(Object value) {
        return num(value).setScale(0, RoundingMode.DOWN).intValueExact();
    }

    /** Characters {@code [from, to)} counted in code points, so an emoji is one character as in Salesforce. */
    private static String substring(String s, int from, int to) {
        int length = s.codePointCount(0, s.length());
        int start = Math.min(Math.max(from, 0), length);
        int end = Math.min(Math.max(to, start), length);
        return s.substring(s.offsetByCodePoints(0, start), s.offsetByCodePoints(0, end));
    }

    /** TEXT(): numbers without trailing zeros, dates as ISO, date/times as {@code yyyy-MM-dd HH:mm:ssZ}. */
    private static String text(Object value) {
        if (value instanceof BigDecimal n) {
            return n.signum() == 0 ? "0" : n.stripTrailingZeros().toPlainString();
        }
        if (value instanceof Instant instant) {
            return TEXT_DATETIME.format(instant);
        }
        if (value instanceof LocalTime time) {
            return TEXT_TIME.format(time);
        }
        return value.toString();
    }

    private static LocalDate parseDate(String text) {
        String t = text.strip();
        try {
            return LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t);
        } catch (DateTimeException e) {
            throw new EvalError("Not a date: " + text);
        }
    }

    /** DATETIMEVALUE text: {@code yyyy-MM-dd HH:mm:ss} in GMT (a T separator and a trailing Z are accepted too). */
    private static Instant parseDateTime(String text) {
        String t = text.strip().replace('T', ' ');
        if (t.endsWith("Z")) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new EvalError("Not a date/time: " + text);
        }
    }
}
