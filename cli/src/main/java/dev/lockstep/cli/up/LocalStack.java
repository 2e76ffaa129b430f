package dev.lockstep.cli.up;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.connect.ConnectRest;
import dev.lockstep.cli.connect.ConnectorTemplate;
import dev.lockstep.cli.connect.Deployment;
import dev.lockstep.cli.deploy.Deployer;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.schema.TableDefinition;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.source.config.SalesforceConnectionConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;

/**
 * {@code lockstep up}'s stack: a private Postgres (or the one given), the Salesforce emulator with the demo org (or a
 * real org), a KRaft Kafka node and a Kafka Connect worker, all in this process and all keeping their state in the
 * {@link StateDir}; then a mapping deployed the way {@code lockstep deploy} deploys it ({@link Deployer}), the
 * snapshot's progress, how to connect, and a live view of the sync until {@link #stop()}.
 *
 * <p>A second run with the same state directory resumes: Kafka's log holds Connect's configuration and the source's
 * offsets, Postgres its tables, the state directory the emulator's org and change-event log.
 *
 * <p>Thread contract: one thread calls {@link #open()}, {@link #start()} and {@link #watch()}; {@link #stop} may be
 * called from another (the shutdown hook) at any moment, and makes {@code start} and {@code watch} return soon.
 */
public final class LocalStack {

    /** The prefix of connector names and of topics ({@code lockstep.Account}). */
    static final String NAME = "lockstep";
    static final String DEMO_MAPPING = "demo-mapping.json";
    private static final String API_VERSION = "v61.0";
    private static final Duration READY_BOUND = Duration.ofMinutes(2);

    /**
     * What to run.
     *
     * @param stateDir the state directory
     * @param connectPort the Connect REST API's port
     * @param mappingFile the mapping to deploy, or null for the demo mapping
     * @param postgres the database to sync into, or null for the private one
     * @param salesforce the source connector's Salesforce connection keys, or null for the emulator
     * @param salesforceName what {@code salesforce} is, for messages (the properties file)
     * @param demoRecords records per demo object when the emulator makes a new demo org
     */
    public record Settings(Path stateDir, int connectPort, Path mappingFile, Database postgres,
            Map<String, String> salesforce, String salesforceName, int demoRecords) {}

    private final Settings settings;
    private final PrintWriter out;
    private final boolean terminal;
    private final Services services = new Services();
    private volatile boolean stopping;
    private StateDir state;
    private LocalOrg org;
    private KafkaNode kafka;
    private ConnectWorker worker;
    private Database database;
    private Map<String, String> salesforce;
    private Deployer.Plan plan;
    private SyncView view;

    /** @param terminal whether {@code out} is a terminal, so progress can be redrawn in place */
    public LocalStack(Settings settings, PrintWriter out, boolean terminal) {
        this.settings = settings;
        this.out = out;
        this.terminal = terminal;
    }

    /**
     * Locks the state directory and sends all logging to its log file; the first thing to do.
     *
     * @throws UpException when another run holds the directory, or it cannot be made
     */
    public void open() {
        state = StateDir.open(settings.stateDir());
        LogFile.use(state.log());
    }

