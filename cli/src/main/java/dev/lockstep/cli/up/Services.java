package dev.lockstep.cli.up;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running parts of the stack, stopped in the reverse order of their start (the Connect worker before Kafka, so
 * that it commits its offsets; Postgres last, so that the sinks can finish writing), each within its own time-out.
 *
 * <p>Thread contract: the starting thread {@link #add}s parts while a shutdown hook may call {@link #stopAll} at any
 * moment; a part added after that is stopped at once.
 */
final class Services {

    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    private record Part(String name, AutoCloseable closeable, Duration timeout) {}

    private final Deque<Part> running = new ArrayDeque<>();
    private boolean stopping;

    /**
     * Registers a part that has started.
     *
     * @throws UpException when stopping has begun meanwhile (the part is stopped first)
     */
    <T extends AutoCloseable> T add(String name, T part, Duration timeout) {
        synchronized (this) {
            if (!stopping) {
                running.push(new Part(name, part, timeout));
                return part;
            }
        }
        stop(new Part(name, part, timeout), null);
        throw new UpException("Stopped while starting " + name);
    }

    /**
     * Stops every part, the newest first, reporting each on {@code out}.
     *
     * @return true when every part stopped within its time-out and without an error
     */
    boolean stopAll(PrintWriter out) {
        List<Part> parts;
        synchronized (this) {
            stopping = true;
            parts = new ArrayList<>(running);
            running.clear();
        }
        boolean clean = true;
        for (Part part : parts) {
            clean &= stop(part, out);
        }
        return clean;
    }

    private static boolean stop(Part part, PrintWriter out) {
        long started = System.nanoTime();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                part.closeable().close();
                stopped.complete(null);
            } catch (Exception | Error e) {
                stopped.completeExceptionally(e);
            }
        }, "lockstep-up-stop-" + part.name().toLowerCase(Locale.ROOT).replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
        String problem = null;
        try {
            stopped.get(part.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            problem = "did not stop within " + part.timeout().toSeconds() + " s";
        } catch (ExecutionException e) {
            problem = "failed to stop: " + e.getCause();
            LOG.warn("{} failed to stop", part.name(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "was interrupted while stopping";
        }
        if (out != null) {
            out.println(problem == null
                    ? String.format(Locale.ROOT, "  stopped %s (%.1f s)", part.name(), seconds(started))
                    : "  ! " + part.name() + " " + problem);
            out.flush();
        }
        return problem == null;
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
