package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SOQL against the org: the entry point for the REST query resources and for Bulk API 2.0 query jobs. Statements
 * are parsed once and cached by their text; each run binds the statement to the current schema and evaluates it
 * under the org's read lock, so it sees every transaction whole or not at all, and snapshots the rows.
 */
public final class Soql {

    private static final int CACHE_SIZE = 1024;
    private static final Map<String, SoqlQuery> PARSED = new ConcurrentHashMap<>();

    private Soql() {}

    /**
     * Parses a statement (cached by its text).
     *
     * @throws OrgException 400 {@code MALFORMED_QUERY} with Salesforce's message and error position
     */
    public static SoqlQuery parse(String soql) {
        if (soql == null || soql.isBlank()) {
            throw new OrgException(400, SoqlErrors.MALFORMED_QUERY, "A query string has to be specified");
        }
        SoqlQuery cached = PARSED.get(soql);
        if (cached != null) {
            return cached;
        }
        SoqlErrors errors = new SoqlErrors(soql);
        SoqlQuery query = new SoqlQuery(soql, Parser.parse(soql, errors), errors);
        if (PARSED.size() >= CACHE_SIZE) {
            PARSED.clear();
        }
        PARSED.put(soql, query);
        return query;
    }

    /**
     * Parses and runs {@code soql} under the org's read lock; {@code includeDeleted} adds the recycle bin
     * ({@code queryAll}).
     *
     * @throws OrgException 400 {@code MALFORMED_QUERY}, {@code INVALID_FIELD}, {@code INVALID_TYPE},
     *     {@code INVALID_QUERY_FILTER_OPERATOR} or {@code NUMBER_OUTSIDE_VALID_RANGE}, with Salesforce's messages
     */
    public static QueryResult execute(Org org, String soql, boolean includeDeleted) {
        return execute(org, parse(soql), includeDeleted);
    }

    /** Runs a parsed statement; see {@link #execute(Org, String, boolean)}. */
    public static QueryResult execute(Org org, SoqlQuery query, boolean includeDeleted) {
        return toQueryResult(run(org, query, includeDeleted, false));
    }

    /** Runs a statement and keeps what REST needs to write {@code attributes}. */
    static ResultSet run(Org org, SoqlQuery query, boolean includeDeleted, boolean rest) {
        return org.read(o -> Executor.run(Binder.bind(o, query.select(), query.errors()),
                new Ctx(o, includeDeleted), rest));
    }

    static QueryResult toQueryResult(ResultSet results) {
        Plan plan = results.plan();
        if (plan.countOnly) {
            return new QueryResult(plan.object.name(), List.of(), List.of(), results.totalSize(), true);
        }
        return new QueryResult(plan.object.name(), columnNames(plan), flatten(plan, results.rows()),
                results.totalSize(), false);
    }

    private static List<String> columnNames(Plan plan) {
        List<String> names = new ArrayList<>(plan.columns.size());
        for (Plan.Column column : plan.columns) {
            names.add(column.name());
        }
        return List.copyOf(names);
    }

    /** Rows cut to the columns, child subquery cells turned into nested {@link QueryResult}s. */
    private static List<Object[]> flatten(Plan plan, List<Object[]> rows) {
        int width = plan.columns.size();
        if (plan.children.isEmpty() && (rows.isEmpty() || rows.get(0).length == width)) {
            return rows;
        }
        List<Object[]> flat = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Object[] cells = Arrays.copyOf(row, width);
            for (Plan.ChildJoin join : plan.children) {
                if (cells[join.slot()] instanceof ResultSet.ChildRows child) {
                    cells[join.slot()] = new QueryResult(child.plan().object.name(), columnNames(child.plan()),
                            flatten(child.plan(), child.rows()), child.rows().size(), false);
                }
            }
            flat.add(cells);
        }
        return flat;
    }
}
