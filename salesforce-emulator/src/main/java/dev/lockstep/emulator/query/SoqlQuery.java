package dev.lockstep.emulator.query;

/**
 * A parsed SOQL statement, not yet bound to a schema (binding happens on every run, so a cached statement follows
 * schema changes). Obtain one from {@link Soql#parse}; the accessors let an API refuse features it does not
 * support before running the query (Bulk API 2.0 rejects aggregates, child subqueries, OFFSET and FIELDS()).
 */
public final class SoqlQuery {

    private final String text;
    private final Ast.Select select;
    private final SoqlErrors errors;

    SoqlQuery(String text, Ast.Select select, SoqlErrors errors) {
        this.text = text;
        this.select = select;
        this.errors = errors;
    }

    /** The statement as written. */
    public String text() {
        return text;
    }

    /** The object in FROM, as written (describe's spelling comes with the results). */
    public String objectName() {
        return select.from();
    }

    /** {@code SELECT COUNT() ...}: only {@code totalSize} is answered. */
    public boolean countOnly() {
        return select.items().stream().anyMatch(i -> i instanceof Ast.CountAll);
    }

    /** Aggregate functions or GROUP BY: rows are {@code AggregateResult}s. */
    public boolean aggregate() {
        return !select.groupBy().isEmpty() || select.items().stream().anyMatch(i -> i instanceof Ast.Aggregate);
    }

    /** Has a parent-to-child subquery such as {@code (SELECT Id FROM Contacts)}. */
    public boolean hasChildSubqueries() {
        return select.items().stream().anyMatch(i -> i instanceof Ast.Subquery);
    }

    /** Uses {@code FIELDS(ALL|STANDARD|CUSTOM)}. */
    public boolean usesFieldsFunction() {
        return select.items().stream().anyMatch(i -> i instanceof Ast.Fields);
    }

    /** Has an OFFSET clause. */
    public boolean hasOffset() {
        return select.offset() != null;
    }

    /** The LIMIT, or null without one. */
    public Integer limit() {
        return select.limit();
    }

    Ast.Select select() {
        return select;
    }

    SoqlErrors errors() {
        return errors;
    }

    @Override
    public String toString() {
        return text;
    }
}
