package dev.lockstep.source.config;

import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The "Salesforce connection" group shared by the source and the sink connector: where the org is, how to log in,
 * and how to call it (retries, time-outs, API budget). Two parts, used by composition:
 *
 * <ul>
 *   <li>a {@link ConfigDef} fragment, {@link #addTo(ConfigDef)}, that a connector's ConfigDef includes;
 *   <li>a parsed, immutable value, {@link #SalesforceConnectionConfig(AbstractConfig)}, read from any
 *       {@link AbstractConfig} built on a ConfigDef holding the fragment, that makes the client's
 *       {@link #clientConfig() configuration}.
 * </ul>
 *
 * <p>The checks that span keys (the chosen flow's keys are present, no contradictions) are {@link #problems}, which
 * {@code Connector.validate()} attaches to the keys and the constructor throws. Secrets are {@code PASSWORD} keys;
 * {@link #toString()} never prints them.
 */
public final class SalesforceConnectionConfig {

    public static final String GROUP = "Salesforce connection";

    public static final String LOGIN_URL_CONFIG = "salesforce.login.url";
    public static final String LOGIN_URL_DEFAULT = "https://login.salesforce.com";
    public static final String LOGIN_URL_DOC = "Where the connector logs in: https://login.salesforce.com for "
            + "production orgs, https://test.salesforce.com for sandboxes, or the org's My Domain URL "
            + "(https://<my-domain>.my.salesforce.com), which the client_credentials flow requires.";

    public static final String AUTH_FLOW_CONFIG = "salesforce.auth.flow";
    public static final String AUTH_FLOW_DEFAULT = AuthFlow.JWT.value();
    public static final String AUTH_FLOW_DOC = "The OAuth flow the connector logs in with. 'jwt' (recommended): "
            + "JWT bearer signed with the connected app's private key, needs salesforce.username and one of "
            + "salesforce.jwt.private.key or salesforce.jwt.private.key.file. 'client_credentials': the connected "
            + "app's consumer key and secret, runs as the app's Run As user, needs salesforce.client.secret and a "
            + "My Domain login URL. 'refresh_token': needs salesforce.refresh.token (salesforce.client.secret if "
            + "the app requires it). 'password': deprecated by Salesforce, needs salesforce.username, "
            + "salesforce.password and salesforce.client.secret.";

    public static final String CLIENT_ID_CONFIG = "salesforce.client.id";
    public static final String CLIENT_ID_DOC = "Required. The consumer key of the connected app (external client "
            + "app) the connector logs in through.";

    public static final String CLIENT_SECRET_CONFIG = "salesforce.client.secret";
    public static final String CLIENT_SECRET_DOC = "The consumer secret of the connected app. Needed by the "
            + "client_credentials and password flows, optional for refresh_token, unused by jwt.";

    public static final String USERNAME_CONFIG = "salesforce.username";
    public static final String USERNAME_DOC = "The login name of the Salesforce user the connector acts as "
            + "(e.g. integration@example.com). Needed by the jwt and password flows.";

    public static final String PASSWORD_CONFIG = "salesforce.password";
    public static final String PASSWORD_DOC = "The user's password, with the user's security token appended "
            + "unless the org trusts the worker's IP range. Password flow only.";

    public static final String REFRESH_TOKEN_CONFIG = "salesforce.refresh.token";
    public static final String REFRESH_TOKEN_DOC = "A refresh token issued to the connected app for the user, "
            + "obtained once through an interactive login. refresh_token flow only.";

    public static final String JWT_PRIVATE_KEY_CONFIG = "salesforce.jwt.private.key";
    public static final String JWT_PRIVATE_KEY_DOC = "The private key matching the certificate uploaded to the "
            + "connected app, as PKCS#8 PEM text (-----BEGIN PRIVATE KEY-----). jwt flow; set this or "
            + "salesforce.jwt.private.key.file, not both.";

    public static final String JWT_PRIVATE_KEY_FILE_CONFIG = "salesforce.jwt.private.key.file";
    public static final String JWT_PRIVATE_KEY_FILE_DOC = "Path, on every Connect worker, of a PKCS#8 PEM file "
            + "holding the JWT private key. jwt flow; set this or salesforce.jwt.private.key, not both.";

    public static final String JWT_AUDIENCE_CONFIG = "salesforce.jwt.audience";
    public static final String JWT_AUDIENCE_DOC = "The 'aud' claim of the JWT assertion. Empty: "
            + "https://test.salesforce.com when the login URL is test.salesforce.com, else "
            + "https://login.salesforce.com.";

    public static final String API_VERSION_CONFIG = "salesforce.api.version";
    public static final String API_VERSION_DEFAULT = "61.0";
    public static final String API_VERSION_DOC = "The Salesforce REST, Bulk and Streaming API version to call.";

    public static final String PUBSUB_ENDPOINT_CONFIG = "salesforce.pubsub.endpoint";
    public static final String PUBSUB_ENDPOINT_DEFAULT = SalesforceClient.Config.PUBSUB_ENDPOINT;
    public static final String PUBSUB_ENDPOINT_DOC = "host:port of Salesforce's Pub/Sub API (gRPC).";

    public static final String PUBSUB_TRUST_CERTIFICATE_FILE_CONFIG = "salesforce.pubsub.trust.certificate.file";
    public static final String PUBSUB_TRUST_CERTIFICATE_FILE_DOC = "Path of a PEM certificate to trust for the "
            + "Pub/Sub TLS connection instead of the JVM's default trust store, e.g. a local emulator's "
            + "self-signed certificate. Empty: the JVM's default trust.";

    public static final String PUBSUB_PLAINTEXT_CONFIG = "salesforce.pubsub.plaintext";
    public static final boolean PUBSUB_PLAINTEXT_DEFAULT = false;
    public static final String PUBSUB_PLAINTEXT_DOC = "Connect to the Pub/Sub endpoint without TLS. For a local "
            + "emulator only: Salesforce accepts TLS connections only.";

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "salesforce.request.timeout.ms";
    public static final long REQUEST_TIMEOUT_MS_DEFAULT = 120_000L;
    public static final String REQUEST_TIMEOUT_MS_DOC = "How long one HTTP call to Salesforce (a login, a REST "
            + "call, a Bulk API request) may take before it fails as a time-out, in milliseconds.";

    public static final String RETRY_MAX_ATTEMPTS_CONFIG = "retry.max.attempts";
    public static final int RETRY_MAX_ATTEMPTS_DEFAULT = 10;
    public static final String RETRY_MAX_ATTEMPTS_DOC = "How many times a Salesforce call that failed transiently "
            + "(I/O error, time-out, HTTP 5xx, row lock) is retried before the failure is reported; 0 retries "
            + "never.";

    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    public static final long RETRY_BACKOFF_MS_DEFAULT = 500L;
    public static final String RETRY_BACKOFF_MS_DOC = "The base of the exponential backoff between retries, in "
            + "milliseconds: retry n waits a random time up to min(retry.backoff.max.ms, retry.backoff.ms * 2^n).";

    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    public static final long RETRY_BACKOFF_MAX_MS_DEFAULT = 60_000L;
    public static final String RETRY_BACKOFF_MAX_MS_DOC = "The longest wait between two retries, in milliseconds; "
            + "at least retry.backoff.ms.";

    public static final String API_BUDGET_RESERVE_CONFIG = "api.budget.reserve";
    public static final double API_BUDGET_RESERVE_DEFAULT = 0.2;
    public static final String API_BUDGET_RESERVE_DOC = "Share of the org's daily API request allocation left for "
            + "other clients: calls are held while less than this share remains (0.2 = 20%), and fail after "
            + "being held too long. 0 uses the whole allocation.";

    public static final String API_MAX_CONCURRENT_CALLS_CONFIG = "api.max.concurrent.calls";
    public static final int API_MAX_CONCURRENT_CALLS_DEFAULT = 4;
    public static final String API_MAX_CONCURRENT_CALLS_DOC = "At most this many Salesforce API calls of one "
            + "connector or task are in flight at once (Salesforce allows 25 concurrent long-running requests per "
            + "org, 5 on Developer Edition).";

    /** How long a call may be held for the API budget reserve before it fails with a LIMIT error. */
    static final Duration MAX_BUDGET_HOLD = Duration.ofMinutes(5);

    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";

    private final URI loginUrl;
    private final AuthFlow authFlow;
    private final String clientId;
    private final String username;
    private final String jwtAudience;
    private final Path jwtPrivateKeyFile;
    private final boolean clientSecretSet;
    private final String apiVersion;
    private final String pubsubEndpoint;
    private final Path pubsubTrustCertificateFile;
    private final boolean pubsubPlaintext;
    private final Duration requestTimeout;
    private final RetryPolicy retryPolicy;
    private final double apiBudgetReserve;
    private final int apiMaxConcurrentCalls;
    private final Credentials credentials;

    /**
     * Reads the connection keys from {@code config}, which must have been parsed with a ConfigDef holding
     * {@link #addTo the fragment}.
     *
     * @throws ConfigException naming each key to fix when {@link #problems} finds any, or when the JWT key file
     *     cannot be read
     */
    public SalesforceConnectionConfig(AbstractConfig config) {
        List<ConfigProblem> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new ConfigException("Invalid Salesforce connection configuration: " + problems.stream()
                    .map(ConfigProblem::message).collect(Collectors.joining("; ")));
        }
        this.loginUrl = URI.create(config.getString(LOGIN_URL_CONFIG).trim());
        this.authFlow = AuthFlow.parse(config.getString(AUTH_FLOW_CONFIG));
        this.clientId = text(config, CLIENT_ID_CONFIG);
        this.username = text(config, USERNAME_CONFIG);
        this.jwtAudience = text(config, JWT_AUDIENCE_CONFIG);
        this.jwtPrivateKeyFile = path(config, JWT_PRIVATE_KEY_FILE_CONFIG);
        this.clientSecretSet = secret(config, CLIENT_SECRET_CONFIG) != null;
        this.apiVersion = config.getString(API_VERSION_CONFIG).trim();
        this.pubsubEndpoint = config.getString(PUBSUB_ENDPOINT_CONFIG).trim();
        this.pubsubTrustCertificateFile = path(config, PUBSUB_TRUST_CERTIFICATE_FILE_CONFIG);
        this.pubsubPlaintext = config.getBoolean(PUBSUB_PLAINTEXT_CONFIG);
        this.requestTimeout = Duration.ofMillis(config.getLong(REQUEST_TIMEOUT_MS_CONFIG));
        this.retryPolicy = new RetryPolicy(config.getInt(RETRY_MAX_ATTEMPTS_CONFIG),
                Duration.ofMillis(config.getLong(RETRY_BACKOFF_MS_CONFIG)),
                Duration.ofMillis(config.getLong(RETRY_BACKOFF_MAX_MS_CONFIG)));
        this.apiBudgetReserve = config.getDouble(API_BUDGET_RESERVE_CONFIG);
        this.apiMaxConcurrentCalls = config.getInt(API_MAX_CONCURRENT_CALLS_CONFIG);
        this.credentials = credentials(config);
    }

    /** Parses {@code props} with the fragment alone (other keys are ignored), e.g. for a tool that only logs in. */
    public static SalesforceConnectionConfig parse(Map<?, ?> props) {
        return new SalesforceConnectionConfig(new AbstractConfig(configDef(), props, false));
    }

    /** Adds the connection keys to {@code def} and returns it. */
    public static ConfigDef addTo(ConfigDef def) {
        int order = 0;
        return def
                .define(LOGIN_URL_CONFIG, Type.STRING, LOGIN_URL_DEFAULT, Validators.httpUrl(false),
                        Importance.HIGH, LOGIN_URL_DOC, GROUP, ++order, Width.LONG, "Login URL")
                .define(AUTH_FLOW_CONFIG, Type.STRING, AUTH_FLOW_DEFAULT, EnumValidator.of(AuthFlow.class),
                        Importance.HIGH, AUTH_FLOW_DOC, GROUP, ++order, Width.SHORT, "Login flow")
                .define(CLIENT_ID_CONFIG, Type.STRING, null, Importance.HIGH, CLIENT_ID_DOC, GROUP, ++order,
                        Width.LONG, "Connected app consumer key")
                .define(CLIENT_SECRET_CONFIG, Type.PASSWORD, null, Importance.HIGH, CLIENT_SECRET_DOC, GROUP,
                        ++order, Width.LONG, "Connected app consumer secret")
                .define(USERNAME_CONFIG, Type.STRING, null, Importance.HIGH, USERNAME_DOC, GROUP, ++order,
                        Width.MEDIUM, "Username")
                .define(PASSWORD_CONFIG, Type.PASSWORD, null, Importance.HIGH, PASSWORD_DOC, GROUP, ++order,
                        Width.MEDIUM, "Password and security token")
                .define(REFRESH_TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, REFRESH_TOKEN_DOC, GROUP,
                        ++order, Width.LONG, "Refresh token")
                .define(JWT_PRIVATE_KEY_CONFIG, Type.PASSWORD, null, Importance.HIGH, JWT_PRIVATE_KEY_DOC, GROUP,
                        ++order, Width.LONG, "JWT private key (PEM)")
                .define(JWT_PRIVATE_KEY_FILE_CONFIG, Type.STRING, null, Importance.HIGH, JWT_PRIVATE_KEY_FILE_DOC,
                        GROUP, ++order, Width.LONG, "JWT private key file")
                .define(JWT_AUDIENCE_CONFIG, Type.STRING, null, Validators.httpUrl(true), Importance.LOW,
                        JWT_AUDIENCE_DOC, GROUP, ++order, Width.LONG, "JWT audience")
                .define(API_VERSION_CONFIG, Type.STRING, API_VERSION_DEFAULT, Validators.apiVersion(),
                        Importance.MEDIUM, API_VERSION_DOC, GROUP, ++order, Width.SHORT, "API version")
                .define(PUBSUB_ENDPOINT_CONFIG, Type.STRING, PUBSUB_ENDPOINT_DEFAULT, Validators.hostPort(),
                        Importance.LOW, PUBSUB_ENDPOINT_DOC, GROUP, ++order, Width.LONG, "Pub/Sub API endpoint")
                .define(PUBSUB_TRUST_CERTIFICATE_FILE_CONFIG, Type.STRING, null, Importance.LOW,
                        PUBSUB_TRUST_CERTIFICATE_FILE_DOC, GROUP, ++order, Width.LONG, "Pub/Sub trusted certificate")
                .define(PUBSUB_PLAINTEXT_CONFIG, Type.BOOLEAN, PUBSUB_PLAINTEXT_DEFAULT, Importance.LOW,
                        PUBSUB_PLAINTEXT_DOC, GROUP, ++order, Width.SHORT, "Pub/Sub without TLS")
                .define(REQUEST_TIMEOUT_MS_CONFIG, Type.LONG, REQUEST_TIMEOUT_MS_DEFAULT, Range.atLeast(1000L),
                        Importance.LOW, REQUEST_TIMEOUT_MS_DOC, GROUP, ++order, Width.SHORT, "Request time-out (ms)")
                .define(RETRY_MAX_ATTEMPTS_CONFIG, Type.INT, RETRY_MAX_ATTEMPTS_DEFAULT, Range.atLeast(0),
                        Importance.LOW, RETRY_MAX_ATTEMPTS_DOC, GROUP, ++order, Width.SHORT, "Retries")
                .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MS_DEFAULT, Range.atLeast(1L),
                        Importance.LOW, RETRY_BACKOFF_MS_DOC, GROUP, ++order, Width.SHORT, "Retry backoff (ms)")
                .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MAX_MS_DEFAULT, Range.atLeast(1L),
                        Importance.LOW, RETRY_BACKOFF_MAX_MS_DOC, GROUP, ++order, Width.SHORT,
                        "Longest retry backoff (ms)")
                .define(API_BUDGET_RESERVE_CONFIG, Type.DOUBLE, API_BUDGET_RESERVE_DEFAULT,
                        Validators.shareBelowOne(), Importance.MEDIUM, API_BUDGET_RESERVE_DOC, GROUP, ++order,
                        Width.SHORT, "API budget reserve")
                .define(API_MAX_CONCURRENT_CALLS_CONFIG, Type.INT, API_MAX_CONCURRENT_CALLS_DEFAULT,
                        Range.atLeast(1), Importance.LOW, API_MAX_CONCURRENT_CALLS_DOC, GROUP, ++order, Width.SHORT,
                        "Concurrent API calls");
    }

    /** A new ConfigDef holding only the connection keys. */
    public static ConfigDef configDef() {
        return addTo(new ConfigDef());
    }

    /** The names of the connection keys. */
    public static Set<String> keys() {
        return configDef().names();
    }

    /**
     * What is wrong across keys: a key the chosen flow needs is missing, two keys contradict each other, a file
     * cannot be read. Empty when the connection keys are consistent. {@code config} must hold the fragment and have
     * passed its field validators.
     */
    public static List<ConfigProblem> problems(AbstractConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        AuthFlow flow = AuthFlow.parse(config.getString(AUTH_FLOW_CONFIG));
        String flowName = AUTH_FLOW_CONFIG + "=" + flow.value();
        if (text(config, CLIENT_ID_CONFIG) == null) {
            problems.add(new ConfigProblem(CLIENT_ID_CONFIG, CLIENT_ID_CONFIG + " is required: set it to the "
                    + "consumer key of the connected app the connector logs in through"));
        }
        switch (flow) {
            case JWT -> {
                requireText(problems, config, USERNAME_CONFIG, flowName,
                        "the login name of the user the connector acts as");
                Password key = secret(config, JWT_PRIVATE_KEY_CONFIG);
                Path keyFile = path(config, JWT_PRIVATE_KEY_FILE_CONFIG);
                if (key == null && text(config, JWT_PRIVATE_KEY_FILE_CONFIG) == null) {
                    problems.add(new ConfigProblem(JWT_PRIVATE_KEY_CONFIG, flowName + " needs the private key: set "
                            + JWT_PRIVATE_KEY_CONFIG + " to its PKCS#8 PEM text or " + JWT_PRIVATE_KEY_FILE_CONFIG
                            + " to the path of a PEM file"));
                } else if (key != null && text(config, JWT_PRIVATE_KEY_FILE_CONFIG) != null) {
                    problems.add(new ConfigProblem(JWT_PRIVATE_KEY_FILE_CONFIG, "Both " + JWT_PRIVATE_KEY_CONFIG
                            + " and " + JWT_PRIVATE_KEY_FILE_CONFIG + " are set: remove one of them"));
                } else if (key != null) {
                    pemProblem(key.value()).ifPresent(p -> problems.add(new ConfigProblem(JWT_PRIVATE_KEY_CONFIG,
                            JWT_PRIVATE_KEY_CONFIG + " " + p)));
                } else {
                    readableProblem(problems, config, JWT_PRIVATE_KEY_FILE_CONFIG, keyFile);
                }
            }
            case CLIENT_CREDENTIALS -> {
                requireSecret(problems, config, CLIENT_SECRET_CONFIG, flowName, "the connected app's consumer "
                        + "secret");
                String host = URI.create(config.getString(LOGIN_URL_CONFIG).trim()).getHost()
                        .toLowerCase(Locale.ROOT);
                if (host.equals("login.salesforce.com") || host.equals("test.salesforce.com")) {
                    problems.add(new ConfigProblem(LOGIN_URL_CONFIG, flowName + " must log in at the org's My "
                            + "Domain URL: set " + LOGIN_URL_CONFIG + " to https://<my-domain>.my.salesforce.com "
                            + "(Setup > My Domain), not " + host));
                }
            }
            case REFRESH_TOKEN -> requireSecret(problems, config, REFRESH_TOKEN_CONFIG, flowName,
                    "a refresh token issued to the connected app");
            case PASSWORD -> {
                requireText(problems, config, USERNAME_CONFIG, flowName,
                        "the login name of the user the connector acts as");
                requireSecret(problems, config, PASSWORD_CONFIG, flowName,
                        "the user's password followed by the user's security token");
                requireSecret(problems, config, CLIENT_SECRET_CONFIG, flowName, "the connected app's consumer "
                        + "secret");
            }
        }
        if (text(config, PUBSUB_TRUST_CERTIFICATE_FILE_CONFIG) != null) {
            if (config.getBoolean(PUBSUB_PLAINTEXT_CONFIG)) {
                problems.add(new ConfigProblem(PUBSUB_TRUST_CERTIFICATE_FILE_CONFIG, PUBSUB_PLAINTEXT_CONFIG
                        + "=true connects without TLS, so " + PUBSUB_TRUST_CERTIFICATE_FILE_CONFIG + " would be "
                        + "ignored: remove one of them"));
            } else {
                readableProblem(problems, config, PUBSUB_TRUST_CERTIFICATE_FILE_CONFIG,
                        path(config, PUBSUB_TRUST_CERTIFICATE_FILE_CONFIG));
            }
        }
        if (config.getLong(RETRY_BACKOFF_MAX_MS_CONFIG) < config.getLong(RETRY_BACKOFF_MS_CONFIG)) {
            problems.add(new ConfigProblem(RETRY_BACKOFF_MAX_MS_CONFIG, RETRY_BACKOFF_MAX_MS_CONFIG + " ("
                    + config.getLong(RETRY_BACKOFF_MAX_MS_CONFIG) + ") is below " + RETRY_BACKOFF_MS_CONFIG + " ("
                    + config.getLong(RETRY_BACKOFF_MS_CONFIG) + "): raise it, or lower " + RETRY_BACKOFF_MS_CONFIG));
        }
        return problems;
    }

    /** What the client is built from: credentials, API version, retries, time-outs, budget and Pub/Sub target. */
    public SalesforceClient.Config clientConfig() {
        return new SalesforceClient.Config(credentials, apiVersion, null, retryPolicy, requestTimeout,
                apiBudgetReserve, apiMaxConcurrentCalls, MAX_BUDGET_HOLD, pubsubEndpoint, pubsubTrustCertificateFile,
                pubsubPlaintext);
    }

    /** The login of the configured flow; its {@code toString()} hides every secret. */
    public Credentials credentials() {
        return credentials;
    }

    /**
     * The key holding the secret Salesforce checks in this flow, where a refused login is reported: the JWT key
     * (text or file), the refresh token, the password, or the client secret.
     */
    String credentialKey() {
        return switch (authFlow) {
            case JWT -> jwtPrivateKeyFile != null ? JWT_PRIVATE_KEY_FILE_CONFIG : JWT_PRIVATE_KEY_CONFIG;
            case CLIENT_CREDENTIALS -> CLIENT_SECRET_CONFIG;
            case REFRESH_TOKEN -> REFRESH_TOKEN_CONFIG;
            case PASSWORD -> PASSWORD_CONFIG;
        };
    }

    /** True when a client secret is configured (whether or not the flow sends it). */
    boolean hasClientSecret() {
        return clientSecretSet;
    }

    public URI loginUrl() {
        return loginUrl;
    }

    public AuthFlow authFlow() {
        return authFlow;
    }

    public String clientId() {
        return clientId;
    }

    /** The user the jwt and password flows log in as; null for the other flows when not set. */
    public String username() {
        return username;
    }

    /** The configured JWT audience, or null for the default. */
    public String jwtAudience() {
        return jwtAudience;
    }

    public String apiVersion() {
        return apiVersion;
    }

    public String pubsubEndpoint() {
        return pubsubEndpoint;
    }

    /** The PEM certificate trusted for Pub/Sub TLS, or null for the JVM's default trust. */
    public Path pubsubTrustCertificateFile() {
        return pubsubTrustCertificateFile;
    }

    public boolean pubsubPlaintext() {
        return pubsubPlaintext;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public double apiBudgetReserve() {
        return apiBudgetReserve;
    }

    public int apiMaxConcurrentCalls() {
        return apiMaxConcurrentCalls;
    }

    /** Everything but the secrets, which are named only as {@code (hidden)}. */
    @Override
    public String toString() {
        return "SalesforceConnectionConfig[loginUrl=" + loginUrl + ", authFlow=" + authFlow.value() + ", clientId="
                + clientId + ", credentials=" + credentials + ", apiVersion=" + apiVersion + ", pubsubEndpoint="
                + pubsubEndpoint + (pubsubPlaintext ? " (plaintext)" : "")
                + (pubsubTrustCertificateFile == null ? "" : ", pubsubTrust=" + pubsubTrustCertificateFile)
                + ", requestTimeout=" + requestTimeout + ", retry=" + retryPolicy + ", apiBudgetReserve="
                + apiBudgetReserve + ", apiMaxConcurrentCalls=" + apiMaxConcurrentCalls + "]";
    }

    private Credentials credentials(AbstractConfig config) {
        String secret = value(secret(config, CLIENT_SECRET_CONFIG));
        return switch (authFlow) {
            case JWT -> {
                if (jwtPrivateKeyFile == null) {
                    yield new Credentials.JwtBearer(loginUrl, clientId, username,
                            value(secret(config, JWT_PRIVATE_KEY_CONFIG)), jwtAudience);
                }
                try {
                    yield new Credentials.JwtBearer(loginUrl, clientId, username,
                            Files.readString(jwtPrivateKeyFile, StandardCharsets.US_ASCII), jwtAudience);
                } catch (IOException e) {
                    throw new ConfigException(JWT_PRIVATE_KEY_FILE_CONFIG + ": cannot read " + jwtPrivateKeyFile
                            + " (" + e.getClass().getSimpleName() + "); make it readable by the Connect worker");
                }
            }
            case CLIENT_CREDENTIALS -> new Credentials.ClientCredentials(loginUrl, clientId, secret);
            case REFRESH_TOKEN -> new Credentials.RefreshToken(loginUrl, clientId, secret,
                    value(secret(config, REFRESH_TOKEN_CONFIG)));
            case PASSWORD -> new Credentials.UsernamePassword(loginUrl, clientId, secret, username,
                    value(secret(config, PASSWORD_CONFIG)));
        };
    }

    /** Why {@code pem} cannot be a PKCS#8 key, without quoting it; empty when it looks like one. */
    private static Optional<String> pemProblem(String pem) {
        if (pem.contains("BEGIN RSA PRIVATE KEY")) {
            return Optional.of("holds a PKCS#1 key (BEGIN RSA PRIVATE KEY): convert it to PKCS#8 with "
                    + "openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
        }
        if (pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            return Optional.of("holds an encrypted key: give it unencrypted in PKCS#8 form (openssl "
                    + "pkcs8 -topk8 -nocrypt) and protect it with a config provider instead");
        }
        if (!pem.contains(PKCS8_BEGIN)) {
            return Optional.of("is not PKCS#8 PEM text: it must start with " + PKCS8_BEGIN);
        }
        return Optional.empty();
    }

    private static void requireText(List<ConfigProblem> problems, AbstractConfig config, String key,
            String flowName, String what) {
        if (text(config, key) == null) {
            problems.add(new ConfigProblem(key, flowName + " needs " + key + ": set it to " + what));
        }
    }

    private static void requireSecret(List<ConfigProblem> problems, AbstractConfig config, String key,
            String flowName, String what) {
        if (secret(config, key) == null) {
            problems.add(new ConfigProblem(key, flowName + " needs " + key + ": set it to " + what));
        }
    }

    private static void readableProblem(List<ConfigProblem> problems, AbstractConfig config, String key, Path file) {
        if (file == null) {
            problems.add(new ConfigProblem(key, key + " is not a valid path: '" + text(config, key) + "'"));
        } else if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            problems.add(new ConfigProblem(key, key + " names " + file + ", which is not a readable file on this "
                    + "worker: check the path and the file's permissions"));
        }
    }

    /** The trimmed value of a STRING key, or null when it is unset or blank. */
    private static String text(AbstractConfig config, String key) {
        String value = config.getString(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A PASSWORD key's value, or null when it is unset or blank. */
    private static Password secret(AbstractConfig config, String key) {
        Password value = config.getPassword(key);
        return value == null || value.value() == null || value.value().isBlank() ? null : value;
    }

    private static Path path(AbstractConfig config, String key) {
        String value = text(config, key);
        try {
            return value == null ? null : Path.of(value);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String value(Password password) {
        return password == null ? null : password.value();
    }
}
