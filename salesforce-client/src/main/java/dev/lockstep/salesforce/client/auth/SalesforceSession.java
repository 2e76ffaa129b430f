package dev.lockstep.salesforce.client.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.ErrorClassifier;
import dev.lockstep.salesforce.client.SalesforceException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one session every caller of a client shares (the auth layer of HOUSE_STYLE, after Camel's
 * {@code SalesforceSession}). {@link #token()} logs in on first use. When a call finds its token rejected it asks
 * {@link #renew(AccessToken)} with the token it used: the first caller logs in again, every other caller that
 * presents the same stale token waits for that login and gets its result, so exactly one re-login happens however
 * many calls fail at once.
 *
 * <p>Thread-safe. Tokens and instance URLs never reach a log line or an exception message.
 */
public final class SalesforceSession {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Token endpoint errors that mean the configuration is wrong, not that a retry could help. */
    private static final Set<String> BAD_CREDENTIALS = Set.of("invalid_grant", "invalid_client",
            "invalid_client_id", "unsupported_grant_type", "invalid_request", "inactive_user", "inactive_org",
            "invalid_scope");

    private final Credentials credentials;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final ReentrantLock loginLock = new ReentrantLock();
    private final AtomicLong logins = new AtomicLong();
    private volatile AccessToken current;

    public SalesforceSession(Credentials credentials, HttpClient http, Duration timeout, Clock clock) {
        this.credentials = credentials;
        this.http = http;
        this.timeout = timeout;
        this.clock = clock;
        if (credentials instanceof Credentials.UsernamePassword) {
            LOG.warn("Logging in to Salesforce with a username and password: Salesforce deprecates this flow; use "
                    + "JWT bearer or client credentials (clientId {})", credentials.clientId());
        }
    }

    /** The current token, logging in first if there is none. */
    public AccessToken token() {
        AccessToken token = current;
        return token != null ? token : renew(null);
    }

    /**
     * A fresh token after {@code stale} was rejected. If another caller already replaced {@code stale}, its token
     * is returned without a new login.
     *
     * @throws SalesforceException {@link ErrorCategory#FATAL} for credentials Salesforce refuses, RETRIABLE when
     *     the token endpoint could not be reached or answered 5xx
     */
    public AccessToken renew(AccessToken stale) {
        loginLock.lock();
        try {
            AccessToken now = current;
            if (now != null && now != stale) {
                return now;
            }
            current = login();
            logins.incrementAndGet();
            return current;
        } finally {
            loginLock.unlock();
        }
    }

    /** How many logins this session made (the first one included). */
    public long logins() {
        return logins.get();
    }

    public Credentials credentials() {
        return credentials;
    }

    private AccessToken login() {
        Map<String, String> form = new LinkedHashMap<>();
        if (credentials instanceof Credentials.JwtBearer jwt) {
            form.put("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
            form.put("assertion", JwtAssertions.sign(jwt, clock.instant()));
        } else if (credentials instanceof Credentials.ClientCredentials cc) {
            form.put("grant_type", "client_credentials");
            form.put("client_id", cc.clientId());
            form.put("client_secret", cc.clientSecret());
        } else if (credentials instanceof Credentials.RefreshToken rt) {
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", rt.refreshToken());
            form.put("client_id", rt.clientId());
            if (rt.clientSecret() != null) {
                form.put("client_secret", rt.clientSecret());
            }
        } else if (credentials instanceof Credentials.UsernamePassword up) {
            form.put("grant_type", "password");
            form.put("client_id", up.clientId());
            if (up.clientSecret() != null) {
                form.put("client_secret", up.clientSecret());
            }
            form.put("username", up.username());
            form.put("password", up.password());
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI endpoint = credentials.loginUrl().resolve("/services/oauth2/token");
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Salesforce login (" + flow()
                    + ") could not reach the token endpoint: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Salesforce login interrupted", e);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() != 200 || json == null || !json.hasNonNull("access_token")) {
            String error = json == null ? null : json.path("error").asText(null);
            String description = json == null ? null : json.path("error_description").asText(null);
            ErrorCategory category = error != null && BAD_CREDENTIALS.contains(error) ? ErrorCategory.FATAL
                    : "rate_limit_exceeded".equals(error) ? ErrorCategory.LIMIT
                    : ErrorClassifier.classify(response.statusCode(), null);
            throw new SalesforceException(category, response.statusCode(), error, "Salesforce login (" + flow()
                    + ", clientId " + credentials.clientId() + ") failed with HTTP " + response.statusCode()
                    + (error == null ? "" : ": " + error + (description == null ? "" : " (" + description + ")"))
                    + (category == ErrorCategory.FATAL ? ". Check the connector's Salesforce credentials." : ""));
        }
        String id = json.path("id").asText("");
        String[] parts = id.split("/");
        String orgId = parts.length >= 2 ? parts[parts.length - 2] : null;
        String userId = parts.length >= 1 ? parts[parts.length - 1] : null;
        Instant issuedAt = json.hasNonNull("issued_at")
                ? Instant.ofEpochMilli(Long.parseLong(json.get("issued_at").asText())) : clock.instant();
        LOG.info("Logged in to Salesforce org {} as user {} ({})", orgId, userId, flow());
        return new AccessToken(json.get("access_token").asText(), URI.create(json.path("instance_url").asText()),
                orgId, userId, issuedAt);
    }

    private String flow() {
        if (credentials instanceof Credentials.JwtBearer) {
            return "JWT bearer";
        }
        if (credentials instanceof Credentials.ClientCredentials) {
            return "client credentials";
        }
        return credentials instanceof Credentials.RefreshToken ? "refresh token" : "username-password";
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
