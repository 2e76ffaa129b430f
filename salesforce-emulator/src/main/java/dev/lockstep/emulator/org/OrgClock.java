package dev.lockstep.emulator.org;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The org's clock: the system clock plus an offset that tests move forward (to expire sessions, cursors and event
 * retention without waiting). Millisecond precision, as Salesforce stores date-times.
 */
public final class OrgClock extends Clock {

    private final Clock base;
    private final AtomicLong offsetMillis = new AtomicLong();

    public OrgClock() {
        this(Clock.systemUTC());
    }

    public OrgClock(Clock base) {
        this.base = base;
    }

    /** Moves the clock forward (or back, with a negative duration). */
    public void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(base.millis() + offsetMillis.get());
    }

    @Override
    public long millis() {
        return base.millis() + offsetMillis.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("The org clock is always UTC");
    }
}
