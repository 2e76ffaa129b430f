package dev.lockstep.cli.status;

import dev.lockstep.cli.Lockstep;

/**
 * How a mapping (or the whole deployment) is doing, from best to worst, with the exit code of
 * {@code lockstep status} that stands for it. Scripts use the code as a health check: 4 can resolve by itself, 5
 * needs a person, 1 means status could not find out.
 */
public enum Health {

    /** Connectors and tasks running, snapshot done, counts equal, not behind, no errors. */
    OK(Lockstep.EXIT_OK),
    /** Catching up: a snapshot or re-sync is running, changes are waiting, or counts differ. */
    BEHIND(Lockstep.EXIT_ATTENTION),
    /** Needs attention: a connector or task failed, is paused or stopped or missing, or records failed. */
    FAILED(Health.EXIT_NEEDS_ACTION),
    /** Something could not be reached, so the state is not known. */
    UNKNOWN(Lockstep.EXIT_FAILURE);

    /** The exit code of status when something needs a person: the common codes end at 4. */
    public static final int EXIT_NEEDS_ACTION = 5;

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
