package dev.lockstep.it.harness;

import dev.lockstep.cli.connect.ConnectRest;
import dev.lockstep.cli.connect.ConnectorTemplate;
import dev.lockstep.cli.connect.Deployment;
import dev.lockstep.cli.deploy.Deployer;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.schema.TableDefinition;
import dev.lockstep.emulator.EmulatorConfig;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mapping file deployed the way the command line deploys it ({@link Deployer}): the mappings resolved against the
 * org's describe, the Postgres schema planned and applied, then the generated connector configurations (sinks
 * first, then the Salesforce source) created through the Connect REST API, every connector loaded from the plugin
 * archive.
 */
public final class PostgresSync {

    /** The test's source settings: short retries and margins, so faults and re-syncs do not slow the tests. */
    private static final Map<String, String> TEST_SOURCE_SETTINGS = Map.of(
            "retry.backoff.ms", "100",
            "retry.backoff.max.ms", "1000",
            "resync.margin.ms", "2000");

    private final String name;
    private final List<Mapping> mappings;
    private final List<TableDefinition> tables;
    private final List<String> connectors;
    private final Deployment deployment;

    private PostgresSync(String name, List<Mapping> mappings, List<TableDefinition> tables, List<String> connectors,
            Deployment deployment) {
        this.name = name;
        this.mappings = mappings;
        this.tables = tables;
        this.connectors = connectors;
        this.deployment = deployment;
    }

    /**
     * Resolves {@code mappingJson} against the org, applies its schema to {@code postgres} and deploys its connectors
     * named {@code <name>-...} with topic prefix {@code name}; waits until every connector runs.
     *
     * @param sourceSettings extra settings of the source connector(s)
     */
    public static PostgresSync deploy(String name, String mappingJson, SalesforceOrg org, PostgresExtension postgres,
            ConnectClusterExtension connect, Map<String, String> sourceSettings) throws Exception {
        return deploy(name, mappingJson, org, postgres, connect, sourceSettings, Map.of());
    }

    /**
     * Like {@link #deploy(String, String, SalesforceOrg, PostgresExtension, ConnectClusterExtension, Map)}, with
     * settings added to (or replacing those of) every Postgres sink as well, e.g. {@code batch.size} or
     * {@code consumer.override.max.poll.records} for a benchmark.
     *
     * @param sinkSettings extra settings of the JDBC sink connectors
     */
    public static PostgresSync deploy(String name, String mappingJson, SalesforceOrg org, PostgresExtension postgres,
            ConnectClusterExtension connect, Map<String, String> sourceSettings, Map<String, String> sinkSettings)
            throws Exception {
        MappingFile file = MappingFiles.parse(mappingJson, name).file();
        Map<String, String> salesforce = new HashMap<>();
        salesforce.put("salesforce.login.url", org.emulator().baseUri().toString());
        salesforce.put("salesforce.auth.flow", "client_credentials");
        salesforce.put("salesforce.client.id", EmulatorConfig.DEFAULT_CLIENT_ID);
        salesforce.put("salesforce.client.secret", EmulatorConfig.DEFAULT_CLIENT_SECRET);
        salesforce.put("salesforce.pubsub.endpoint", org.emulator().pubsub().target());
        salesforce.put("salesforce.pubsub.plaintext", "true");
        Map<String, String> db = postgres.placeholders();
        Deployment deployment = new Deployment(name, name, salesforce, postgres.jdbcUrl(), db.get("POSTGRES_USER"),
                db.get("POSTGRES_PASSWORD"), 1, 1);

        Map<String, String> source = new HashMap<>(TEST_SOURCE_SETTINGS);
        source.putAll(sourceSettings);
        Deployer.Plan plan;
        Map<String, ConnectRest.Outcome> outcomes;
        try (Connection c = postgres.connection()) {
            plan = Deployer.plan(file, org.rest()::describe, c, deployment, name).withConnectors(connector ->
                    connector.with(isSource(connector) ? source : sinkSettings));
            outcomes = Deployer.apply(plan, c, new ConnectRest(connect.workerUrls().get(0).toString()));
        }
        List<String> names = new ArrayList<>(outcomes.keySet());
        for (ConnectorTemplate connector : plan.connectors()) {
            // The deployment asks for one source task; a sink runs as many tasks as its tasks.max says.
            connect.awaitRunning(connector.name(), isSource(connector) ? 1
                    : Integer.parseInt(connector.config().getOrDefault("tasks.max", "1")));
        }
        List<Mapping> mappings = plan.mappings();
        List<TableDefinition> tables = plan.tables();
        return new PostgresSync(name, mappings, tables, names, deployment);
    }

    private static boolean isSource(ConnectorTemplate connector) {
        return connector.config().get("connector.class").startsWith("dev.lockstep.source.");
    }

    /** The resolved mapping of an object (the first, when an object is mapped twice). */
    public Mapping mapping(String object) {
        return mappings.stream().filter(m -> m.objectName().equals(object)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " maps no " + object + ": " + mappings));
    }

    /** The resolved mapping of an object into a schema. */
    public Mapping mapping(String object, String schema) {
        return mappings.stream().filter(m -> m.objectName().equals(object) && m.schema().equals(schema))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(name + " maps no " + object + " into "
                        + schema));
    }

    public List<Mapping> mappings() {
        return mappings;
    }

    public List<TableDefinition> tables() {
        return tables;
    }

    /** The connectors deployed, sinks first. */
    public List<String> connectors() {
        return connectors;
    }

    /** Deletes the connectors, the source first, so nothing is left writing the tables or the topics. */
    public void delete(ConnectClusterExtension connect) {
        for (int i = connectors.size() - 1; i >= 0; i--) {
            connect.cluster().deleteConnector(connectors.get(i));
        }
    }

    /** The dead-letter topic of the Postgres sinks. */
    public String deadLetterTopic() {
        return deployment.postgresDeadLetterTopic();
    }
}
