package dev.lockstep.emulator.cometd;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSession;

/**
 * The replay extension as EMP-Connector implements it (reference §7.2), written here from that description: it
 * asks for {@code ext.replay} at the handshake and switches on only when the server answers {@code replay: true};
 * every subscribe then carries the whole map of channel → replay position in {@code ext.replay}; every event's
 * {@code data.event.replayId} is stored under its channel, so a new subscription resumes after the last event.
 */
final class ReplayExtension implements ClientSession.Extension {

    private final ConcurrentMap<String, Long> positions = new ConcurrentHashMap<>();
    private final AtomicBoolean supported = new AtomicBoolean();

    ReplayExtension(Map<String, Long> initial) {
        positions.putAll(initial);
    }

    Map<String, Long> positions() {
        return Map.copyOf(positions);
    }

    boolean supported() {
        return supported.get();
    }

    @Override
    public boolean rcv(ClientSession session, Message.Mutable message) {
        Object data = message.getDataAsMap() == null ? null : message.getDataAsMap().get("event");
        if (supported.get() && data instanceof Map<?, ?> event && event.get("replayId") instanceof Long id) {
            positions.put(withoutQuery(message.getChannel()), id);
        }
        return true;
    }

    @Override
    public boolean rcvMeta(ClientSession session, Message.Mutable message) {
        if (Channel.META_HANDSHAKE.equals(message.getChannel())) {
            Map<String, Object> ext = message.getExt(false);
            supported.set(ext != null && Boolean.TRUE.equals(ext.get("replay")));
        }
        return true;
    }

    @Override
    public boolean sendMeta(ClientSession session, Message.Mutable message) {
        if (Channel.META_HANDSHAKE.equals(message.getChannel())) {
            message.getExt(true).put("replay", Boolean.TRUE);
        } else if (Channel.META_SUBSCRIBE.equals(message.getChannel()) && supported.get()) {
            message.getExt(true).put("replay", Map.copyOf(positions));
        }
        return true;
    }

    private static String withoutQuery(String channel) {
        int q = channel.indexOf('?');
        return q < 0 ? channel : channel.substring(0, q);
    }
}
