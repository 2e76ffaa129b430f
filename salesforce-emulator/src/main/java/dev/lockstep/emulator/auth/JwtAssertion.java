package dev.lockstep.emulator.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;

/**
 * A JWT bearer assertion (RFC 7523) taken apart: its JOSE header, its claims, the bytes its signature covers and
 * the signature. Parsing checks only the shape (three base64url parts, two JSON objects); what the claims must
 * say is {@link OAuthApi}'s business. A malformed assertion is {@code invalid_grant} / {@code invalid assertion}.
 */
record JwtAssertion(JsonNode header, JsonNode claims, byte[] signingInput, byte[] signature) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static JwtAssertion parse(String assertion) {
        if (assertion == null || assertion.isBlank()) {
            throw invalid();
        }
        String[] parts = assertion.trim().split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw invalid();
        }
        try {
            Base64.Decoder decoder = Base64.getUrlDecoder();
            JsonNode header = JSON.readTree(decoder.decode(parts[0]));
            JsonNode claims = JSON.readTree(decoder.decode(parts[1]));
            if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
                throw invalid();
            }
            byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            return new JwtAssertion(header, claims, signingInput, decoder.decode(parts[2]));
        } catch (IllegalArgumentException | IOException e) {
            throw invalid();
        }
    }

    static OAuthError invalid() {
        return OAuthError.badRequest("invalid_grant", "invalid assertion");
    }

    String algorithm() {
        return text(header, "alg");
    }

    String issuer() {
        return text(claims, "iss");
    }

    String subject() {
        return text(claims, "sub");
    }

    /** {@code aud}: one string, or (RFC 7519 §4.1.3) an array of them. */
    List<String> audiences() {
        JsonNode aud = claims.get("aud");
        List<String> out = new ArrayList<>();
        if (aud != null && aud.isTextual()) {
            out.add(aud.asText());
        } else if (aud != null && aud.isArray()) {
            aud.forEach(a -> {
                if (a.isTextual()) {
                    out.add(a.asText());
                }
            });
        }
        return out;
    }

    /**
     * {@code exp} in seconds since the epoch. A JSON number as RFC 7519 says, but also a string of digits, which is
     * what simple-salesforce sends ({@code f'{expiration.timestamp():.0f}'}). Empty when absent or not a number.
     */
    OptionalLong expiry() {
        JsonNode exp = claims.get("exp");
        if (exp == null) {
            return OptionalLong.empty();
        }
        try {
            if (exp.isNumber()) {
                return OptionalLong.of(exp.decimalValue().longValue());
            }
            if (exp.isTextual()) {
                return OptionalLong.of(new BigDecimal(exp.asText().trim()).longValue());
            }
        } catch (NumberFormatException | ArithmeticException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
