package dev.lockstep.emulator.control;

import dev.lockstep.emulator.org.OrgClock;
import dev.lockstep.emulator.org.OrgException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The org's API allocation: a daily request count over a 24-hour window (reported in {@code Sforce-Limit-Info}
 * and {@code /limits}, answered with 403 {@code REQUEST_LIMIT_EXCEEDED} when used up), and the concurrent limit
 * on long-running requests (requests in flight for longer than the threshold; 25 by default).
 */
public final class ApiLimits {

    private final OrgClock clock;
    private final AtomicLong used = new AtomicLong();
    private volatile long dailyMax;
    private volatile Instant windowStart;
    private volatile int concurrentLongRunningMax = 25;
    private volatile Duration longRunningThreshold = Duration.ofSeconds(20);
    private final Map<Object, Instant> inFlight = new ConcurrentHashMap<>();

    public ApiLimits(OrgClock clock, long dailyMax) {
        this.clock = clock;
        this.dailyMax = dailyMax;
        this.windowStart = clock.instant();
    }

    /**
     * Counts one API request, or refuses it with 403 {@code REQUEST_LIMIT_EXCEEDED} when the daily allocation is
     * used up or too many long-running requests are in flight. {@code ticket} marks the request until
     * {@link #finish}.
     */
    public void begin(Object ticket) {
        rollWindow();
        Instant now = clock.instant();
        long longRunning = inFlight.values().stream()
                .filter(started -> Duration.between(started, now).compareTo(longRunningThreshold) >= 0).count();
        if (longRunning >= concurrentLongRunningMax) {
            throw new OrgException(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.");
        }
        if (used.incrementAndGet() > dailyMax) {
            used.decrementAndGet();
            throw new OrgException(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
        }
        inFlight.put(ticket, now);
    }

    public void finish(Object ticket) {
        inFlight.remove(ticket);
    }

    private void rollWindow() {
        Instant now = clock.instant();
        if (Duration.between(windowStart, now).compareTo(Duration.ofDays(1)) >= 0) {
            synchronized (this) {
                if (Duration.between(windowStart, now).compareTo(Duration.ofDays(1)) >= 0) {
                    windowStart = now;
                    used.set(0);
                }
            }
        }
    }

    /** {@code api-usage=18/5000}, the value of the {@code Sforce-Limit-Info} header. */
    public String limitInfo() {
        return "api-usage=" + used() + "/" + dailyMax;
    }

    public long used() {
        rollWindow();
        return used.get();
    }

    public long dailyMax() {
        return dailyMax;
    }

    public void setDailyMax(long dailyMax) {
        this.dailyMax = dailyMax;
    }

    /** Sets how many calls of today's allocation are used (e.g. to test running out). */
    public void setUsed(long count) {
        used.set(count);
    }

    public int concurrentLongRunningMax() {
        return concurrentLongRunningMax;
    }

    public void setConcurrentLongRunning(int max, Duration threshold) {
        this.concurrentLongRunningMax = max;
        this.longRunningThreshold = threshold;
    }
}
