package dev.lockstep.emulator.cdc;

/** A channel that does not exist, or whose entity is not selected for Change Data Capture. */
public class ChannelNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ChannelNotFoundException(String channel) {
        super("The channel you requested to subscribe to doesn't exist {" + channel + "}");
    }
}
