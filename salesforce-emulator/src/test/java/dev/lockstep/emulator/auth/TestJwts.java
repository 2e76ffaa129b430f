package dev.lockstep.emulator.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.EmulatorConfig;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JWT bearer assertions built with the JDK alone, independently of the emulator's parser: what a client such as
 * jsforce or the Salesforce CLI would send.
 */
final class TestJwts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestJwts() {}

    /** The claims Salesforce's JWT bearer flow wants, issued by the default connected app. */
    static Map<String, Object> claims(String sub, String aud, long exp) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", EmulatorConfig.DEFAULT_CLIENT_ID);
        claims.put("sub", sub);
        claims.put("aud", aud);
        claims.put("exp", exp);
        return claims;
    }

    /** An RS256 JWT as Salesforce documents it: header {@code {"alg":"RS256"}}, unpadded base64url parts. */
    static String jwt(Map<String, Object> claims, PrivateKey key) throws Exception {
        String signingInput = base64Url("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(JSON.writeValueAsBytes(claims));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + base64Url(signer.sign());
    }

    static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An RSA key from PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    static PrivateKey privateKeyFromPem(String pem) throws Exception {
        if (!pem.startsWith("-----BEGIN PRIVATE KEY-----\n") || !pem.endsWith("-----END PRIVATE KEY-----\n")) {
            throw new IllegalArgumentException("Not a PKCS#8 PEM private key");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                .decode(base64)));
    }
}
