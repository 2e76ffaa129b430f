package dev.lockstep.emulator.query;

import java.util.List;

/**
 * The rows a SOQL query selected, flattened to columns as Bulk API 2.0 writes them: {@code columns} in SELECT
 * order, relationship paths dotted ({@code Owner.Name}); each row holds one stored Java value per column (String,
 * Boolean, Integer, BigDecimal, LocalDate, Instant, LocalTime, byte[] or null), formatted by
 * {@code Values.toText}. For {@code SELECT COUNT() ...} {@code countOnly} is true, {@code rows} is empty and
 * {@code totalSize} holds the count.
 */
public record QueryResult(String object, List<String> columns, List<Object[]> rows, int totalSize,
        boolean countOnly) {}
