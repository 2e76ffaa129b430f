package dev.lockstep.emulator.crypto;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Self-signed X.509 v3 certificates built with {@link Der} (the JDK has no public API for it), shared by the JWT
 * bearer key and the TLS listeners, and PEM text for keys and certificates.
 */
public final class Certificates {

    private static final String COMMON_NAME_OID = "2.5.4.3";
    private static final String ORGANIZATION_OID = "2.5.4.10";

    private Certificates() {}

    /** A distinguished name {@code O=<organization>, CN=<commonName>}. */
    public static byte[] name(String organization, String commonName) {
        return Der.sequence(
                Der.set(Der.sequence(Der.oid(ORGANIZATION_OID), Der.utf8String(organization))),
                Der.set(Der.sequence(Der.oid(COMMON_NAME_OID), Der.utf8String(commonName))));
    }

    /**
     * A certificate of {@code keys} issued by itself, valid from a day before {@code now} for ten years, with a random
     * serial, signed with {@code signatureAlgorithm} (its identifier already DER-encoded in {@code algorithm}).
     * {@code extensions} (an explicitly tagged [3] block, or nothing) end the to-be-signed part. The result is read
     * back with the JDK's parser and its signature verified, which proves the encoding.
     */
    public static X509Certificate selfSigned(KeyPair keys, String signatureAlgorithm, byte[] algorithm, byte[] name,
            Instant now, byte[]... extensions) throws GeneralSecurityException {
        byte[][] parts = new byte[7 + extensions.length][];
        parts[0] = Der.explicit(0, Der.integer(BigInteger.TWO));
        parts[1] = Der.integer(new BigInteger(63, new SecureRandom()).add(BigInteger.ONE));
        parts[2] = algorithm;
        parts[3] = name;
        parts[4] = Der.sequence(Der.time(now.minus(Duration.ofDays(1))), Der.time(now.plus(Duration.ofDays(3650))));
        parts[5] = name;
        parts[6] = keys.getPublic().getEncoded();
        System.arraycopy(extensions, 0, parts, 7, extensions.length);
        byte[] tbs = Der.sequence(parts);
        Signature signer = Signature.getInstance(signatureAlgorithm);
        signer.initSign(keys.getPrivate());
        signer.update(tbs);
        byte[] certificate = Der.sequence(tbs, algorithm, Der.bitString(signer.sign()));
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certificate));
        parsed.verify(keys.getPublic());
        return parsed;
    }

    /** {@code -----BEGIN <type>-----}, the base64 in lines of 64, {@code -----END <type>-----}. */
    public static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
