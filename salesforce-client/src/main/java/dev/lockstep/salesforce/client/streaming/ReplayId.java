package dev.lockstep.salesforce.client.streaming;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * An opaque position in an event stream. Pub/Sub sends bytes (in practice 8, big-endian); CometD a long, kept here
 * as the same 8 bytes so a position survives a change of transport. Store it as {@link #toBase64()} and give it
 * back unchanged.
 */
public final class ReplayId {

    private final byte[] bytes;

    private ReplayId(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    public static ReplayId of(byte[] bytes) {
        return new ReplayId(bytes);
    }

    /** A CometD replay id as 8 big-endian bytes. */
    public static ReplayId ofLong(long replayId) {
        return new ReplayId(ByteBuffer.allocate(8).putLong(replayId).array());
    }

    public static ReplayId fromBase64(String base64) {
        return new ReplayId(Base64.getDecoder().decode(base64));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The id as a long, for CometD's {@code ext.replay}; only for 8-byte ids. */
    public long asLong() {
        if (bytes.length != 8) {
            throw new IllegalStateException("A replay id of " + bytes.length + " bytes has no long form");
        }
        return ByteBuffer.wrap(bytes).getLong();
    }

    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplayId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ReplayId[" + toBase64() + "]";
    }
}
