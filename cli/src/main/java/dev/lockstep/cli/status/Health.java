package dev.lockstep.cli.status;

/**
 * How a mapping (or the whole deployment) is doing, from best to worst, with the exit code of
 * {@code lockstep status} that stands for it. Scripts use the code as a health check: 4 can resolve by itself, 5
 * needs a person, 1 means status could not find out.
 */
public enum Health {

    /** Connectors and tasks running, snapshot done, counts equal, not behind, no errors. */
    OK(0),
    /** Catching up: a snapshot or re-sync is running, changes are waiting, or counts differ. */
    BEHIND(4),
    /** Needs attention: a connector or task failed, is paused or stopped or missing, or records failed. */
    FAILED(5),
    /** Something could not be reached, so the state is not known. */
    UNKNOWN(1);

    private final int exitCode;

    Health(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The worse of two. */
    public Health worst(Health other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
