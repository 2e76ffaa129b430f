package dev.lockstep.salesforce.client.auth;

import java.net.URI;
import java.util.Objects;

/**
 * How the client logs in (reference §1.2). Secrets never appear in {@code toString()}, so a configuration can be
 * logged.
 */
public sealed interface Credentials {

    /** Where the token endpoint is: the login host or the org's My Domain. */
    URI loginUrl();

    String clientId();

    /** JWT bearer: a connected app's certificate, no secret or password stored. The recommended flow. */
    record JwtBearer(URI loginUrl, String clientId, String username, String privateKeyPem, String audience)
            implements Credentials {

        public JwtBearer {
            Objects.requireNonNull(loginUrl, "loginUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        }

        /**
         * JWT bearer with the private key read from a PKCS#8 PEM file.
         *
         * @throws java.io.UncheckedIOException naming the file (not its content) when it cannot be read
         */
        public static JwtBearer withKeyFile(URI loginUrl, String clientId, String username,
                java.nio.file.Path keyFile, String audience) {
            try {
                return new JwtBearer(loginUrl, clientId, username,
                        java.nio.file.Files.readString(keyFile, java.nio.charset.StandardCharsets.US_ASCII), audience);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("Cannot read the JWT private key file " + keyFile, e);
            }
        }

        /** The {@code aud} claim: as given, else {@code https://test.salesforce.com} for sandboxes, else login. */
        public String effectiveAudience() {
            if (audience != null && !audience.isBlank()) {
                return audience;
            }
            return loginUrl.getHost() != null && loginUrl.getHost().startsWith("test.")
                    ? "https://test.salesforce.com" : "https://login.salesforce.com";
        }

        @Override
        public String toString() {
            return "JwtBearer[loginUrl=" + loginUrl + ", clientId=" + clientId + ", username=" + username
                    + ", privateKey=(hidden)]";
        }
    }

    /** Client credentials: runs as the connected app's "Run As" user; must go to the org's My Domain URL. */
    record ClientCredentials(URI loginUrl, String clientId, String clientSecret) implements Credentials {

        public ClientCredentials {
            Objects.requireNonNull(loginUrl, "loginUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
        }

        @Override
        public String toString() {
            return "ClientCredentials[loginUrl=" + loginUrl + ", clientId=" + clientId + ", clientSecret=(hidden)]";
        }
    }

    /** A refresh token obtained once, interactively, exchanged for access tokens. */
    record RefreshToken(URI loginUrl, String clientId, String clientSecret, String refreshToken)
            implements Credentials {

        public RefreshToken {
            Objects.requireNonNull(loginUrl, "loginUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(refreshToken, "refreshToken");
        }

        @Override
        public String toString() {
            return "RefreshToken[loginUrl=" + loginUrl + ", clientId=" + clientId
                    + ", clientSecret=(hidden), refreshToken=(hidden)]";
        }
    }

    /** Username and password (plus security token): deprecated by Salesforce; the client warns when it is used. */
    record UsernamePassword(URI loginUrl, String clientId, String clientSecret, String username, String password)
            implements Credentials {

        public UsernamePassword {
            Objects.requireNonNull(loginUrl, "loginUrl");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "UsernamePassword[loginUrl=" + loginUrl + ", clientId=" + clientId + ", username=" + username
                    + ", clientSecret=(hidden), password=(hidden)]";
        }
    }
}
