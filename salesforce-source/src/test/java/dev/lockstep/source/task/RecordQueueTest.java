package dev.lockstep.source.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RecordQueueTest {

    /** How long a thread that must stay blocked is watched; it is a bound, not a wait for a result. */
    private static final long BLOCKED_MILLIS = 300;
    private static final Duration SHORT = Duration.ofMillis(50);

    private static SourceRecord record(int n) {
        return new SourceRecord(Map.of("object", "Account"), Map.of("n", n), "t.Account", null,
                Schema.STRING_SCHEMA, "k" + n, Schema.INT32_SCHEMA, n);
    }

    private static List<Object> values(List<SourceRecord> records) {
        return records.stream().map(SourceRecord::value).toList();
    }

    /** Puts on another thread; {@code done} counts down when the put returned, {@code failure} holds what it threw. */
    private static Thread putIn(RecordQueue queue, SourceRecord record, CountDownLatch done,
            AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                queue.put(record);
            } catch (Throwable e) {
                failure.set(e);
            }
            done.countDown();
        }, "put");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void aFullQueueBlocksPutUntilItIsDrained() throws Exception {
        RecordQueue queue = new RecordQueue(2, 10);
        queue.put(record(1));
        queue.put(record(2));
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        putIn(queue, record(3), done, failure);

        assertThat(done.await(BLOCKED_MILLIS, TimeUnit.MILLISECONDS)).as("put waits for room").isFalse();
        assertThat(values(queue.drain(SHORT))).containsExactly(1, 2);
        assertThat(done.await(5, TimeUnit.SECONDS)).as("put proceeds once drained").isTrue();
        assertThat(failure.get()).isNull();
        assertThat(values(queue.drain(SHORT))).containsExactly(3);
    }

    @Test
    void drainTakesAtMostABatchInOrder() throws Exception {
        RecordQueue queue = new RecordQueue(10, 3);
        for (int i = 1; i <= 5; i++) {
            queue.put(record(i));
        }
        assertThat(values(queue.drain(SHORT))).containsExactly(1, 2, 3);
        assertThat(values(queue.drain(SHORT))).containsExactly(4, 5);
        assertThat(queue.size()).isZero();
    }

    @Test
    void drainReturnsNullAfterTheTimeoutWhenEmpty() throws Exception {
        RecordQueue queue = new RecordQueue(10, 10);
        long start = System.nanoTime();
        assertThat(queue.drain(Duration.ofMillis(100))).isNull();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(90);
    }

    @Test
    void drainHandsOverARecordPutWhileItWaits() throws Exception {
        RecordQueue queue = new RecordQueue(10, 10);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<List<SourceRecord>> drained = new AtomicReference<>();
        Thread drainer = new Thread(() -> {
            try {
                drained.set(queue.drain(Duration.ofSeconds(10)));
            } catch (Throwable e) {
                failure.set(e);
            }
            done.countDown();
        });
        drainer.setDaemon(true);
        drainer.start();
        queue.put(record(7));
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
        assertThat(values(drained.get())).containsExactly(7);
    }

    @Test
    void aFailureIsThrownOnlyAfterTheRecordsQueuedBeforeIt() throws Exception {
        RecordQueue queue = new RecordQueue(10, 2);
        for (int i = 1; i <= 3; i++) {
            queue.put(record(i));
        }
        ConnectException first = new ConnectException("reader failed");
        queue.fail(first);
        queue.fail(new ConnectException("a later failure"));

        assertThat(values(queue.drain(SHORT))).containsExactly(1, 2);
        assertThat(values(queue.drain(SHORT))).containsExactly(3);
        assertThatThrownBy(() -> queue.drain(SHORT)).isSameAs(first);
        assertThatThrownBy(() -> queue.drain(SHORT)).as("and again on every later drain").isSameAs(first);
    }

    @Test
    void aFailureOnAnEmptyQueueIsThrownAtOnce() {
        RecordQueue queue = new RecordQueue(10, 2);
        ConnectException failure = new ConnectException("login failed");
        queue.fail(failure);
        long start = System.nanoTime();
        assertThatThrownBy(() -> queue.drain(Duration.ofSeconds(30))).isSameAs(failure);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(5);
    }

    @Test
    void aFailureIsNotHeldBackByRecordsOtherReadersKeepAdding() throws Exception {
        RecordQueue queue = new RecordQueue(100, 2);
        queue.put(record(1));
        ConnectException failure = new ConnectException("Account reader failed");
        queue.fail(failure);
        // Another object's reader goes on putting records after the failure.
        for (int i = 2; i <= 10; i++) {
            queue.put(record(i));
        }
        assertThat(values(queue.drain(SHORT))).containsExactly(1);
        assertThatThrownBy(() -> queue.drain(SHORT)).isSameAs(failure);
    }

    @Test
    void closeReleasesABlockedPut() throws Exception {
        RecordQueue queue = new RecordQueue(1, 1);
        queue.put(record(1));
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread putter = putIn(queue, record(2), done, failure);
        assertThat(done.await(BLOCKED_MILLIS, TimeUnit.MILLISECONDS)).isFalse();

        queue.close();
        assertThat(done.await(5, TimeUnit.SECONDS)).as("close releases the blocked put").isTrue();
        putter.join(5_000);
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
        assertThat(queue.size()).isEqualTo(1);
    }
}
