package dev.lockstep.emulator.cdc;

/**
 * Where a subscription starts: the tip (only new events), the oldest retained event, or just after a given
 * replay id.
 */
public record ReplayFrom(Kind kind, long replayId) {

    /** The three replay positions of both streaming APIs. */
    public enum Kind { LATEST, EARLIEST, AFTER }

    public static ReplayFrom latest() {
        return new ReplayFrom(Kind.LATEST, 0);
    }

    public static ReplayFrom earliest() {
        return new ReplayFrom(Kind.EARLIEST, 0);
    }

    public static ReplayFrom after(long replayId) {
        return new ReplayFrom(Kind.AFTER, replayId);
    }
}
