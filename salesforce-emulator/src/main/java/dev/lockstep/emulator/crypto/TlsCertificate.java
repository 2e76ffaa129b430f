package dev.lockstep.emulator.crypto;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed TLS server certificate made at start for the emulator's own listeners, valid for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}. Clients trust exactly this certificate (export it with
 * {@link #certificatePem()}); it is also its own issuer, so a client can use it as its trust anchor.
 *
 * <p>The key is EC P-256: generating it takes a millisecond, where an RSA key takes a noticeable fraction of a
 * second, and every emulator (one per test class) makes one. Every TLS stack clients use (JDK, BoringSSL through
 * netty-tcnative, Node's OpenSSL, Go) negotiates ECDSA. The extensions are those {@code openssl req -x509} writes
 * for a test server: subject alternative names (hostname checks read only these; the common name is ignored by
 * Go and by Java for IP addresses), basic constraints CA:TRUE (so stacks that insist on a CA as trust anchor accept
 * it) and key usage digitalSignature + keyCertSign.
 */
public final class TlsCertificate {

    private static final String SHA256_WITH_ECDSA_OID = "1.2.840.10045.4.3.2";
    private static final String SUBJECT_ALT_NAME_OID = "2.5.29.17";
    private static final String BASIC_CONSTRAINTS_OID = "2.5.29.19";
    private static final String KEY_USAGE_OID = "2.5.29.15";

    private final X509Certificate certificate;
    private final KeyPair keys;

    private TlsCertificate(X509Certificate certificate, KeyPair keys) {
        this.certificate = certificate;
        this.keys = keys;
    }

    /** A new key pair and certificate for the loopback names, valid from a day ago for ten years. */
    public static TlsCertificate forLocalhost() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            // The real clock, not the org's: peers check validity against their own time, which tests never move.
            Instant now = Instant.now();
            return new TlsCertificate(selfSigned(keys, now, List.of("localhost"),
                    List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))), keys);
        } catch (GeneralSecurityException | java.net.UnknownHostException e) {
            throw new IllegalStateException("The JDK cannot make an EC P-256 key pair and certificate", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate as PEM ({@code -----BEGIN CERTIFICATE-----}), what clients load as their trusted root. */
    public String certificatePem() {
        try {
            return Certificates.pem("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), as TLS servers load it. */
    public String privateKeyPem() {
        return Certificates.pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    private static X509Certificate selfSigned(KeyPair keys, Instant now, List<String> dnsNames,
            List<InetAddress> addresses) throws GeneralSecurityException {
        if (!keys.getPublic().getAlgorithm().equals("EC")) {
            throw new IllegalArgumentException("Only EC keys are signed here, not " + keys.getPublic().getAlgorithm());
        }
        // ECDSA signature algorithm identifiers have no parameters (RFC 5758 §3.2), unlike RSA's NULL.
        byte[] algorithm = Der.sequence(Der.oid(SHA256_WITH_ECDSA_OID));
        byte[] name = Certificates.name("Lockstep Salesforce Emulator", "localhost");
        List<byte[]> altNames = new ArrayList<>();
        for (String dns : dnsNames) {
            altNames.add(Der.implicit(2, dns.getBytes(StandardCharsets.US_ASCII)));
        }
        for (InetAddress address : addresses) {
            altNames.add(Der.implicit(7, address.getAddress()));
        }
        byte[] extensions = Der.explicit(3, Der.sequence(
                extension(SUBJECT_ALT_NAME_OID, false, Der.sequence(altNames.toArray(byte[][]::new))),
                extension(BASIC_CONSTRAINTS_OID, true, Der.sequence(Der.bool(true))),
                // digitalSignature (bit 0) for the TLS handshake, keyCertSign (bit 5) as the CA of itself.
                extension(KEY_USAGE_OID, true, Der.namedBits(true, false, false, false, false, true))));
        return Certificates.selfSigned(keys, "SHA256withECDSA", algorithm, name, now, extensions);
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }
}