    /**
     * Starts every part, deploys the mapping and waits until the snapshot is in Postgres, reporting each step.
     *
     * @throws UpException when a part cannot start or the mapping cannot be deployed
     */
    public void start() throws Exception {
        long started = System.nanoTime();
        out.println("lockstep up: state directory " + state.root()
                + (state.isFresh() ? " (new)" : " (resuming the previous run)"));
        out.println("  log: " + state.log());
        out.flush();
        Ports.requireFree(settings.connectPort(), "the Kafka Connect REST API", "--connect-port");
        Path plugins = PluginPath.find();
        state.requireSameTarget("salesforce", settings.salesforce() == null ? "emulator"
                : settings.salesforce().getOrDefault("salesforce.login.url", settings.salesforceName()));
        state.requireSameTarget("postgres", settings.postgres() == null ? "private" : settings.postgres().jdbcUrl());
        String clusterId = state.get("kafka.cluster.id") != null ? state.get("kafka.cluster.id")
                : KafkaNode.newClusterId();
        state.put("kafka.cluster.id", clusterId);
        int kafkaPort = port("port.kafka");
        int controllerPort = port("port.kafka.controller");
        state.save();

        if (settings.postgres() == null) {
            int postgresPort = port("port.postgres");
            state.save();
            LocalPostgres postgres = timed("Postgres", () -> LocalPostgres.start(state.postgres(), postgresPort,
                    state.root().resolve("postgres.log")), "private, data in " + state.postgres());
            services.add("Postgres", postgres, Duration.ofSeconds(30));
            database = postgres.database();
        } else {
            database = settings.postgres();
            try (Connection c = database.connect()) {
                out.println("  Postgres     " + database.jdbcUrl() + " (user " + database.user() + ", PostgreSQL "
                        + c.getMetaData().getDatabaseProductVersion() + ")");
            } catch (SQLException e) {
                throw new UpException("Cannot connect to --postgres " + database.jdbcUrl() + " as "
                        + database.user() + ": " + e.getMessage());
            }
        }
        if (settings.salesforce() == null) {
            int emulatorPort = port("port.emulator");
            int pubsubPort = port("port.emulator.pubsub");
            state.save();
            boolean hadOrg = Files.exists(state.org());
            org = timed("Salesforce", () -> LocalOrg.start(state.org(), emulatorPort, pubsubPort,
                    settings.demoRecords()), hadOrg ? "emulator, the org saved in " + state.org()
                    : "emulator, a new demo org (" + settings.demoRecords() + " records each of "
                    + String.join(", ", LocalOrg.DEMO_OBJECTS) + "), saved in " + state.org());
            services.add("the Salesforce emulator", org, Duration.ofSeconds(30));
            if (!hadOrg && !state.isFresh()) {
                out.println("  ! The previous run's org was not saved: this is a new demo org (same Ids, new change"
                        + " events); the source connector may read it again.");
            }
            salesforce = org.connection();
        } else {
            salesforce = settings.salesforce();
            out.println("  Salesforce   " + salesforce.getOrDefault("salesforce.login.url", "login.salesforce.com")
                    + " (connection from " + settings.salesforceName() + ")");
        }
        kafka = timed("Kafka", () -> KafkaNode.start(state.kafka(), state.root().resolve("kafka.properties"),
                clusterId, kafkaPort, controllerPort), Ports.HOST + ":" + kafkaPort + ", log in " + state.kafka());
        services.add("Kafka", kafka, Duration.ofSeconds(60));
        worker = timed("Connect", () -> ConnectWorker.start(kafka.bootstrapServers(), settings.connectPort(),
                plugins), "http://" + Ports.HOST + ":" + settings.connectPort() + ", plugins in " + plugins);
        services.add("Kafka Connect", worker, Duration.ofSeconds(60));
        awaitConnectReady();

        deploy();
        out.println();
        out.println("Snapshot (rows in Postgres / records in Salesforce):");
        out.flush();
        view.awaitSnapshot(totals());
        if (stopping) {
            return;
        }
        out.printf(Locale.ROOT, "Ready in %.1f s.%n", Services.seconds(started));
        printHowToConnect();
    }

    /** Shows the sync live until {@link #stop()}. */
    public void watch() throws InterruptedException {
        if (stopping) {
            return;
        }
        out.println();
        out.println("lockstep up: syncing. Press Ctrl-C to stop; the next ./lockstep up resumes where this one stopped.");
        out.println();
        out.flush();
        view.live();
    }

    /**
     * Stops every part that started, in reverse order, and releases the state directory.
     *
     * @param message what to say first, e.g. {@code lockstep up: stopping...}
     * @return true when everything stopped cleanly within its time-out
     */
    public boolean stop(String message) {
        synchronized (out) {
            // Under the output's monitor, so that the live view draws nothing over what follows.
            stopping = true;
            out.println();
            out.println(message);
            out.flush();
        }
        boolean clean = services.stopAll(out);
        if (state != null) {
            state.close();
        }
        return clean;
    }

    public boolean stopping() {
        return stopping;
    }

    /** The log file of the run. */
    public Path logFile() {
        return stateDir().resolve(StateDir.LOG);
    }

    /** The state directory, once {@link #open()} has run. */
    public Path stateDir() {
        return state == null ? settings.stateDir().toAbsolutePath().normalize() : state.root();
    }

    private int port(String key) {
        int port = Ports.rememberedOrFree(state.port(key));
        state.put(key, Integer.toString(port));
        return port;
    }

    private <T> T timed(String part, Supplier<T> start, String detail) {
        long started = System.nanoTime();
        out.printf(Locale.ROOT, "  %-12s %s", part, detail);
        out.flush();
        try {
            T result = start.get();
            out.printf(Locale.ROOT, "  (%.1f s)%n", Services.seconds(started));
            return result;
        } catch (RuntimeException e) {
            out.println("  (failed)");
            throw e;
        } finally {
            out.flush();
        }
    }

