package dev.lockstep.emulator.query;

import java.util.List;

/**
 * The rows a SOQL query selected, flattened to columns as Bulk API 2.0 writes them: {@code columns} in SELECT
 * order, relationship paths dotted ({@code Owner.Name}); each row holds one stored Java value per column (String,
 * Boolean, Integer, BigDecimal, LocalDate, Instant, LocalTime, byte[] or null), formatted by
 * {@code Values.toText}. Two kinds of column hold something else, and Bulk API refuses the queries that make them:
 * a compound address or location field holds a {@code Map<String, Object>} of its parts, and a child subquery
 * ({@code Contacts}) holds a nested {@code QueryResult}, or null when the parent has no children. Aggregate
 * queries name their columns by alias or {@code expr0, expr1, ...}. For {@code SELECT COUNT() ...}
 * {@code countOnly} is true, {@code rows} is empty and {@code totalSize} holds the count.
 */
public record QueryResult(String object, List<String> columns, List<Object[]> rows, int totalSize,
        boolean countOnly) {}
