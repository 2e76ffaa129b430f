package dev.lockstep.emulator.cdc;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams open on the emulator's streaming transports ({@code pubsub}, {@code cometd}), so faults can reach
 * them: drop them (the client sees its stream end), stall them (no events and no keepalives for a while), or end
 * their sessions (the next exchange fails authentication). Transports register each stream while it is open.
 */
public final class StreamRegistry {

    /** What a transport offers for one open stream. Methods may be called from any thread. */
    public interface Stream {
        String transport();

        String channel();

        /** Ends the stream as a broken connection would. */
        void drop();

        /** Delivers nothing, keepalives included, for {@code duration}. */
        void stall(Duration duration);
    }

    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    /** Registers a stream; close the returned handle when the stream ends. */
    public AutoCloseable register(Stream stream) {
        open.add(stream);
        return () -> open.remove(stream);
    }

    /** Drops every open stream of a transport ({@code pubsub}, {@code cometd}, or {@code *}); returns how many. */
    public int drop(String transport) {
        List<Stream> matching = matching(transport);
        matching.forEach(Stream::drop);
        return matching.size();
    }

    /** Stalls every open stream of a transport for {@code duration}; returns how many. */
    public int stall(String transport, Duration duration) {
        List<Stream> matching = matching(transport);
        matching.forEach(s -> s.stall(duration));
        return matching.size();
    }

    public List<Stream> open() {
        return List.copyOf(open);
    }

    private List<Stream> matching(String transport) {
        return open.stream().filter(s -> transport.equals("*") || s.transport().equals(transport)).toList();
    }
}