    /** Waits for the worker to have joined its group and read its configuration topic (its /health says so). */
    private void awaitConnectReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI health = worker.url().resolve("/health");
        long deadline = System.nanoTime() + READY_BOUND.toNanos();
        String last = "no answer";
        while (!stopping) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(health)
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new UpException("Kafka Connect was not ready within " + READY_BOUND.toSeconds() + " s (" + last
                        + "); see " + state.log());
            }
            Thread.sleep(200);
        }
    }

    /** Deploys the mapping: the tables, then the connectors, and waits until every connector runs. */
    private void deploy() throws Exception {
        Path file = settings.mappingFile();
        String source = file == null ? "the demo mapping" : file.toString();
        MappingFiles.Parsed parsed;
        try {
            parsed = file == null ? MappingFiles.parse(demoMapping(), source) : MappingFiles.read(file);
        } catch (MappingException e) {
            throw new UpException(e.getMessage());
        } catch (IOException e) {
            throw new UpException("Cannot read --mapping " + file + ": " + e.getMessage());
        }
        List<String> objects = parsed.file().mappings().stream().map(Mapping::objectName).distinct().toList();
        out.println();
        out.println("Deploying " + source + " (" + String.join(", ", objects) + "):");
        parsed.warnings().forEach(w -> out.println("  ! " + w));
        Deployment deployment = new Deployment(NAME, NAME, salesforce, database.jdbcUrl(), database.user(),
                Objects.requireNonNullElse(database.password(), ""), 1, 1);
        ConnectRest connect = new ConnectRest(worker.url().toString());
        Map<String, ConnectRest.Outcome> outcomes = null;
        long deadline = System.nanoTime() + READY_BOUND.toNanos();
        try (SalesforceClient client = client(salesforce); Connection c = database.connect()) {
            while (outcomes == null) {
                boolean first = plan == null;
                plan = Deployer.plan(parsed.file(), client.rest()::describe, c, deployment, source);
                if (first) {
                    plan.warnings().forEach(w -> out.println("  ! " + w));
                    plan.schema().render().lines().forEach(line -> out.println("  " + line));
                }
                try {
                    outcomes = Deployer.apply(plan, c, connect);
                } catch (ConnectRest.ConnectRestException e) {
                    // Each new connector makes the worker rebalance, and it refuses requests meanwhile. Deploying is
                    // idempotent, so planning again (the schema is in place now) and applying again is safe.
                    if (!rebalancing(e) || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(500);
                }
            }
        } catch (MappingException e) {
            throw new UpException(e.getMessage());
        } catch (IllegalStateException e) {
            throw new UpException(e.getMessage());
        }
        outcomes.forEach((name, outcome) -> out.println("  connector " + name + ": " + outcome));
        out.flush();
        List<String> connectors = new ArrayList<>(outcomes.keySet());
        List<String> sources = plan.connectors().stream()
                .filter(t -> t.config().getOrDefault("connector.class", "").startsWith("dev.lockstep.source."))
                .map(ConnectorTemplate::name).toList();
        view = new SyncView(plan.tables(), database, connect, sources, connectors, out, terminal, () -> stopping);
        for (String name : connectors) {
            awaitRunning(connect, name);
        }
    }

    /** Whether Connect refused a request because its workers are rebalancing (HTTP 409, or 500 "rebalance"). */
    static boolean rebalancing(ConnectRest.ConnectRestException e) {
        return e.status() == 409 || e.getMessage() != null && e.getMessage().contains("rebalance");
    }

    static String demoMapping() {
        try (InputStream in = LocalStack.class.getResourceAsStream(DEMO_MAPPING)) {
            if (in == null) {
                throw new IllegalStateException("The CLI's demo mapping " + DEMO_MAPPING + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitRunning(ConnectRest connect, String name) throws InterruptedException {
        long deadline = System.nanoTime() + READY_BOUND.toNanos();
        JsonNode status = null;
        while (!stopping) {
            status = connect.status(name);
            if (status != null) {
                List<JsonNode> tasks = new ArrayList<>();
                status.path("tasks").forEach(tasks::add);
                String connector = status.path("connector").path("state").asText();
                List<String> failed = new ArrayList<>();
                if ("FAILED".equals(connector)) {
                    failed.add(SyncView.firstLine(status.path("connector").path("trace").asText()));
                }
                tasks.stream().filter(t -> "FAILED".equals(t.path("state").asText()))
                        .forEach(t -> failed.add("task " + t.path("id").asInt() + ": "
                                + SyncView.firstLine(t.path("trace").asText())));
                if (!failed.isEmpty()) {
                    throw new UpException("Connector " + name + " failed: " + String.join("; ", failed)
                            + " (details in " + state.log() + ")");
                }
                if ("RUNNING".equals(connector) && !tasks.isEmpty()
                        && tasks.stream().allMatch(t -> "RUNNING".equals(t.path("state").asText()))) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new UpException("Connector " + name + " was not running within " + READY_BOUND.toSeconds()
                        + " s: " + status + " (details in " + state.log() + ")");
            }
            Thread.sleep(200);
        }
    }

    /** Records per mapped object in Salesforce now: what the snapshot has to bring over. */
    private Map<String, Long> totals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        try (SalesforceClient client = client(salesforce)) {
            for (Mapping mapping : plan.mappings()) {
                totals.computeIfAbsent(mapping.objectName(),
                        object -> client.rest().count("SELECT COUNT() FROM " + object));
            }
        }
        return totals;
    }

    /** A client for the Salesforce connection keys, as the source connector builds its own. */
    static SalesforceClient client(Map<String, String> keys) {
        SalesforceConnectionConfig connection = new SalesforceConnectionConfig(
                new AbstractConfig(SalesforceConnectionConfig.configDef(), keys, false));
        return SalesforceClient.create(connection.clientConfig());
    }

    /** Prints how to reach each part, and a change to try on each side. */
    private void printHowToConnect() throws SQLException {
        out.println();
        out.println("Connect to it:");
        String psql = database.psql();
        if (psql != null) {
            out.println("  Postgres:    " + psql);
        }
        out.println("  JDBC:        " + database.jdbcUrl() + " (user " + database.user()
                + (database.password() == null ? ", no password)" : ")"));
        out.println("  Connect:     " + worker.url() + "   (curl " + worker.url() + "/connectors?expand=status)");
        out.println("  Kafka:       " + kafka.bootstrapServers() + "   (topics " + plan.mappings().stream()
                .map(m -> NAME + "." + m.objectName()).distinct().collect(Collectors.joining(", ")) + ")");
        Example example = example();
        if (org != null) {
            String token = org.accessToken();
            out.println("  Salesforce:  " + org.url() + "   (the emulator; user " + org.emulator().config().username()
                    + ", password " + org.emulator().config().password() + ")");
            out.println("  Token:       " + token);
            out.println("               a new one: curl -s -X POST " + org.url() + "/services/oauth2/token"
                    + " -d grant_type=client_credentials -d client_id=" + org.emulator().config().clientId()
                    + " -d client_secret=" + org.emulator().config().clientSecret());
            out.println();
            out.println("Make a change:");
            if (example != null) {
                out.println("  in Salesforce:  curl -s -X PATCH " + org.url() + "/services/data/" + API_VERSION
                        + "/sobjects/" + example.object() + "/" + example.sfid() + " -H 'Authorization: Bearer "
                        + token + "' -H 'Content-Type: application/json' -d '{\"" + example.field()
                        + "\": \"Changed in Salesforce\"}'");
            }
        } else {
            out.println("  Salesforce:  " + salesforce.getOrDefault("salesforce.login.url", "")
                    + "   (your org, connection from " + settings.salesforceName() + ")");
            out.println();
            out.println("Make a change:");
            if (example != null) {
                out.println("  in Salesforce:  edit " + example.object() + " " + example.sfid() + " in your org");
            }
        }
        if (example != null) {
            String select = "SELECT sfid, " + example.column() + ", systemmodstamp, _hc_lastop FROM "
                    + example.table() + " WHERE sfid = '" + example.sfid() + "'";
            out.println("                  then in Postgres: " + (psql != null ? psql + " -c \"" + select + "\""
                    : select));
            out.println("  in Postgres:    UPDATE " + example.table() + " SET " + example.column()
                    + " = 'Changed in Postgres' WHERE sfid = '" + example.sfid() + "';");
            out.println("                  reaches Salesforce with a later release: the Postgres → Salesforce sink is"
                    + " not built yet.");
        }
        out.flush();
    }

    /** A record to change in the examples: the first row of an Account table, else of a table with a Name. */
    private record Example(String object, String sfid, String field, String column, String table) {}

    private Example example() throws SQLException {
        List<TableDefinition> candidates = plan.tables().stream()
                .filter(t -> t.mapping().fields().contains("Name"))
                .sorted(java.util.Comparator.comparing(t -> !t.mapping().objectName().equals("Account")))
                .toList();
        for (TableDefinition table : candidates) {
            try (Connection c = database.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT sfid FROM " + table.qualifiedName()
                            + " ORDER BY sfid LIMIT 1")) {
                if (rs.next()) {
                    Mapping mapping = table.mapping();
                    return new Example(mapping.objectName(), rs.getString(1), "Name", mapping.column("Name"),
                            table.qualifiedName());
                }
            }
        }
        return null;
    }
}
