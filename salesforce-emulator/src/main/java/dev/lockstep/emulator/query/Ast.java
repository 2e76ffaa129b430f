package dev.lockstep.emulator.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * The syntax tree of a SOQL statement, exactly as written: names are not yet resolved against the schema (the
 * {@link Binder} does that), so a parsed statement can be cached and bound again after a schema change. Every
 * node keeps a token to point errors at.
 */
final class Ast {

    private Ast() {}

    /** {@code SELECT ... FROM ... [WHERE] [WITH] [GROUP BY] [ORDER BY] [LIMIT] [OFFSET]}. */
    record Select(Token selectToken, List<Item> items, Token objectToken, String from, String alias, Cond where,
            List<Path> groupBy, List<Order> orderBy, Integer limit, Token limitToken, Integer offset,
            Token offsetToken) {}

    /** One element of the field list. */
    sealed interface Item permits FieldItem, CountAll, Aggregate, Fields, Subquery {
        Token token();
    }

    /** A field or a parent path such as {@code Owner.Name}. */
    record FieldItem(Path path) implements Item {
        @Override
        public Token token() {
            return path.token();
        }
    }

    /** {@code COUNT()}: only the number of rows. */
    record CountAll(Token token) implements Item {}

    /** {@code COUNT(Id)}, {@code MAX(CreatedDate) latest}, ...; {@code function} is upper case. */
    record Aggregate(Token token, String function, Path path, String alias) implements Item {}

    /** {@code FIELDS(ALL|STANDARD|CUSTOM)}; {@code kind} is upper case. */
    record Fields(Token token, String kind) implements Item {}

    /** A child relationship subquery, {@code (SELECT Id FROM Contacts)}. */
    record Subquery(Token token, Select select) implements Item {}

    /** A dotted name as written. */
    record Path(List<String> parts, Token token) {
        String dotted() {
            return String.join(".", parts);
        }
    }

    /** An ORDER BY key: a field path, or an aggregate in an aggregate query. */
    record Order(Path path, Aggregate aggregate, boolean descending, Boolean nullsFirst) {
        Token token() {
            return path != null ? path.token() : aggregate.token();
        }
    }

    /** A WHERE condition. */
    sealed interface Cond permits And, Or, Not, Compare, InList, InSelect, Like, Includes {}

    record And(List<Cond> parts) implements Cond {}

    record Or(List<Cond> parts) implements Cond {}

    record Not(Cond inner) implements Cond {}

    /** {@code field op value} with op one of {@code = != < <= > >=}. */
    record Compare(Path path, Token operator, Literal value) implements Cond {}

    /** {@code field [NOT] IN (v1, v2, ...)}. */
    record InList(Path path, Token operator, boolean negated, List<Literal> values) implements Cond {}

    /** {@code field [NOT] IN (SELECT field FROM Object ...)}: a semi-join or anti-join. */
    record InSelect(Path path, Token operator, boolean negated, Select select) implements Cond {}

    /** {@code field LIKE 'pattern'}. */
    record Like(Path path, Token operator, Literal pattern) implements Cond {}

    /** {@code field INCLUDES|EXCLUDES ('a;b', 'c')} on a multi-select picklist. */
    record Includes(Path path, Token operator, boolean excludes, List<Literal> values) implements Cond {}

    /** A literal value. */
    sealed interface Literal permits StringLit, NumberLit, BoolLit, NullLit, DateLit, DateTimeLit, TimeLit,
            RelativeDate {
        Token token();
    }

    /** A quoted string; {@code value} has its escapes decoded, {@code raw} keeps them for LIKE. */
    record StringLit(String value, String raw, Token token) implements Literal {}

    record NumberLit(BigDecimal value, Token token) implements Literal {}

    record BoolLit(boolean value, Token token) implements Literal {}

    record NullLit(Token token) implements Literal {}

    record DateLit(LocalDate value, Token token) implements Literal {}

    record DateTimeLit(Instant value, Token token) implements Literal {}

    record TimeLit(LocalTime value, Token token) implements Literal {}

    /** {@code TODAY}, {@code LAST_N_DAYS:30}, ...; {@code name} is upper case, {@code n} is 0 when not used. */
    record RelativeDate(String name, int n, Token token) implements Literal {}
}
