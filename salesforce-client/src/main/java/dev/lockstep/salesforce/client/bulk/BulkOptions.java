package dev.lockstep.salesforce.client.bulk;

import java.time.Duration;

/**
 * How the Bulk layer polls and chunks.
 *
 * @param pollInitial the first wait between two status checks of a job; doubles up to {@code pollCap}
 * @param pollCap the longest wait between two status checks
 * @param jobTimeout how long to wait for a job to end before giving up with a RETRIABLE {@link BulkJobException}
 * @param maxUploadBytes the most raw CSV bytes per upload; Salesforce advises 100 MB, as it base64-encodes uploads
 *     against a 150 MB cap (reference §4.1)
 * @param maxRecords rows per query result chunk ({@code maxRecords}), or 0 to let Salesforce choose
 */
public record BulkOptions(Duration pollInitial, Duration pollCap, Duration jobTimeout, long maxUploadBytes,
        int maxRecords) {

    /** Salesforce's advice for the raw size of one upload. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 100L * 1024 * 1024;

    public BulkOptions {
        if (pollInitial.isNegative() || pollCap.compareTo(pollInitial) < 0) {
            throw new IllegalArgumentException("need 0 <= pollInitial <= pollCap, got " + pollInitial + ", "
                    + pollCap);
        }
        if (maxUploadBytes < 1024 || maxUploadBytes > 150L * 1024 * 1024) {
            throw new IllegalArgumentException("maxUploadBytes must be within 1 KB and 150 MB: " + maxUploadBytes);
        }
        if (maxRecords < 0) {
            throw new IllegalArgumentException("maxRecords must not be negative: " + maxRecords);
        }
    }

    /** Poll from 250 ms up to every 10 s, for at most 2 hours; 100 MB uploads; Salesforce's chunk size. */
    public static BulkOptions defaults() {
        return new BulkOptions(Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofHours(2),
                DEFAULT_MAX_UPLOAD_BYTES, 0);
    }

    public BulkOptions withMaxRecords(int rows) {
        return new BulkOptions(pollInitial, pollCap, jobTimeout, maxUploadBytes, rows);
    }

    public BulkOptions withMaxUploadBytes(long bytes) {
        return new BulkOptions(pollInitial, pollCap, jobTimeout, bytes, maxRecords);
    }

    public BulkOptions withPolling(Duration initial, Duration cap, Duration timeout) {
        return new BulkOptions(initial, cap, timeout, maxUploadBytes, maxRecords);
    }
}
