package dev.lockstep.salesforce.client.streaming;

import java.util.Objects;

/** Where a subscription starts: only new events, every retained event, or just after a stored position. */
public record ReplayFrom(Kind kind, ReplayId after) {

    /** The three replay positions both streaming APIs offer. */
    public enum Kind { LATEST, EARLIEST, CUSTOM }

    public ReplayFrom {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.CUSTOM) {
            Objects.requireNonNull(after, "a CUSTOM replay position needs a replay id");
        }
    }

    public static ReplayFrom latest() {
        return new ReplayFrom(Kind.LATEST, null);
    }

    public static ReplayFrom earliest() {
        return new ReplayFrom(Kind.EARLIEST, null);
    }

    public static ReplayFrom after(ReplayId replayId) {
        return new ReplayFrom(Kind.CUSTOM, replayId);
    }
}
