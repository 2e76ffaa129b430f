package dev.lockstep.emulator.auth;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.http.ApiVersions;
import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.Ids;
import dev.lockstep.emulator.org.Values;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The org's OAuth 2.0 side: the token endpoint with its four server-to-server grants, token revocation, the
 * OpenID Connect userinfo endpoint and the identity URL, all as Salesforce answers them (reference §1).
 *
 * <h2>Token endpoint, {@code POST /services/oauth2/token}</h2>
 * Parameters come from the {@code application/x-www-form-urlencoded} body, or from the query string; the client may
 * also authenticate with HTTP Basic ({@code client_id:client_secret}). The emulated org has one connected app,
 * {@link EmulatorConfig#clientId()} / {@link EmulatorConfig#clientSecret()}.
 * <ul>
 *   <li>{@code client_credentials}: logs in the "Run As" user, {@link Emulator#integrationUserId()}.
 *   <li>{@code password}: any active user with {@link EmulatorConfig#password()}, alone or followed by
 *       {@link EmulatorConfig#SECURITY_TOKEN} (the org has one password for every user).
 *   <li>{@value #JWT_BEARER}: an RS256 assertion signed for {@link #jwtCertificate()}; see
 *       {@link #jwtPrivateKeyPem()} for the key and {@link #acceptedAudiences()} for {@code aud}. {@code exp} must
 *       lie in the future; by default it may lie arbitrarily far in the future, because the Salesforce CLI sends
 *       milliseconds where seconds belong ({@code exp: Date.now() + 300}) and real orgs accept it. Tests that want a
 *       stricter org call {@link #setMaxAssertionLifetime(Duration)}.
 *   <li>{@code refresh_token}: a refresh token issued earlier.
 * </ul>
 * A JWT is checked in this order, the first failure answering: well-formed with {@code alg} RS256, else
 * {@code invalid_grant} / {@code invalid assertion}; {@code iss} is the client_id, else {@code invalid_client_id};
 * the signature, else {@code invalid assertion}; {@code aud}, else {@code audience is invalid}; {@code exp} present
 * (else {@code invalid assertion}) and ahead, else {@code expired authorization code}; {@code sub} an existing
 * user, else {@code user hasn't approved this consumer}; that user active, else {@code inactive_user}.
 * Real Salesforce issues refresh tokens only from interactive flows (web server, user agent), which a local org
 * without a login page cannot offer. The emulator therefore issues one from the {@code password} grant when the
 * request asks for the {@code refresh_token} or {@code offline_access} scope (real orgs ignore that parameter
 * there, so unmodified clients see no difference), and from {@link #issueRefreshToken(String)}.
 *
 * <p>Success bodies carry {@code access_token}, {@code refresh_token} (when issued), {@code signature} (Base64
 * HMAC-SHA256 of {@code id + issued_at} keyed with the client secret), {@code scope}, {@code instance_url} (the
 * emulator's base URL), {@code id} (the identity URL), {@code token_type: Bearer} and {@code issued_at} (epoch
 * milliseconds, as a string). Refusals are 400 with {@code {"error","error_description"}}.
 *
 * <h2>Revocation, identity, userinfo</h2>
 * {@code POST} (or {@code GET}) {@code /services/oauth2/revoke} with {@code token=} answers 200 with an empty
 * body; revoking a refresh token also revokes the access tokens obtained with it. Refusals are 400 with a
 * form-encoded body, which is what Salesforce sends and what jsforce parses ({@code querystring.parse}), or JSON
 * when the client accepts only JSON. {@code GET /id/{orgId}/{userId}} and {@code GET /services/oauth2/userinfo} take
 * the token as a bearer header (or {@code oauth_token} parameter) and, like Salesforce's identity service, answer a
 * missing or invalid token with 403 and a plain-text code ({@code Missing_OAuth_Token}, {@code Bad_OAuth_Token})
 * rather than REST's 401 {@code INVALID_SESSION_ID}. They are {@link Access#OPEN} routes that check the token
 * themselves, so that they do not count against the daily API limit.
 *
 * <p>No token, secret or assertion is ever logged or put in an error message. Thread-safe.
 */
public final class OAuthApi {

    /** The grant type of the JWT bearer flow (RFC 7523). */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The login hosts Salesforce accepts as a JWT {@code aud}, besides the org's own URL. */
    public static final List<String> LOGIN_AUDIENCES =
            List.of("https://login.salesforce.com", "https://test.salesforce.com");
    /** The scope granted when a request names none: enough for REST, Bulk, streaming and the identity URL. */
    public static final String DEFAULT_SCOPE = "api";

    /** The connected app's selectable OAuth scopes (Salesforce's names); asking for another is invalid_scope. */
    private static final Set<String> SCOPES = Set.of("api", "refresh_token", "offline_access", "id", "profile",
            "email", "address", "phone", "openid", "web", "full", "chatter_api", "visualforce", "custom_permissions",
            "wave_api", "eclair_api", "pardot_api", "lightning", "content", "cdp_api", "cdp_query_api",
            "cdp_profile_api", "cdp_ingest_api", "interaction_api", "sfap_api", "einstein_gpt_api");
    private static final DateTimeFormatter OIDC_TIME = DateTimeFormatter.ISO_INSTANT;

    private final Emulator emulator;
    private final JwtKeys jwtKeys;
    /** Scope granted with each refresh token, so that refreshed sessions report the same scope. */
    private final Map<String, String> refreshScopes = new ConcurrentHashMap<>();
    /** Access tokens obtained with each refresh token, which revoking the refresh token also revokes. */
    private final Map<String, Set<String>> accessTokensByRefreshToken = new ConcurrentHashMap<>();
    private volatile Duration maxAssertionLifetime;

    /**
     * The OAuth side of {@code emulator}. Reads the configured JWT certificate now, so that a bad file fails the
     * start; a generated key pair is made on first use.
     */
    public OAuthApi(Emulator emulator) {
        this.emulator = emulator;
        this.jwtKeys = JwtKeys.of(emulator.config().jwtCertificate(), emulator.clock());
    }

    /** Adds the token, revoke, userinfo and identity routes, all {@link Access#OPEN}. */
    public void register(Router router) {
        router.add("POST", "/services/oauth2/token", "oauth", Access.OPEN, this::token);
        router.add("POST", "/services/oauth2/revoke", "oauth.revoke", Access.OPEN, this::revoke);
        router.add("GET", "/services/oauth2/revoke", "oauth.revoke", Access.OPEN, this::revoke);
        router.add("GET", "/services/oauth2/userinfo", "oauth.userinfo", Access.OPEN, this::userinfo);
        router.add("POST", "/services/oauth2/userinfo", "oauth.userinfo", Access.OPEN, this::userinfo);
        router.add("GET", "/id/{orgId}/{userId}", "oauth.identity", Access.OPEN, this::identity);
        router.add("POST", "/id/{orgId}/{userId}", "oauth.identity", Access.OPEN, this::identity);
    }

    // ------------------------------------------------------------------------------------------------ Java API

    /**
     * The certificate JWT bearer assertions are checked against: the configured one
     * ({@link EmulatorConfig#jwtCertificate()}), or a self-signed one the emulator generated with its key pair.
     */
    public X509Certificate jwtCertificate() {
        return jwtKeys.certificate();
    }

    /** {@link #jwtCertificate()} as PEM ({@code -----BEGIN CERTIFICATE-----}), e.g. for a connected-app setup. */
    public String jwtCertificatePem() {
        return JwtKeys.certificatePem(jwtKeys.certificate());
    }

    /** The certificate's public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo). */
    public String jwtPublicKeyPem() {
        return JwtKeys.publicKeyPem(jwtKeys.certificate().getPublicKey());
    }

    /**
     * The private key to sign JWT bearer assertions with, generated by the emulator.
     *
     * @throws IllegalStateException when a certificate was configured: its private key stays with its owner
     */
    public PrivateKey jwtPrivateKey() {
        return jwtKeys.privateKey().orElseThrow(() -> new IllegalStateException("The emulator was configured with "
                + "a JWT certificate; sign assertions with that certificate's own private key"));
    }

    /**
     * {@link #jwtPrivateKey()} as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), the form the Salesforce CLI
     * ({@code sf org login jwt --jwt-key-file}), jsforce, simple-salesforce and PyJWT read.
     *
     * @throws IllegalStateException when a certificate was configured
     */
    public String jwtPrivateKeyPem() {
        return JwtKeys.privateKeyPem(jwtPrivateKey());
    }

    /**
     * The {@code aud} values a JWT bearer assertion may carry: the production and sandbox login hosts, the
     * emulator's base URL and the same URL with {@code localhost} for its host (a trailing slash is ignored).
     * Audiences naming the host the request was sent to are accepted too.
     */
    public List<String> acceptedAudiences() {
        List<String> audiences = new ArrayList<>(LOGIN_AUDIENCES);
        audiences.add(baseUrl());
        audiences.add("http://localhost:" + emulator.port());
        return audiences;
    }

    /** The longest an assertion's {@code exp} may lie ahead, or null (the default) for no limit. */
    public Duration maxAssertionLifetime() {
        return maxAssertionLifetime;
    }

    /**
     * Refuses JWT assertions whose {@code exp} lies more than {@code lifetime} ahead ({@code invalid_grant} /
     * {@code invalid assertion}); null lifts the limit. Salesforce documents three minutes but accepts far more.
     */
    public void setMaxAssertionLifetime(Duration lifetime) {
        this.maxAssertionLifetime = lifetime;
    }

    /**
     * A refresh token for an active user on behalf of the connected app, as the web-server flow would hand out
     * after the user approved the app. Its sessions get scope {@code api refresh_token}.
     *
     * @throws IllegalArgumentException when no active user has that username
     */
    public String issueRefreshToken(String username) {
        OrgUser user = OrgUser.byUsername(emulator.org(), username).filter(OrgUser::active).orElseThrow(() ->
                new IllegalArgumentException("No active user with username " + username));
        String refreshToken = emulator.sessions().issueRefreshToken(user.id(), user.username(),
                emulator.config().clientId()).refreshToken();
        refreshScopes.put(refreshToken, DEFAULT_SCOPE + " refresh_token");
        return refreshToken;
    }

    /** The identity URL of a user, as token responses carry it in {@code id}: {@code <baseUrl>/id/<org>/<user>}. */
    public String identityUrl(String userId) {
        return baseUrl() + "/id/" + emulator.org().orgId() + "/" + Ids.normalize(userId);
    }

    // ------------------------------------------------------------------------------------------------ token

    private Response token(Request request) {
        try {
            Map<String, String> params = params(request);
            String grantType = params.getOrDefault("grant_type", "");
            Grant grant = switch (grantType) {
                case "client_credentials" -> clientCredentials(request, params);
                case "password" -> password(request, params);
                case JWT_BEARER -> jwtBearer(request, params);
                case "refresh_token" -> refresh(request, params);
                default -> throw OAuthError.badRequest("unsupported_grant_type", "grant type not supported");
            };
            return tokenResponse(grant);
        } catch (OAuthError e) {
            return jsonError(e);
        }
    }

    /** Who a grant logs in, for which app, with what scope; and the refresh token it issues or redeems, if any. */
    private record Grant(OrgUser user, String clientId, String scope, boolean issueRefreshToken,
            String redeemedRefreshToken) {}

    private Grant clientCredentials(Request request, Map<String, String> params) {
        String clientId = authenticateClient(request, params, true);
        OrgUser user = OrgUser.byId(emulator.org(), emulator.integrationUserId())
                .orElseThrow(() -> OAuthError.badRequest("invalid_grant", "no client credentials user enabled"));
        requireActive(user);
        return new Grant(user, clientId, grantedScope(params.get("scope")), false, null);
    }

    private Grant password(Request request, Map<String, String> params) {
        String clientId = authenticateClient(request, params, true);
        EmulatorConfig config = emulator.config();
        String password = params.get("password");
        boolean passwordOk = password != null && (constantTimeEquals(password, config.password())
                || constantTimeEquals(password, config.password() + EmulatorConfig.SECURITY_TOKEN));
        Optional<OrgUser> user = OrgUser.byUsername(emulator.org(), params.get("username"));
        // The same answer for an unknown user and a wrong password, so the endpoint reveals no usernames.
        if (user.isEmpty() || !passwordOk) {
            throw OAuthError.badRequest("invalid_grant", "authentication failure");
        }
        requireActive(user.get());
        String scope = grantedScope(params.get("scope"));
        Set<String> scopes = Set.of(scope.split(" "));
        boolean refresh = scopes.contains("refresh_token") || scopes.contains("offline_access");
        return new Grant(user.get(), clientId, scope, refresh, null);
    }

    private Grant jwtBearer(Request request, Map<String, String> params) {
        JwtAssertion assertion = JwtAssertion.parse(params.get("assertion"));
        if (!"RS256".equals(assertion.algorithm())) {
            throw JwtAssertion.invalid();
        }
        String clientId = emulator.config().clientId();
        if (assertion.issuer() == null || !assertion.issuer().equals(clientId)) {
            throw OAuthError.badRequest("invalid_client_id", "client identifier invalid");
        }
        // The issuer names the connected app whose certificate the signature must match.
        if (!jwtKeys.verify(assertion.signingInput(), assertion.signature())) {
            throw JwtAssertion.invalid();
        }
        List<String> accepted = new ArrayList<>(acceptedAudiences());
        request.header("Host").ifPresent(host -> accepted.add("http://" + host));
        if (assertion.audiences().stream().map(OAuthApi::withoutTrailingSlash).noneMatch(accepted::contains)) {
            throw OAuthError.badRequest("invalid_grant", "audience is invalid");
        }
        OptionalLong exp = assertion.expiry();
        if (exp.isEmpty()) {
            throw JwtAssertion.invalid();
        }
        long nowSeconds = emulator.clock().millis() / 1000;
        if (exp.getAsLong() <= nowSeconds) {
            throw OAuthError.badRequest("invalid_grant", "expired authorization code");
        }
        Duration max = maxAssertionLifetime;
        if (max != null && exp.getAsLong() > nowSeconds + max.toSeconds()) {
            throw JwtAssertion.invalid();
        }
        // Unknown users get Salesforce's answer for users not pre-authorized for the app: every user of the
        // emulated org is pre-authorized, so only a user who does not exist can be "not approved".
        OrgUser user = OrgUser.byUsername(emulator.org(), assertion.subject()).orElseThrow(() ->
                OAuthError.badRequest("invalid_grant", "user hasn't approved this consumer"));
        requireActive(user);
        return new Grant(user, clientId, DEFAULT_SCOPE, false, null);
    }

    private Grant refresh(Request request, Map<String, String> params) {
        String clientId = authenticateClient(request, params, false);
        String refreshToken = params.get("refresh_token");
        Sessions.RefreshGrant grant = emulator.sessions().redeem(refreshToken)
                .filter(g -> g.clientId().equals(clientId))
                .orElseThrow(() -> OAuthError.badRequest("invalid_grant", "expired access/refresh token"));
        OrgUser user = OrgUser.byId(emulator.org(), grant.userId())
                .orElseThrow(() -> OAuthError.badRequest("invalid_grant", "expired access/refresh token"));
        requireActive(user);
        String scope = refreshScopes.getOrDefault(refreshToken, DEFAULT_SCOPE + " refresh_token");
        return new Grant(user, clientId, scope, false, refreshToken);
    }

    /**
     * The client_id, after checking it and (when required, or when sent) the secret: from the form, else from an
     * HTTP Basic header.
     */
    private String authenticateClient(Request request, Map<String, String> params, boolean secretRequired) {
        String clientId = params.get("client_id");
        String secret = params.get("client_secret");
        if (clientId == null) {
            Optional<String[]> basic = basicCredentials(request);
            if (basic.isPresent()) {
                clientId = basic.get()[0];
                secret = basic.get()[1];
            }
        }
        EmulatorConfig config = emulator.config();
        if (clientId == null || !clientId.equals(config.clientId())) {
            throw OAuthError.badRequest("invalid_client_id", "client identifier invalid");
        }
        if ((secretRequired || secret != null)
                && (secret == null || !constantTimeEquals(secret, config.clientSecret()))) {
            throw OAuthError.badRequest("invalid_client", "invalid client credentials");
        }
        return clientId;
    }

    private static Optional<String[]> basicCredentials(Request request) {
        String header = request.header("Authorization").orElse("");
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            // RFC 6749 §2.3.1: both halves are form-urlencoded before they are joined.
            return Optional.of(new String[] {
                java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void requireActive(OrgUser user) {
        if (!user.active()) {
            throw OAuthError.badRequest("inactive_user", "user is inactive");
        }
    }

    /** The scopes asked for, in order and without repeats, or the default; an unknown one is invalid_scope. */
    private static String grantedScope(String requested) {
        if (requested == null || requested.isBlank()) {
            return DEFAULT_SCOPE;
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : requested.trim().split("\\s+")) {
            if (!SCOPES.contains(scope)) {
                throw OAuthError.badRequest("invalid_scope", "the requested scope is not allowed");
            }
            scopes.add(scope);
        }
        return String.join(" ", scopes);
    }

    private Response tokenResponse(Grant grant) {
        Sessions sessions = emulator.sessions();
        OrgUser user = grant.user();
        Session session = sessions.issue(user.id(), user.username(), grant.clientId());
        String refreshToken = null;
        if (grant.issueRefreshToken()) {
            refreshToken = sessions.issueRefreshToken(user.id(), user.username(), grant.clientId()).refreshToken();
            refreshScopes.put(refreshToken, grant.scope());
            linkToRefreshToken(refreshToken, session.accessToken());
        } else if (grant.redeemedRefreshToken() != null) {
            linkToRefreshToken(grant.redeemedRefreshToken(), session.accessToken());
        }
        String id = identityUrl(user.id());
        String issuedAt = Long.toString(session.issuedAt().toEpochMilli());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", session.accessToken());
        if (refreshToken != null) {
            body.put("refresh_token", refreshToken);
        }
        body.put("signature", signature(id, issuedAt, emulator.config().clientSecret()));
        body.put("scope", grant.scope());
        body.put("instance_url", baseUrl());
        body.put("id", id);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        return noStore(Response.json(200, body));
    }

    private void linkToRefreshToken(String refreshToken, String accessToken) {
        accessTokensByRefreshToken.computeIfAbsent(refreshToken, k -> ConcurrentHashMap.newKeySet()).add(accessToken);
    }

    /** Base64 HMAC-SHA256 of {@code id + issuedAt} keyed with the client secret (reference §1.3). */
    static String signature(String id, String issuedAt, String clientSecret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((id + issuedAt).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK has no HmacSHA256", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ revoke

    private Response revoke(Request request) {
        String token = params(request).get("token");
        if (token == null || token.isBlank()) {
            return revokeError(request, "unsupported_token_type", "this token type is not supported");
        }
        Sessions sessions = emulator.sessions();
        if (sessions.redeem(token).isPresent()) {
            sessions.revoke(token);
            refreshScopes.remove(token);
            Set<String> accessTokens = accessTokensByRefreshToken.remove(token);
            if (accessTokens != null) {
                accessTokens.forEach(sessions::revoke);
            }
            return Response.empty(200);
        }
        // resolve() rather than revoke() alone: an access token that has already expired is no longer a token.
        if (sessions.resolve(token).isPresent()) {
            sessions.revoke(token);
            return Response.empty(200);
        }
        return revokeError(request, "invalid_token", "invalid token");
    }

    private static Response revokeError(Request request, String error, String description) {
        if (acceptsOnlyJson(request)) {
            return jsonError(OAuthError.badRequest(error, description));
        }
        String body = "error=" + formEncode(error) + "&error_description=" + formEncode(description);
        return Response.text(400, "application/x-www-form-urlencoded;charset=UTF-8", body);
    }

    private static boolean acceptsOnlyJson(Request request) {
        String accept = request.header("Accept").orElse("").toLowerCase(Locale.ROOT);
        return accept.contains("application/json") && !accept.contains("*/*")
                && !accept.contains("application/x-www-form-urlencoded");
    }

    private static String formEncode(String s) {
        // %20 rather than +: the form Salesforce's revoke errors use (jsforce decodes either).
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ------------------------------------------------------------------------------------------------ identity

    private Response userinfo(Request request) {
        Session session;
        try {
            session = identitySession(request);
        } catch (OAuthError e) {
            return textError(e);
        }
        Optional<OrgUser> found = OrgUser.byId(emulator.org(), session.userId());
        if (found.isEmpty() || !found.get().active()) {
            return textError(new OAuthError(403, "Inactive", "Inactive"));
        }
        OrgUser user = found.get();
        String version = params(request).get("version");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sub", identityUrl(user.id()));
        body.put("user_id", user.id());
        body.put("organization_id", emulator.org().orgId());
        body.put("preferred_username", user.username());
        body.put("nickname", user.nickname());
        body.put("name", user.name());
        body.put("email", user.email());
        body.put("email_verified", Boolean.TRUE);
        body.put("given_name", user.firstName());
        body.put("family_name", user.lastName());
        body.put("zoneinfo", user.timeZone());
        body.put("photos", photos());
        body.put("profile", baseUrl() + "/" + user.id());
        body.put("picture", photos().get("picture"));
        Map<String, Object> address = new LinkedHashMap<>();
        putIfPresent(address, "street_address", user.street());
        putIfPresent(address, "locality", user.city());
        putIfPresent(address, "region", user.state());
        putIfPresent(address, "postal_code", user.postalCode());
        putIfPresent(address, "country", user.country());
        body.put("address", address);
        body.put("is_salesforce_integration_user", user.id().equals(emulator.integrationUserId()));
        body.put("urls", urls(user.id(), version));
        body.put("active", Boolean.TRUE);
        body.put("user_type", user.userType());
        body.put("language", user.language());
        body.put("locale", user.locale());
        body.put("utcOffset", utcOffsetMillis(user.timeZone()));
        body.put("updated_at", user.lastModified() == null ? null
                : OIDC_TIME.format(user.lastModified().truncatedTo(ChronoUnit.SECONDS)));
        body.put("is_app_installed", Boolean.TRUE);
        return Response.json(200, body);
    }

    private Response identity(Request request) {
        Session session;
        try {
            session = identitySession(request);
        } catch (OAuthError e) {
            return textError(e);
        }
        String orgId = Ids.normalize(request.param("orgId"));
        String userId = Ids.normalize(request.param("userId"));
        if (orgId == null || userId == null || !userId.startsWith("005")) {
            return textError(new OAuthError(404, "Bad_Id", "Bad_Id"));
        }
        if (!orgId.equals(emulator.org().orgId())) {
            return textError(new OAuthError(403, "Wrong_Org", "Wrong_Org"));
        }
        Optional<OrgUser> found = OrgUser.byId(emulator.org(), userId);
        if (found.isEmpty()) {
            return textError(new OAuthError(404, "Bad_Id", "Bad_Id"));
        }
        OrgUser user = found.get();
        if (!user.active()) {
            return textError(new OAuthError(404, "Inactive", "Inactive"));
        }
        String version = params(request).get("version");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", identityUrl(user.id()));
        // True when the token belongs to the user the URL names; another user of the org may be looked up too.
        body.put("asserted_user", user.id().equals(Ids.normalize(session.userId())));
        body.put("user_id", user.id());
        body.put("organization_id", emulator.org().orgId());
        body.put("username", user.username());
        body.put("nick_name", user.nickname());
        body.put("display_name", user.name());
        body.put("email", user.email());
        body.put("email_verified", Boolean.TRUE);
        body.put("first_name", user.firstName());
        body.put("last_name", user.lastName());
        body.put("timezone", user.timeZone());
        body.put("photos", photos());
        body.put("addr_street", user.street());
        body.put("addr_city", user.city());
        body.put("addr_state", user.state());
        body.put("addr_country", user.country());
        body.put("addr_zip", user.postalCode());
        body.put("mobile_phone", user.mobilePhone());
        body.put("mobile_phone_verified", Boolean.FALSE);
        body.put("is_lightning_login_user", Boolean.FALSE);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("created_date", null);
        status.put("body", null);
        body.put("status", status);
        body.put("urls", urls(user.id(), version));
        body.put("active", Boolean.TRUE);
        body.put("user_type", user.userType());
        body.put("language", user.language());
        body.put("locale", user.locale());
        body.put("utcOffset", utcOffsetMillis(user.timeZone()));
        body.put("last_modified_date", user.lastModified() == null ? null
                : Values.DATETIME_OUT.format(user.lastModified()));
        body.put("is_app_installed", Boolean.TRUE);
        return Response.json(200, body);
    }

    /** The session of an identity-service request: bearer (or OAuth) header, else {@code oauth_token} parameter. */
    private Session identitySession(Request request) {
        String token = request.bearerToken().orElseGet(() -> params(request).get("oauth_token"));
        if (token == null || token.isEmpty()) {
            throw new OAuthError(403, "Missing_OAuth_Token", "Missing_OAuth_Token");
        }
        return emulator.sessions().resolve(token)
                .orElseThrow(() -> new OAuthError(403, "Bad_OAuth_Token", "Bad_OAuth_Token"));
    }

    /**
     * The API endpoints the identity service lists, with Salesforce's literal {@code {version}} placeholder unless
     * the request named a {@code version} ({@code 61.0}, or {@code latest}). SOAP endpoints end with the 15-character
     * org id, as Salesforce's do. The list is Salesforce's, not only what the emulator serves.
     */
    private Map<String, String> urls(String userId, String requestedVersion) {
        String v = "{version}";
        if (requestedVersion != null && requestedVersion.equalsIgnoreCase("latest")) {
            v = ApiVersions.NEWEST + ".0";
        } else if (requestedVersion != null && requestedVersion.matches("\\d+(\\.\\d+)?")) {
            v = requestedVersion.contains(".") ? requestedVersion : requestedVersion + ".0";
        }
        String base = baseUrl();
        String org15 = emulator.org().orgId().substring(0, 15);
        String data = base + "/services/data/v" + v + "/";
        Map<String, String> urls = new LinkedHashMap<>();
        urls.put("enterprise", base + "/services/Soap/c/" + v + "/" + org15);
        urls.put("metadata", base + "/services/Soap/m/" + v + "/" + org15);
        urls.put("partner", base + "/services/Soap/u/" + v + "/" + org15);
        urls.put("rest", data);
        urls.put("sobjects", data + "sobjects/");
        urls.put("search", data + "search/");
        urls.put("query", data + "query/");
        urls.put("recent", data + "recent/");
        urls.put("tooling_soap", base + "/services/Soap/T/" + v + "/" + org15);
        urls.put("tooling_rest", data + "tooling/");
        urls.put("profile", base + "/" + userId);
        urls.put("feeds", data + "chatter/feeds");
        urls.put("groups", data + "chatter/groups");
        urls.put("users", data + "chatter/users");
        urls.put("feed_items", data + "chatter/feed-items");
        urls.put("feed_elements", data + "chatter/feed-elements");
        urls.put("custom_domain", base);
        return urls;
    }

    /** Salesforce's default profile photo URLs (the org has no photos). */
    private Map<String, String> photos() {
        Map<String, String> photos = new LinkedHashMap<>();
        photos.put("picture", baseUrl() + "/profilephoto/005/F");
        photos.put("thumbnail", baseUrl() + "/profilephoto/005/T");
        return photos;
    }

    private long utcOffsetMillis(String timeZone) {
        try {
            Instant now = emulator.clock().instant();
            return ZoneId.of(timeZone).getRules().getOffset(now).getTotalSeconds() * 1000L;
        } catch (java.time.DateTimeException e) {
            return 0L;
        }
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Form body fields over query-string parameters: clients send either, Salesforce reads both. */
    private static Map<String, String> params(Request request) {
        Map<String, String> params = new LinkedHashMap<>();
        try {
            params.putAll(request.form());
        } catch (IllegalArgumentException e) {
            // A body that is not form-urlencoded (a stray '%'): treated as no fields. Not rethrown, because the
            // pipeline would log the decoder's message, which quotes part of the body (a password, an assertion).
        }
        for (String name : List.of("grant_type", "client_id", "client_secret", "username", "password", "assertion",
                "refresh_token", "scope", "token", "version", "oauth_token")) {
            if (!params.containsKey(name)) {
                request.query(name).ifPresent(value -> params.put(name, value));
            }
        }
        return params;
    }

    private String baseUrl() {
        return withoutTrailingSlash(emulator.baseUri().toString());
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static boolean constantTimeEquals(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8));
    }

    private static Response jsonError(OAuthError e) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.error());
        body.put("error_description", e.description());
        return noStore(Response.json(e.status(), body));
    }

    private static Response textError(OAuthError e) {
        return Response.text(e.status(), "text/plain;charset=UTF-8", e.error());
    }

    private static Response noStore(Response response) {
        // Token responses must not be cached (RFC 6749 §5.1); Salesforce sends the same headers.
        return response.header("Cache-Control", "no-cache,must-revalidate,max-age=0,no-store,private")
                .header("Pragma", "no-cache");
    }
}
