package dev.lockstep.cli.reconcile;

import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.bulk.BulkRows;
import dev.lockstep.salesforce.client.rest.RestApi;
import dev.lockstep.salesforce.client.rest.Soql;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The live records of one Salesforce object in Id order, typed by describe (the client's {@code FieldValues}), read
 * as the comparison walks them so only one page is held at a time:
 * <ul>
 *   <li>up to the Bulk threshold, a REST query {@code ... ORDER BY Id}, one API call per page of up to 2,000
 *       records;</li>
 *   <li>above it, one Bulk API 2.0 query job with {@code ORDER BY Id} (which turns off Salesforce's automatic PK
 *       chunking, so a very large object may time out: compare it with REST then, by raising the threshold);</li>
 *   <li>objects with synced blob (base64) fields always over REST, since Bulk queries cannot select blobs: each
 *       non-null blob costs one more GET, as it does for the source connector.</li>
 * </ul>
 * Known Ids are read with {@code WHERE Id IN (...)} in batches of 200.
 */
public final class SalesforceRecords {

    /** Ids per {@code WHERE Id IN (...)} query, as the source connector's re-reads use. */
    static final int IDS_PER_QUERY = 200;
    static final String ID = "Id";

    private SalesforceRecords() {
    }

    /** Records in Id order, closed by the caller. */
    public interface Records extends Iterator<Map<String, Object>>, AutoCloseable {
        @Override
        void close();
    }

    /**
     * Every live record of {@code object} with {@code fields} ({@code Id} among them).
     *
     * @param blobFields the base64 fields among {@code fields}, whose content is downloaded
     * @param expected how many records there are ({@code SELECT COUNT()}), which picks REST or Bulk
     */
    public static Records all(SalesforceClient client, String object, List<String> fields, List<String> blobFields,
            long expected, long bulkThreshold) {
        String soql = "SELECT " + String.join(", ", fields) + " FROM " + Soql.identifier(object) + " ORDER BY Id";
        if (expected > bulkThreshold && blobFields.isEmpty()) {
            BulkRows<Map<String, Object>> rows = client.bulk().query(soql);
            return records(rows, rows::close);
        }
        return records(withBlobs(client.rest(), client.rest().queryTyped(object, soql), blobFields), () -> { });
    }

    /** The live records among {@code ids} (given in Id order), in Id order. */
    public static Records byIds(SalesforceClient client, String object, List<String> fields, List<String> blobFields,
            List<String> ids) {
        Iterator<List<String>> batches = batches(ids).iterator();
        RestApi rest = client.rest();
        Iterator<Map<String, Object>> records = new Iterator<>() {
            private Iterator<Map<String, Object>> batch = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!batch.hasNext() && batches.hasNext()) {
                    batch = rest.queryTyped(object, "SELECT " + String.join(", ", fields) + " FROM "
                            + Soql.identifier(object) + " WHERE Id IN " + Soql.list(batches.next()) + " ORDER BY Id");
                }
                return batch.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
        return records(withBlobs(rest, records, blobFields), () -> { });
    }

    /** {@code ids} cut into query-sized batches, in order. */
    static List<List<String>> batches(List<String> ids) {
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            batches.add(ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY)));
        }
        return batches;
    }

    /** Replaces the URL a REST record holds for each non-null blob with the blob's bytes. */
    private static Iterator<Map<String, Object>> withBlobs(RestApi rest, Iterator<Map<String, Object>> records,
            List<String> blobFields) {
        if (blobFields.isEmpty()) {
            return records;
        }
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                Map<String, Object> record = records.next();
                for (String field : blobFields) {
                    if (record.get(field) instanceof String url) {
                        record.put(field, rest.blob(url));
                    }
                }
                return record;
            }
        };
    }

    private static Records records(Iterator<Map<String, Object>> rows, Runnable onClose) {
        return new Records() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Map<String, Object> next() {
                return rows.next();
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }
}
