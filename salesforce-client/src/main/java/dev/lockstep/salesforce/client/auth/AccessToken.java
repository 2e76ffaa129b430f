package dev.lockstep.salesforce.client.auth;

import java.net.URI;
import java.time.Instant;

/**
 * A session: the access token, the instance URL calls go to, and the org and user it belongs to (from the
 * identity URL). {@code toString()} hides the token and the instance URL, so a token can never reach a log line
 * by accident.
 */
public record AccessToken(String value, URI instanceUrl, String orgId, String userId, Instant issuedAt) {

    @Override
    public String toString() {
        return "AccessToken[org=" + orgId + ", user=" + userId + ", issuedAt=" + issuedAt + "]";
    }
}
