package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bulk API 2.0: ingest jobs ({@code /services/data/vXX.X/jobs/ingest}) and query jobs ({@code .../jobs/query}).
 * Jobs live in memory; a job in a terminal state is forgotten 7 days (by the org clock) after it ended, as
 * Salesforce deletes them. Closed ingest jobs and new query jobs are processed on daemon worker threads, one task
 * per job, so several jobs run in parallel as on Salesforce (their org transactions still take turns).
 * <p>
 * {@link #holdProcessing()} keeps jobs from starting (they stay UploadComplete) until
 * {@link #releaseProcessing()}, so that tests can observe and act on jobs in flight.
 */
public final class BulkApi implements AutoCloseable {

    /** How long Salesforce keeps a job after it reached a terminal state. */
    static final Duration RETENTION = Duration.ofDays(7);

    /** Salesforce caps an upload at 150 MB after base64-encoding it, about 100 MB of raw CSV. */
    static final long MAX_UPLOAD_BASE64_BYTES = 150L * 1024 * 1024;

    /** Bulk job Ids have key prefix 750. */
    private static final String JOB_KEY_PREFIX = "750";

    private final Emulator emulator;
    private final Map<String, BulkJob> jobs = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final ExecutorService workers;
    private final Object holdLock = new Object();
    private boolean held;
    private volatile long maxUploadBase64Bytes = MAX_UPLOAD_BASE64_BYTES;
    private volatile int defaultMaxRecords = ResultPager.DEFAULT_MAX_RECORDS;
    private QueryRoutes queries;

    private BulkApi(Emulator emulator) {
        this.emulator = emulator;
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "emulator-bulk-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Registers the Bulk API 2.0 routes and returns the API, which owns the jobs and their worker threads. */
    public static BulkApi register(Router router, Emulator emulator) {
        BulkApi bulk = new BulkApi(emulator);
        new IngestRoutes(bulk).register(router);
        bulk.queries = new QueryRoutes(bulk);
        bulk.queries.register(router);
        return bulk;
    }

    /** Jobs that are ready to be processed wait (in UploadComplete) until {@link #releaseProcessing()}. */
    public void holdProcessing() {
        synchronized (holdLock) {
            held = true;
        }
    }

    /** Lets held and later jobs be processed. */
    public void releaseProcessing() {
        synchronized (holdLock) {
            held = false;
            holdLock.notifyAll();
        }
    }

    /**
     * Rows per query result chunk when a client sends no {@code maxRecords} (Salesforce picks the size itself; the
     * emulator's default is 100,000). Lets tests get results of a few thousand rows in several chunks, as a client
     * reading a large export with Salesforce's own chunking would.
     */
    public void setDefaultMaxRecords(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("A result chunk holds at least one row, got " + rows);
        }
        this.defaultMaxRecords = rows;
    }

    int defaultMaxRecords() {
        return defaultMaxRecords;
    }

    /** Stops the worker threads; jobs being processed stop where they are. */
    @Override
    public void close() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Emulator emulator() {
        return emulator;
    }

    /** The query job resources, whose job creation tests also drive with rows they built. */
    QueryRoutes queries() {
        return queries;
    }

    /** Waits while processing is held; false if the worker was interrupted (the emulator is closing). */
    boolean awaitRelease() {
        synchronized (holdLock) {
            while (held) {
                try {
                    holdLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Lowers the upload cap, so that tests can reach it without uploading 100 MB. */
    void maxUploadBase64Bytes(long bytes) {
        this.maxUploadBase64Bytes = bytes;
    }

    long maxUploadBase64Bytes() {
        return maxUploadBase64Bytes;
    }

    long nextSequence() {
        return sequence.incrementAndGet();
    }

    static String jobId(long sequence) {
        return Ids.make(JOB_KEY_PREFIX, sequence);
    }

    void add(BulkJob job) {
        jobs.put(job.id(), job);
    }

    void submit(Runnable task) {
        workers.execute(task);
    }

    /** The job with this 15- or 18-character Id and kind, or 404 {@code NOT_FOUND}. */
    <J extends BulkJob> J find(String id, Class<J> kind) {
        forgetExpired();
        String full = Ids.normalize(id);
        BulkJob job = full == null ? null : jobs.get(full);
        if (!kind.isInstance(job)) {
            throw BulkErrors.notFound();
        }
        return kind.cast(job);
    }

    /** Every job of this kind, oldest first. */
    <J extends BulkJob> List<J> list(Class<J> kind) {
        forgetExpired();
        return jobs.values().stream().filter(kind::isInstance).map(kind::cast)
                .sorted(Comparator.comparingLong(BulkJob::sequence)).toList();
    }

    void remove(BulkJob job) {
        job.markDeleted();
        jobs.remove(job.id());
    }

    private void forgetExpired() {
        // Checked on access rather than by a timer: tests move the org clock forward by days at once.
        Instant now = emulator.clock().instant();
        jobs.values().removeIf(job -> job.expired(now, RETENTION));
    }
}
