package dev.lockstep.cli.up;

/** A reason {@code lockstep up} cannot go on, worded for the person who ran it: what failed and what to do. */
public final class UpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UpException(String message) {
        super(message);
    }

    public UpException(String message, Throwable cause) {
        super(message, cause);
    }
}
