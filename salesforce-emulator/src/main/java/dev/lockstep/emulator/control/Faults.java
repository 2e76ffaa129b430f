package dev.lockstep.emulator.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Scripted failures: "fail the next N calls of this kind". A fault armed for {@code rest} matches every kind under
 * it ({@code rest.query}, {@code rest.sobject}, ...); {@code *} matches every API call. Row-lock faults are taken
 * per record written, so a collection or Bulk job sees them on individual records.
 */
public final class Faults {

    /** What an armed fault does. */
    public enum Type {
        /** Answer with an HTTP status (500, 503, ...) and Salesforce's error body. */
        STATUS,
        /** Hold the request for a while, then drop the connection without an answer. */
        TIMEOUT,
        /** Reject records written with {@code UNABLE_TO_LOCK_ROW}. */
        ROW_LOCK
    }

    /** One armed fault. */
    public record Fault(String kind, Type type, int status, Duration hold) {}

    private final List<ArmedFault> armed = new ArrayList<>();

    private static final class ArmedFault {
        final Fault fault;
        int remaining;

        ArmedFault(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    /** Fails the next {@code count} calls of {@code kind} with HTTP {@code status}. */
    public void failWithStatus(String kind, int count, int status) {
        arm(new Fault(kind, Type.STATUS, status, Duration.ZERO), count);
    }

    /** Holds the next {@code count} calls of {@code kind} for {@code hold}, then drops their connections. */
    public void timeOut(String kind, int count, Duration hold) {
        arm(new Fault(kind, Type.TIMEOUT, 0, hold), count);
    }

    /** Rejects the next {@code count} record writes with {@code UNABLE_TO_LOCK_ROW}. */
    public void lockRows(int count) {
        arm(new Fault("*", Type.ROW_LOCK, 400, Duration.ZERO), count);
    }

    public synchronized void arm(Fault fault, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
        armed.add(new ArmedFault(fault, count));
    }

    /** Takes one request-level fault (STATUS or TIMEOUT) armed for {@code kind}, if any. */
    public synchronized Optional<Fault> take(String kind) {
        return takeMatching(f -> f.type() != Type.ROW_LOCK && matches(f.kind(), kind));
    }

    /** Takes one row-lock fault, if any: the record being written is then rejected. */
    public synchronized boolean takeRowLock() {
        return takeMatching(f -> f.type() == Type.ROW_LOCK).isPresent();
    }

    private Optional<Fault> takeMatching(java.util.function.Predicate<Fault> wanted) {
        for (Iterator<ArmedFault> it = armed.iterator(); it.hasNext();) {
            ArmedFault a = it.next();
            if (wanted.test(a.fault)) {
                if (--a.remaining == 0) {
                    it.remove();
                }
                return Optional.of(a.fault);
            }
        }
        return Optional.empty();
    }

    private static boolean matches(String armedKind, String kind) {
        return armedKind.equals("*") || armedKind.equals(kind) || kind.startsWith(armedKind + ".");
    }

    public synchronized List<Fault> pending() {
        List<Fault> pending = new ArrayList<>();
        for (ArmedFault a : armed) {
            for (int i = 0; i < a.remaining; i++) {
                pending.add(a.fault);
            }
        }
        return pending;
    }

    public synchronized void clear() {
        armed.clear();
    }
}
