package dev.lockstep.salesforce.client.http;

import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a client inside its share of the org's API allocation and of its concurrent requests.
 *
 * <p><b>Budget.</b> Salesforce reports the daily usage on every REST response ({@code Sforce-Limit-Info:
 * api-usage=18/5000}) and in {@code /limits}. The org's allocation is shared with every other integration, so a sync
 * must leave room: with a reserve of 20%, calls are held while fewer than 20% of the daily requests remain. A held
 * call re-reads the usage (through the probe, which reads {@code /limits}) every {@code probeInterval} and proceeds
 * once the rolling 24-hour window has freed enough, or fails with {@link ErrorCategory#LIMIT} after
 * {@code maxHold}, so the caller (a connector task) can back off through Kafka Connect instead of blocking forever.
 *
 * <p><b>Concurrency.</b> Salesforce allows few concurrent long-running requests per org (25, 5 on Developer
 * Edition); at most {@code maxConcurrent} calls of this client are in flight at once, the others wait for a slot.
 *
 * <p>Thread-safe. The probe must not itself go through {@link #beforeCall}.
 */
public final class ApiGovernor {

    private final double reserve;
    private final Duration probeInterval;
    private final Duration maxHold;
    private final Semaphore slots;
    private final int maxConcurrent;
    private volatile long used = -1;
    private volatile long max = -1;
    private volatile Supplier<OptionalLong[]> probe = () -> new OptionalLong[] {OptionalLong.empty(),
            OptionalLong.empty()};

    /**
     * @param reserve share of the daily allocation to leave free, from 0 (use everything) to below 1
     * @param maxConcurrent calls of this client in flight at once
     */
    public ApiGovernor(double reserve, int maxConcurrent, Duration probeInterval, Duration maxHold) {
        if (reserve < 0 || reserve >= 1) {
            throw new IllegalArgumentException("The API budget reserve is a share from 0 to below 1, got " + reserve);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        this.reserve = reserve;
        this.maxConcurrent = maxConcurrent;
        this.slots = new Semaphore(maxConcurrent, true);
        this.probeInterval = probeInterval;
        this.maxHold = maxHold;
    }

    /** No reserve, 25 concurrent calls: Salesforce's own limits only. */
    public static ApiGovernor unlimited() {
        return new ApiGovernor(0, 25, Duration.ofMinutes(1), Duration.ofMinutes(5));
    }

    /** How held calls learn the current usage: returns {used, max}, empty when unknown. */
    public void setProbe(Supplier<OptionalLong[]> probe) {
        this.probe = probe;
    }

    /** Reads {@code api-usage=<used>/<max>} (other parts, separated by {@code ;}, are ignored). */
    public void observe(String limitInfo) {
        if (limitInfo == null) {
            return;
        }
        for (String part : limitInfo.split(";")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equals("api-usage")) {
                String[] numbers = kv[1].trim().split("/");
                if (numbers.length == 2) {
                    try {
                        update(Long.parseLong(numbers[0].trim()), Long.parseLong(numbers[1].trim()));
                    } catch (NumberFormatException e) {
                        return;
                    }
                }
            }
        }
    }

    public void update(long usedNow, long maxNow) {
        this.used = usedNow;
        this.max = maxNow;
    }

    /** Salesforce answered REQUEST_LIMIT_EXCEEDED: the allocation is used up, whatever the last header said. */
    public void exhausted() {
        if (max > 0) {
            used = max;
        }
    }

    /** Whether a call may go now, budget-wise. Unknown usage (no call answered yet) never holds a call. */
    public boolean hasBudget() {
        long m = max;
        long u = used;
        return m <= 0 || u < 0 || (m - u) > reserve * m;
    }

    /**
     * Waits for budget and a concurrency slot; call {@link #afterCall()} when the call is answered.
     *
     * @throws SalesforceException LIMIT when no budget freed up within {@code maxHold}, or no slot did
     */
    public void beforeCall(String description) {
        long deadline = System.nanoTime() + maxHold.toNanos();
        while (!hasBudget()) {
            if (System.nanoTime() >= deadline) {
                throw new SalesforceException(ErrorCategory.LIMIT, 0, "API_BUDGET", "Salesforce call " + description
                        + " held for " + maxHold.toSeconds() + " s: the org's daily API requests are at " + used + "/"
                        + max + ", inside the " + Math.round(reserve * 100) + "% reserve left for other clients");
            }
            pause(Math.min(probeInterval.toNanos(), deadline - System.nanoTime()), description);
            OptionalLong[] usage = probe.get();
            if (usage[0].isPresent() && usage[1].isPresent()) {
                update(usage[0].getAsLong(), usage[1].getAsLong());
            }
        }
        try {
            if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new SalesforceException(ErrorCategory.LIMIT, 0, "CONCURRENCY", "Salesforce call " + description
                        + " waited " + maxHold.toSeconds() + " s for one of " + maxConcurrent + " concurrent slots");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Interrupted waiting to send " + description,
                    e);
        }
    }

    public void afterCall() {
        slots.release();
    }

    /** Calls in flight now. */
    public int inFlight() {
        return maxConcurrent - slots.availablePermits();
    }

    public long used() {
        return used;
    }

    public long max() {
        return max;
    }

    private static void pause(long nanos, String description) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Interrupted while " + description
                    + " waited for API budget", e);
        }
    }
}
