package dev.lockstep.emulator.auth;

import dev.lockstep.emulator.crypto.Certificates;
import dev.lockstep.emulator.crypto.Der;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The certificate of the emulated connected app, which JWT bearer assertions must be signed for: either the X.509
 * PEM file the emulator was configured with (the user keeps the private key), or a self-signed certificate over an
 * RSA key pair generated on first use, whose private key the emulator hands out so that tests can sign assertions.
 * Generating a 2048-bit key takes a noticeable fraction of a second, hence lazily: most emulators never see a JWT.
 * Thread-safe.
 */
final class JwtKeys {

    static final String SUBJECT = "Lockstep Salesforce Emulator";
    private static final String SHA256_WITH_RSA_OID = "1.2.840.113549.1.1.11";

    private final X509Certificate configured;
    private final Clock clock;
    private volatile Generated generated;

    private record Generated(KeyPair keys, X509Certificate certificate) {}

    private JwtKeys(X509Certificate configured, Clock clock) {
        this.configured = configured;
        this.clock = clock;
    }

    /**
     * Keys for an emulator: the certificate in {@code certificateFile} (PEM or DER X.509 with an RSA key), or, when
     * it is null, a key pair generated on first use. A missing or unreadable file fails the emulator's start.
     */
    static JwtKeys of(Path certificateFile, Clock clock) {
        if (certificateFile == null) {
            return new JwtKeys(null, clock);
        }
        try (InputStream in = Files.newInputStream(certificateFile)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            if (!(certificate.getPublicKey() instanceof RSAPublicKey)) {
                throw new IllegalArgumentException("The JWT certificate " + certificateFile + " holds a "
                        + certificate.getPublicKey().getAlgorithm() + " key; Salesforce signs assertions with RS256, "
                        + "which needs an RSA key");
            }
            return new JwtKeys(certificate, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the JWT certificate " + certificateFile, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("The JWT certificate " + certificateFile
                    + " is not an X.509 certificate in PEM or DER form: " + e.getMessage(), e);
        }
    }

    /** True when the certificate came from configuration, so the emulator has no private key to give out. */
    boolean configured() {
        return configured != null;
    }

    X509Certificate certificate() {
        return configured != null ? configured : generated().certificate();
    }

    /** The private key matching {@link #certificate()}, when the emulator generated it. */
    Optional<PrivateKey> privateKey() {
        return configured != null ? Optional.empty() : Optional.of(generated().keys().getPrivate());
    }

    /** Whether {@code signature} is an RSASSA-PKCS1-v1_5 SHA-256 signature of {@code signingInput} (RS256). */
    boolean verify(byte[] signingInput, byte[] signature) {
        if (configured == null && generated == null) {
            // Nobody can have signed for a key that does not exist yet; no need to spend a key generation on it.
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            // The key rather than the certificate: initVerify(Certificate) would also enforce a keyUsage
            // extension, which Salesforce does not look at for connected-app certificates.
            verifier.initVerify(certificate().getPublicKey());
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (java.security.SignatureException e) {
            // A signature of the wrong length for the key: not a valid signature.
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot verify SHA256withRSA signatures", e);
        }
    }

    private Generated generated() {
        Generated g = generated;
        if (g == null) {
            synchronized (this) {
                g = generated;
                if (g == null) {
                    g = generate(clock.instant());
                    generated = g;
                }
            }
        }
        return g;
    }

    private static Generated generate(Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            return new Generated(keys, selfSigned(keys, now));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot generate an RSA key pair and certificate", e);
        }
    }

    /**
     * A version 3 certificate without extensions, issued by and to {@value #SUBJECT}, valid from a day before
     * {@code now} (tolerating clock skew) for ten years: enough for tools that insist on a certificate rather
     * than a bare public key (a connected app in a real org takes only certificates).
     */
    private static X509Certificate selfSigned(KeyPair keys, Instant now) throws GeneralSecurityException {
        return Certificates.selfSigned(keys, "SHA256withRSA",
                Der.sequence(Der.oid(SHA256_WITH_RSA_OID), Der.nullValue()), Certificates.name("Lockstep", SUBJECT), now);
    }

    static String certificatePem(X509Certificate certificate) {
        try {
            return Certificates.pem("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String privateKeyPem(PrivateKey key) {
        // RSA private keys from the JDK encode as PKCS#8 (PrivateKeyInfo): "BEGIN PRIVATE KEY", which
        // jsonwebtoken, PyJWT, the Salesforce CLI and openssl all read.
        return Certificates.pem("PRIVATE KEY", key.getEncoded());
    }

    static String publicKeyPem(PublicKey key) {
        return Certificates.pem("PUBLIC KEY", key.getEncoded());
    }
}
