package dev.lockstep.source.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The bounded hand-over between the object readers and {@code SourceTask.poll()}.
 *
 * <p>Thread contract: any number of reader threads {@link #put} (blocking while the queue is full, which is how
 * back-pressure reaches Salesforce: a blocked reader stops asking for events) and {@link #fail}; one thread, the
 * task's, calls {@link #drain}. A failure handed over is rethrown by the next {@code drain}, after the records queued
 * before it. {@link #close} releases blocked readers.
 */
final class RecordQueue {

    private final BlockingQueue<SourceRecord> records;
    private final int maxBatch;
    private volatile RuntimeException failure;
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
    }

    /** Hands a failure to the task thread; the first one wins. */
    void fail(RuntimeException e) {
        if (failure == null) {
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
        records.drainTo(batch, maxBatch);
        if (batch.isEmpty()) {
            RuntimeException e = failure;
            if (e != null) {
                throw e;
            }
            SourceRecord first = records.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null) {
                return null;
            }
            batch.add(first);
            records.drainTo(batch, maxBatch - 1);
        }
        return batch;
    }

    int size() {
        return records.size();
    }

    void close() {
        closed = true;
    }
}
