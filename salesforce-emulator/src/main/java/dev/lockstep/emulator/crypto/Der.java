package dev.lockstep.emulator.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The few DER (ASN.1 distinguished encoding) constructions a self-signed X.509 certificate needs. The JDK can
 * parse and verify certificates but has no public API to build one; {@code sun.security.x509} would do it but is
 * internal (and {@code -Xlint:all -Werror} rightly refuses it), so the emulator assembles its certificates (the
 * JWT signing certificate in {@code auth}, the Pub/Sub TLS certificate in {@link TlsCertificate}) from these parts.
 */
public final class Der {

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT);
    private static final DateTimeFormatter GENERALIZED_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'", Locale.ROOT);

    private Der() {}

    public static byte[] sequence(byte[]... parts) {
        return tagged(0x30, concat(parts));
    }

    public static byte[] set(byte[]... parts) {
        return tagged(0x31, concat(parts));
    }

    /** A context-specific, constructed, explicit tag such as the {@code [0]} around a certificate's version. */
    public static byte[] explicit(int number, byte[] content) {
        return tagged(0xA0 | number, content);
    }

    public static byte[] integer(BigInteger value) {
        // toByteArray is two's complement, minimal, with a leading zero when the top bit is set: exactly DER.
        return tagged(0x02, value.toByteArray());
    }

    public static byte[] nullValue() {
        return new byte[] {0x05, 0x00};
    }

    public static byte[] utf8String(String value) {
        return tagged(0x0C, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A BIT STRING of whole bytes (no unused bits), as signatures are. */
    public static byte[] bitString(byte[] bytes) {
        byte[] content = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tagged(0x03, content);
    }

    public static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            // Base 128, most significant group first, every byte but the last with its top bit set.
            int groups = 1;
            for (long rest = arc >>> 7; rest != 0; rest >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int bits = (int) ((arc >>> (7 * g)) & 0x7F);
                out.write(g == 0 ? bits : bits | 0x80);
            }
        }
        return tagged(0x06, out.toByteArray());
    }

    /** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on. */
    public static byte[] time(Instant instant) {
        ZonedDateTime utc = instant.atZone(ZoneOffset.UTC);
        if (utc.getYear() < 2050) {
            return tagged(0x17, UTC_TIME.format(utc).getBytes(StandardCharsets.US_ASCII));
        }
        return tagged(0x18, GENERALIZED_TIME.format(utc).getBytes(StandardCharsets.US_ASCII));
    }

    public static byte[] bool(boolean value) {
        return new byte[] {0x01, 0x01, (byte) (value ? 0xFF : 0x00)};
    }

    public static byte[] octetString(byte[] bytes) {
        return tagged(0x04, bytes);
    }

    /**
     * A BIT STRING of {@code bits} named bits (bit 0 is the most significant bit of the first byte), trailing zero
     * bits dropped as DER requires: the form of a key usage extension.
     */
    public static byte[] namedBits(boolean... bits) {
        int last = -1;
        for (int i = 0; i < bits.length; i++) {
            if (bits[i]) {
                last = i;
            }
        }
        int used = last + 1;
        byte[] bytes = new byte[(used + 7) / 8];
        for (int i = 0; i < used; i++) {
            if (bits[i]) {
                bytes[i / 8] |= (byte) (0x80 >>> (i % 8));
            }
        }
        byte[] content = new byte[bytes.length + 1];
        content[0] = (byte) (bytes.length * 8 - used);
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tagged(0x03, content);
    }

    /** A context-specific, primitive, implicit tag such as a subject alternative name's {@code [2]} dNSName. */
    public static byte[] implicit(int number, byte[] content) {
        return tagged(0x80 | number, content);
    }

    private static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((length >>> (8 * i)) & 0xFF);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
