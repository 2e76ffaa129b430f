package dev.lockstep.emulator;

import dev.lockstep.emulator.auth.OAuthApi;
import dev.lockstep.emulator.auth.Sessions;
import dev.lockstep.emulator.bulk.BulkApi;
import dev.lockstep.emulator.cdc.ChangeEventBus;
import dev.lockstep.emulator.cdc.StreamRegistry;
import dev.lockstep.emulator.cometd.CometdServer;
import dev.lockstep.emulator.control.AdminApi;
import dev.lockstep.emulator.control.ApiLimits;
import dev.lockstep.emulator.control.Counters;
import dev.lockstep.emulator.control.Faults;
import dev.lockstep.emulator.demo.DemoData;
import dev.lockstep.emulator.formula.Formulas;
import dev.lockstep.emulator.http.HttpFrontend;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgClock;
import dev.lockstep.emulator.org.Schema;
import dev.lockstep.emulator.pubsub.PubSubServer;
import dev.lockstep.emulator.query.QueryApi;
import dev.lockstep.emulator.rest.EventSchemaApi;
import dev.lockstep.emulator.rest.RestApi;
import dev.lockstep.emulator.state.StateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A running Salesforce org emulator: the org, its sessions, limits, faults and counters, the HTTP listener that
 * serves OAuth, REST, SOQL, Bulk API 2.0 and the Streaming API (CometD) on them, and the Pub/Sub API (gRPC)
 * listeners. Start one with {@link #start(EmulatorConfig)}; the Java API here is what the admin HTTP API
 * ({@code /__emulator/...}) offers over the wire.
 */
public final class Emulator implements AutoCloseable {

    private final EmulatorConfig config;
    private final OrgClock clock;
    private final Org org;
    private final Sessions sessions;
    private final ApiLimits limits;
    private final Faults faults = new Faults();
    private final Counters counters = new Counters();
    private final StreamRegistry streams = new StreamRegistry();
    private final ChangeEventBus cdc;
    private final String integrationUserId;
    private final OAuthApi oauth;
    private final BulkApi bulk;
    private final CometdServer cometd;
    private final HttpFrontend http;
    private final PubSubServer pubsub;

    private Emulator(EmulatorConfig config) throws IOException {
        this.config = config;
        this.clock = new OrgClock();
        Schema schema = config.fixtures() == null ? Schema.defaultOrg() : Schema.fromDirectory(config.fixtures());
        this.org = new Org(schema, clock);
        org.setFormulas(new Formulas(org));
        this.cdc = new ChangeEventBus(org);
        org.addListener(cdc);
        org.seed("User", user(config.username(), "Admin", "Emulator"));
        this.integrationUserId = org.seed("User", user("integration@" + domain(config.username()), "Integration",
                "Lockstep"));
        this.sessions = new Sessions(org.orgId(), clock, config.tokenTimeToLive());
        this.limits = new ApiLimits(clock, config.dailyApiLimit());
        Router router = new Router();
        this.oauth = new OAuthApi(this);
        oauth.register(router);
        // Before RestApi: its /sobjects/{sobject}/{id} would take /sobjects/{EventName}/eventSchema.
        EventSchemaApi.register(router, this);
        RestApi.register(router, this);
        QueryApi.register(router, this);
        this.bulk = BulkApi.register(router, this);
        AdminApi.register(router, this);
        this.cometd = new CometdServer(cdc, sessions, streams).register(router);
        try {
            this.http = new HttpFrontend(config.port(), router, sessions, limits, faults, counters);
        } catch (IOException e) {
            cometd.close();
            bulk.close();
            throw e;
        }
        try {
            this.pubsub = PubSubServer.start(config.pubsubPort(), config.pubsubTlsPort(), cdc, sessions, streams,
                    org.orgId(), faults, counters);
        } catch (RuntimeException e) {
            cometd.close();
            http.close();
            bulk.close();
            throw e;
        }
        if (config.demoRecordsPerObject() > 0) {
            try {
                DemoData.generate(org, config.demoRecordsPerObject(), 42L);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    /** Starts an emulator; close it to stop listening. */
    public static Emulator start(EmulatorConfig config) {
        try {
            return new Emulator(config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on port " + config.port(), e);
        }
    }

    private static Map<String, Object> user(String username, String firstName, String lastName) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("Username", username);
        user.put("FirstName", firstName);
        user.put("LastName", lastName);
        user.put("Email", username);
        user.put("Alias", lastName.length() > 8 ? lastName.substring(0, 8) : lastName);
        user.put("IsActive", Boolean.TRUE);
        user.put("TimeZoneSidKey", "GMT");
        user.put("LocaleSidKey", "en_US");
        user.put("LanguageLocaleKey", "en_US");
        user.put("EmailEncodingKey", "UTF-8");
        return user;
    }

    private static String domain(String username) {
        int at = username.indexOf('@');
        return at < 0 ? "lockstep.dev" : username.substring(at + 1);
    }

    /** The instance URL, also the login URL: {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return http.baseUri();
    }

    public int port() {
        return http.port();
    }

    public EmulatorConfig config() {
        return config;
    }

    public Org org() {
        return org;
    }

    public OrgClock clock() {
        return clock;
    }

    public Sessions sessions() {
        return sessions;
    }

    public ApiLimits limits() {
        return limits;
    }

    public Faults faults() {
        return faults;
    }

    public Counters counters() {
        return counters;
    }

    /** The Change Data Capture event bus: every committed change of a selected entity, replayable for 72 hours. */
    public ChangeEventBus cdc() {
        return cdc;
    }

    /** The open Pub/Sub and CometD streams, for stream faults. */
    public StreamRegistry streams() {
        return streams;
    }

    /** The Pub/Sub API (gRPC) server: its ports, TLS certificate and keepalive settings. */
    public PubSubServer pubsub() {
        return pubsub;
    }

    public OAuthApi oauth() {
        return oauth;
    }

    /** Bulk API 2.0 jobs: their processing can be held, for tests of jobs in flight. */
    public BulkApi bulk() {
        return bulk;
    }

    /** The user of {@link EmulatorConfig#username()}, who the password, JWT and refresh-token flows log in. */
    public String adminUserId() {
        return org.systemUserId();
    }

    /** The "Run As" user of the client-credentials flow. */
    public String integrationUserId() {
        return integrationUserId;
    }

    /** A session for the admin user without an OAuth round trip, for tests and demos. */
    public String accessToken() {
        return sessions.issue(adminUserId(), config.username(), config.clientId()).accessToken();
    }

    /** The Streaming API (CometD) server: its timers and caps can be changed while it runs. */
    public CometdServer cometd() {
        return cometd;
    }

    /**
     * Saves the org's records and its Change Data Capture log to {@code file} (replaced atomically), for
     * {@link #restoreState} in a later run. See {@link StateFile} for what is and is not saved.
     */
    public void saveState(Path file) throws IOException {
        StateFile.save(org, cdc, file);
    }

    /**
     * Replaces the org's records and Change Data Capture log with those {@link #saveState} wrote, so that clients
     * find the same records and resume after the replay ids they stored. Call it before clients connect.
     *
     * @throws IllegalArgumentException when the file does not fit this emulator's org; nothing is changed then
     */
    public void restoreState(Path file) throws IOException {
        StateFile.load(org, cdc, file);
    }

    @Override
    public void close() {
        pubsub.close();
        cometd.close();
        http.close();
        bulk.close();
    }
}
