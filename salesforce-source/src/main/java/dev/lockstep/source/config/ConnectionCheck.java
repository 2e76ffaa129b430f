package dev.lockstep.source.config;

import static dev.lockstep.source.config.SalesforceConnectionConfig.AUTH_FLOW_CONFIG;
import static dev.lockstep.source.config.SalesforceConnectionConfig.CLIENT_ID_CONFIG;
import static dev.lockstep.source.config.SalesforceConnectionConfig.CLIENT_SECRET_CONFIG;
import static dev.lockstep.source.config.SalesforceConnectionConfig.JWT_AUDIENCE_CONFIG;
import static dev.lockstep.source.config.SalesforceConnectionConfig.LOGIN_URL_CONFIG;
import static dev.lockstep.source.config.SalesforceConnectionConfig.USERNAME_CONFIG;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Tries a configuration against the real org, for {@code Connector.validate()}: logs in, and optionally checks that
 * the objects to sync exist, all within one time-out. A failure comes back as a {@link ConfigProblem} on the key the
 * operator should fix (a refused consumer key on {@code salesforce.client.id}, a refused credential on the flow's
 * credential key, an unreachable host on {@code salesforce.login.url}); its message never holds a secret, a token or
 * an instance URL.
 *
 * <p>The calls run on a daemon thread of their own, so a host that never answers cannot hold the caller past the
 * time-out; the thread is interrupted when the check gives up. No retries: a validation reports what it found.
 */
public final class ConnectionCheck {

    /** How long {@code Connector.validate()} waits for the org. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private ConnectionCheck() {}

    /** Logs in once; empty when Salesforce accepted the credentials. */
    public static Optional<ConfigProblem> tryLogin(SalesforceConnectionConfig connection, Duration timeout) {
        return check(connection, List.of(), null, timeout).stream().findFirst();
    }

