package dev.lockstep.cli.commands;

/**
 * A command cannot go on, for a reason its message states for the operator (what failed, why, what to do). The
 * command line prints the message, without a stack trace, and exits 1.
 */
public final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CommandFailure(String message) {
        super(message);
    }

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
