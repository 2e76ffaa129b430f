package dev.lockstep.it.harness;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Writes to the org at a fixed rate on a background thread while a test restarts or moves a connector: write
 * {@code n} is {@code write.accept(n)}. The first failure stops the writes and is rethrown by {@link #close}, so a
 * broken writer never passes for a quiet org.
 */
public final class BackgroundWrites implements AutoCloseable {

    private final AtomicInteger written = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();

    private BackgroundWrites(IntConsumer write, long periodMillis) {
        writer.scheduleAtFixedRate(() -> {
            try {
                write.accept(written.get());
                written.incrementAndGet();
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
                throw e;
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    public static BackgroundWrites every(long periodMillis, IntConsumer write) {
        return new BackgroundWrites(write, periodMillis);
    }

    /** Writes done so far. */
    public int count() {
        return written.get();
    }

    /** Stops writing, waits for the write in progress, and rethrows the first failure. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The background writer did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the background writer", e);
        }
        Throwable e = failure.get();
        if (e != null) {
            throw new AssertionError("A background write to Salesforce failed: " + e, e);
        }
    }
}