    /**
     * Logs in, then (when {@code objects} is not empty) lists the org's objects once and reports those of
     * {@code objects} the org does not have, or its connector user cannot see, on {@code objectsKey}.
     *
     * @return the problems found, empty when the login worked and every object exists
     */
    public static List<ConfigProblem> check(SalesforceConnectionConfig connection, Collection<String> objects,
            String objectsKey, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SalesforceClient client = SalesforceClient.create(checkConfig(connection, timeout));
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "lockstep-connection-check");
            thread.setDaemon(true);
            return thread;
        });
        try {
            try {
                call(executor, () -> client.session().token(), deadline);
            } catch (TimeoutException e) {
                return List.of(new ConfigProblem(LOGIN_URL_CONFIG, "No answer from the Salesforce login endpoint at "
                        + connection.loginUrl() + " within " + seconds(timeout) + ": check " + LOGIN_URL_CONFIG
                        + " and that the Connect worker can reach that host (proxy, firewall)"));
            } catch (ExecutionException e) {
                return List.of(loginProblem(connection, e.getCause()));
            }
            if (objects.isEmpty()) {
                return List.of();
            }
            JsonNode global;
            try {
                global = call(executor, () -> client.rest().describeGlobal(), deadline);
            } catch (TimeoutException e) {
                return List.of(new ConfigProblem(objectsKey, "Logged in, but listing the org's objects "
                        + "(describeGlobal) took longer than " + seconds(timeout) + "; the objects of " + objectsKey
                        + " could not be checked"));
            } catch (ExecutionException e) {
                return List.of(new ConfigProblem(objectsKey, "Logged in, but cannot list the org's objects "
                        + "(describeGlobal), so the objects of " + objectsKey + " could not be checked: "
                        + safeMessage(e.getCause()) + ". The connector's user needs the API Enabled permission"));
            }
            Set<String> known = new HashSet<>();
            global.path("sobjects").forEach(o -> known.add(o.path("name").asText().toLowerCase(Locale.ROOT)));
            List<String> missing = new ArrayList<>();
            for (String object : objects) {
                if (!known.contains(object.trim().toLowerCase(Locale.ROOT))) {
                    missing.add(object.trim());
                }
            }
            if (missing.isEmpty()) {
                return List.of();
            }
            return List.of(new ConfigProblem(objectsKey, "The org has no object " + String.join(", ", missing)
                    + ", or the connector's user cannot see " + (missing.size() == 1 ? "it" : "them")
                    + ": check the API names in " + objectsKey + " (custom objects end in __c) and the user's object "
                    + "permissions"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(new ConfigProblem(LOGIN_URL_CONFIG, "The connection check was interrupted before "
                    + "Salesforce answered"));
        } finally {
            executor.shutdownNow();
            client.close();
        }
    }

    /** The connection's client, without retries or budget hold, each request bounded by the check's time-out. */
    private static SalesforceClient.Config checkConfig(SalesforceConnectionConfig connection, Duration timeout) {
        SalesforceClient.Config config = connection.clientConfig();
        Duration requestTimeout = timeout.compareTo(config.requestTimeout()) < 0 ? timeout : config.requestTimeout();
        return new SalesforceClient.Config(config.credentials(), config.apiVersion(), config.callOptionsClient(),
                new RetryPolicy(0, Duration.ZERO, Duration.ZERO), requestTimeout, 0, config.maxConcurrentCalls(),
                config.maxBudgetHold(), config.pubsubTarget(), config.pubsubTrustCertificate(),
                config.pubsubPlaintext());
    }

    private static <T> T call(ExecutorService executor, Callable<T> call, long deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        Future<T> future = executor.submit(call);
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } finally {
            future.cancel(true);
        }
    }

    /** The key a failed login concerns, and what to do about it. */
    static ConfigProblem loginProblem(SalesforceConnectionConfig connection, Throwable failure) {
        String flow = AUTH_FLOW_CONFIG + "=" + connection.authFlow().value();
        if (failure instanceof IllegalArgumentException) {
            // The JWT key could not sign: the client's message says why, never quoting the key.
            return new ConfigProblem(connection.credentialKey(), failure.getMessage());
        }
        if (!(failure instanceof SalesforceException e)) {
            return new ConfigProblem(LOGIN_URL_CONFIG, "Logging in to " + connection.loginUrl() + " failed: "
                    + safeMessage(failure));
        }
        String code = e.errorCode() == null ? "" : e.errorCode();
        String said = " (Salesforce said: " + e.getMessage() + ")";
        switch (code) {
            case "invalid_client_id":
                return new ConfigProblem(CLIENT_ID_CONFIG, "Salesforce does not know the consumer key in "
                        + CLIENT_ID_CONFIG + ": copy it from the connected app's consumer details" + said);
            case "invalid_client":
                return connection.hasClientSecret()
                        ? new ConfigProblem(CLIENT_SECRET_CONFIG, "Salesforce refused the consumer secret in "
                                + CLIENT_SECRET_CONFIG + " for the consumer key in " + CLIENT_ID_CONFIG
                                + ": copy both from the same connected app" + said)
                        : new ConfigProblem(CLIENT_ID_CONFIG, "Salesforce refused the connected app of "
                                + CLIENT_ID_CONFIG + ": it needs " + CLIENT_SECRET_CONFIG + said);
            case "invalid_grant":
                // Only Salesforce's description (after the code) hints which part was refused.
                String message = e.getMessage().toLowerCase(Locale.ROOT);
                return grantProblem(connection, flow, message.substring(Math.max(0, message.indexOf(code))), said);
            case "inactive_user":
                return new ConfigProblem(connection.username() != null ? USERNAME_CONFIG : CLIENT_ID_CONFIG,
                        "The Salesforce user the connector logs in as is inactive: activate it or use another"
                                + said);
            case "inactive_org":
                return new ConfigProblem(LOGIN_URL_CONFIG, "The org at " + connection.loginUrl() + " is inactive"
                        + said);
            case "unsupported_grant_type", "invalid_scope", "invalid_request":
                return new ConfigProblem(AUTH_FLOW_CONFIG, "The connected app does not allow " + flow
                        + ": enable the flow in its OAuth settings, or choose another flow" + said);
            case "rate_limit_exceeded":
                return new ConfigProblem(LOGIN_URL_CONFIG, "Salesforce refused the login for now: too many logins "
                        + "in a short time; try again later" + said);
            default:
                break;
        }
        if (e.httpStatus() == 0) {
            String why = rootCause(e).getClass().getSimpleName();
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof UnknownHostException) {
                    why = "the host is unknown";
                    break;
                } else if (cause instanceof ConnectException) {
                    why = "the connection was refused";
                    break;
                } else if (cause instanceof HttpTimeoutException) {
                    why = "it did not answer in time";
                    break;
                }
            }
            return new ConfigProblem(LOGIN_URL_CONFIG, "Cannot reach the Salesforce login endpoint at "
                    + connection.loginUrl() + ": " + why + ". Check " + LOGIN_URL_CONFIG + " and that the Connect "
                    + "worker can reach that host");
        }
        if (e.httpStatus() >= 500) {
            return new ConfigProblem(LOGIN_URL_CONFIG, "The Salesforce login endpoint at " + connection.loginUrl()
                    + " answered HTTP " + e.httpStatus() + "; try again later" + said);
        }
        return new ConfigProblem(LOGIN_URL_CONFIG, "The login at " + connection.loginUrl() + " failed with HTTP "
                + e.httpStatus() + ": is " + LOGIN_URL_CONFIG + " a Salesforce login host?" + said);
    }

    /** invalid_grant: the flow's credential was refused; the description tells which part. */
    private static ConfigProblem grantProblem(SalesforceConnectionConfig connection, String flow,
            String description, String said) {
        return switch (connection.authFlow()) {
            case JWT -> {
                if (description.contains("audience")) {
                    yield new ConfigProblem(JWT_AUDIENCE_CONFIG, "Salesforce refused the JWT audience: leave "
                            + JWT_AUDIENCE_CONFIG + " empty, or set it to https://login.salesforce.com (production) "
                            + "or https://test.salesforce.com (sandbox)" + said);
                }
                if (description.contains("user")) {
                    yield new ConfigProblem(USERNAME_CONFIG, "Salesforce refused the user in " + USERNAME_CONFIG
                            + ": check the login name, and that the user's profile or a permission set is "
                            + "pre-authorized in the connected app's policies" + said);
                }
                yield new ConfigProblem(connection.credentialKey(), "Salesforce refused the JWT assertion: the "
                        + "private key in " + connection.credentialKey() + " must match the certificate uploaded "
                        + "to the connected app of " + CLIENT_ID_CONFIG + said);
            }
            case CLIENT_CREDENTIALS -> new ConfigProblem(CLIENT_ID_CONFIG, "Salesforce refused " + flow + " for "
                    + "the connected app of " + CLIENT_ID_CONFIG + ": enable the Client Credentials Flow and set its "
                    + "Run As user in the app's policies" + said);
            case REFRESH_TOKEN -> new ConfigProblem(SalesforceConnectionConfig.REFRESH_TOKEN_CONFIG, "Salesforce "
                    + "refused the refresh token in " + SalesforceConnectionConfig.REFRESH_TOKEN_CONFIG + ": it "
                    + "expired or was revoked, or was issued to another connected app; obtain a new one" + said);
            case PASSWORD -> new ConfigProblem(SalesforceConnectionConfig.PASSWORD_CONFIG, "Salesforce refused "
                    + USERNAME_CONFIG + " with " + SalesforceConnectionConfig.PASSWORD_CONFIG + ": check both, and "
                    + "append the user's security token to the password" + said);
        };
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Our client's messages hold no secrets; anything else is named by its type only. */
    private static String safeMessage(Throwable failure) {
        return failure instanceof SalesforceException || failure instanceof IllegalArgumentException
                ? failure.getMessage() : failure.getClass().getSimpleName();
    }

    private static String seconds(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
