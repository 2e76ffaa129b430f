package dev.lockstep.emulator.cdc;

/** A replay id that was never issued or whose events are past retention: replaying from it would lose events. */
public class InvalidReplayIdException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long replayId;

    public InvalidReplayIdException(long replayId) {
        super("The replayId {" + replayId + "} you provided was invalid.  Please provide a valid ID, -2 to replay all"
                + " events, or -1 to replay only new events.");
        this.replayId = replayId;
    }

    public long replayId() {
        return replayId;
    }
}
