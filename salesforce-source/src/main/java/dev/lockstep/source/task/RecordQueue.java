package dev.lockstep.source.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The bounded hand-over between the object readers and {@code SourceTask.poll()}.
 *
 * <p>Thread contract: any number of reader threads {@link #put} (blocking while the queue is full, which is how
 * back-pressure reaches Salesforce: a blocked reader stops asking for events) and {@link #fail}; one thread, the
 * task's, calls {@link #drain}. A failure handed over is rethrown by the next {@code drain}, after the records queued
 * before it, but not after records other readers keep adding (they are read again after the restart, from the
 * committed offsets). {@link #close} releases blocked readers.
 */
final class RecordQueue {

    private final BlockingQueue<SourceRecord> records;
    private final int maxBatch;
    private final AtomicLong added = new AtomicLong();
    /** Records handed out by {@link #drain}; task thread only. */
    private long taken;
    private volatile RuntimeException failure;
    /** How many records {@link #added} when the failure came: drain hands out no more before throwing it. */
    private volatile long failAfter;
    private volatile boolean closed;

    RecordQueue(int capacity, int maxBatch) {
        this.records = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
    }

    /**
     * Adds a record, waiting for room.
     *
     * @throws InterruptedException when the task stops while waiting
     */
    void put(SourceRecord record) throws InterruptedException {
        while (!records.offer(record, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                throw new InterruptedException("The task is stopping");
            }
        }
        added.incrementAndGet();
    }

    /** Hands a failure to the task thread; the first one wins. */
    synchronized void fail(RuntimeException e) {
        if (failure == null) {
            failAfter = added.get();
            failure = e;
        }
    }

    /**
     * Up to {@code maxBatch} records, waiting up to {@code timeout} for the first; null when there are none, so the
     * worker gets control back regularly.
     *
     * @throws ConnectException (or the reader's own exception) when a reader failed for good
     */
    List<SourceRecord> drain(Duration timeout) throws InterruptedException {
        List<SourceRecord> batch = new ArrayList<>();
        RuntimeException e = failure;
        if (e != null) {
            // Without this bound, a busy reader of another object would hold the failure back indefinitely.
            long left = failAfter - taken;
            if (left > 0) {
                records.drainTo(batch, (int) Math.min(maxBatch, left));
            }
            if (batch.isEmpty()) {
                throw e;
            }
            taken += batch.size();
            return batch;
        }
        records.drainTo(batch, maxBatch);
        if (batch.isEmpty()) {
            SourceRecord first = records.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                return null;
            }
            batch.add(first);
            records.drainTo(batch, maxBatch - 1);
        }
        taken += batch.size();
        return batch;
    }

    int size() {
        return records.size();
    }

    void close() {
        closed = true;
    }
}
