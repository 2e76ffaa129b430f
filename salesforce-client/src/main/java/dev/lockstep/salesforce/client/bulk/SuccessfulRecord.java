package dev.lockstep.salesforce.client.bulk;

import java.util.Map;

/**
 * One row of an ingest job's {@code successfulResults}.
 *
 * @param id {@code sf__Id}, the record's Id
 * @param created {@code sf__Created}: true when the row created the record (an upsert tells create from update)
 * @param fields the row's original columns as uploaded, as text
 */
public record SuccessfulRecord(String id, boolean created, Map<String, String> fields) {}
