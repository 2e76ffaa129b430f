package dev.lockstep.salesforce.client.cometd;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSession;

/**
 * Salesforce's replay extension (reference §7.2), written from the protocol description: the handshake announces
 * {@code ext.replay=true}; if, and only if, the server answers {@code ext.replay=true}, every {@code /meta/subscribe}
 * carries {@code ext.replay}, the map of every channel this Bayeux session follows to its position (-1 only new
 * events, -2 every retained event, or the replay id of the event to start after).
 *
 * <p>Thread contract: CometD calls it on its own threads; the positions come from a supplier that reads them under
 * the subscription's lock at the moment the subscribe is sent, so a resubscribe always uses the latest position.
 */
final class ReplayExtension implements ClientSession.Extension {

    private final Supplier<Map<String, Long>> positions;
    private volatile boolean enabled;

    ReplayExtension(Supplier<Map<String, Long>> positions) {
        this.positions = positions;
    }

    /** Whether the server's handshake answer switched replay on. */
    boolean enabled() {
        return enabled;
    }

    @Override
    public boolean sendMeta(ClientSession session, Message.Mutable message) {
        if (Channel.META_HANDSHAKE.equals(message.getChannel())) {
            message.getExt(true).put("replay", Boolean.TRUE);
        } else if (Channel.META_SUBSCRIBE.equals(message.getChannel()) && enabled) {
            message.getExt(true).put("replay", new HashMap<>(positions.get()));
        }
        return true;
    }

    @Override
    public boolean rcvMeta(ClientSession session, Message.Mutable message) {
        if (Channel.META_HANDSHAKE.equals(message.getChannel()) && message.isSuccessful()) {
            Map<String, Object> ext = message.getExt();
            enabled = ext != null && Boolean.TRUE.equals(ext.get("replay"));
        }
        return true;
    }
}
