package dev.lockstep.salesforce.client.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/** JWT bearer assertions (reference §1.2): RS256 over {@code iss}, {@code sub}, {@code aud}, {@code exp}. */
final class JwtAssertions {

    /** Salesforce wants {@code exp} at most about three minutes ahead. */
    static final Duration LIFETIME = Duration.ofMinutes(3);

    private JwtAssertions() {}

    static String sign(Credentials.JwtBearer credentials, Instant now) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = base64.encodeToString(("{\"iss\":" + quote(credentials.clientId()) + ",\"sub\":"
                + quote(credentials.username()) + ",\"aud\":" + quote(credentials.effectiveAudience())
                + ",\"exp\":" + now.plus(LIFETIME).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8));
        String signingInput = header + "." + claims;
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(privateKey(credentials.privateKeyPem()));
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("The JWT private key cannot sign with RS256: " + e.getMessage(), e);
        }
    }

    /**
     * An RSA private key from PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}).
     *
     * @throws IllegalArgumentException saying how to convert a PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or an
     *     encrypted key, or that the text is not a key at all; the key itself is never part of the message
     */
    static PrivateKey privateKey(String pem) {
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            throw new IllegalArgumentException("The JWT private key is in PKCS#1 form (BEGIN RSA PRIVATE KEY); "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
        }
        if (pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("The JWT private key is encrypted; give it unencrypted in PKCS#8 "
                    + "form (openssl pkcs8 -topk8 -nocrypt) and protect it with a config provider instead");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("The JWT private key is not a PKCS#8 PEM key "
                    + "(-----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----)");
        }
        String body = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(body)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("The JWT private key is not a valid RSA PKCS#8 key", e);
        }
    }

    private static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
