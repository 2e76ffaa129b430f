package dev.lockstep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.connect.ConnectRest;
import dev.lockstep.cli.connect.ConnectRest.Outcome;
import dev.lockstep.cli.connect.ConnectorSecrets;
import dev.lockstep.cli.connect.ConnectorTemplate;
import dev.lockstep.cli.connect.ConnectorValidation;
import dev.lockstep.cli.connect.Deployment;
import dev.lockstep.cli.deploy.Deployer;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.output.Output;
import dev.lockstep.cli.output.Style.Tone;
import dev.lockstep.cli.output.Table;
import dev.lockstep.cli.schema.SchemaPlan;
import dev.lockstep.salesforce.client.SalesforceClient;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep deploy}: applies a mapping file. Resolves the mappings against Salesforce's describes, plans the
 * Postgres schema, has Kafka Connect validate every connector configuration, then applies the schema (one
 * transaction) and creates or updates the connectors. Nothing changes unless every step before it succeeded, and
 * running it again changes nothing ("unchanged"). {@code --dry-run} shows the DDL and the connector configurations
 * (secrets masked) and changes nothing.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Apply a mapping file: create or evolve the Postgres tables, then create or update the "
                + "connectors through the Kafka Connect REST API. Running it again changes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:deployed, or nothing to change",
            "1:failed, and nothing was changed: invalid mapping, schema errors, a configuration Kafka Connect "
                + "refuses, a system that did not answer",
            "2:bad usage"})
public final class DeployCommand implements Callable<Integer> {

    /** Connector names and topic prefixes: what Kafka topic names allow. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    /** How much of an information finding the text output shows. */
    private static final int INFO_LENGTH = 160;

    @Spec
    CommandSpec spec;

    @Option(names = "--mapping", required = true, paramLabel = "FILE",
            description = "The mapping file (Heroku Connect's export format, docs/mapping-files.md).")
    Path mapping;

    @Mixin
    SalesforceOptions salesforce;

    @Mixin
    PostgresOptions postgres;

    @Mixin
    ConnectOptions connect;

    @Mixin
    DeploymentNames names;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "Prefix of the change topics, <prefix>.<Object> (default: the name).")
    String topicPrefix;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "-1",
            description = "Replication factor of the topics the connectors create; -1 (default) uses the brokers' "
                    + "default.replication.factor.")
    int replicationFactor;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "1",
            description = "tasks.max of the Salesforce source (default: ${DEFAULT-VALUE}); objects are spread over "
                    + "the tasks, see lockstep plan.")
    int tasks;

    @Option(names = "--dry-run",
            description = "Show what would be done (schema changes with their DDL, connector configurations with "
                    + "secrets masked) and change nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print the result as JSON on standard output, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Output output = Output.of(spec);
        Deployment target = target();
        MappingFiles.Parsed parsed;
        try {
            parsed = MappingInput.read(mapping);
        } catch (MappingException e) {
            return MappingInput.invalid(output, e, "nothing was deployed");
        }
        String source = mapping.toString();
        try (SalesforceClient client = salesforce.client(); Connection db = postgres.connect()) {
            Deployer.Plan plan;
            try {
                Map<String, JsonNode> describes = salesforce.describes(client, parsed.file(), source, output);
                output.progress("planning the Postgres schema of " + postgres.displayUrl());
                plan = Deployer.plan(parsed.file(), describes::get, db, target, source);
            } catch (MappingException e) {
                return MappingInput.invalid(output, e, "nothing was deployed");
            }
            Report report = new Report(plan, parsed.warnings());
            checkWithConnect(plan, report, output);
            boolean refused = report.schemaErrors() || report.refused();
            if (!dryRun && !refused) {
                output.progress("applying " + plan.schema().changes().size() + " schema change(s) and deploying "
                        + plan.connectors().size() + " connector(s) to Kafka Connect at " + connect.url());
                report.outcomes.putAll(Deployer.apply(plan, db, connect.rest()));
                report.applied = true;
            }
            if (json) {
                output.json(report.json());
            } else {
                report.print(output);
            }
            return refused ? Lockstep.EXIT_FAILURE : Lockstep.EXIT_OK;
        }
    }

    private Deployment target() {
        String name = names.name();
        if (!NAME.matcher(name).matches()) {
            throw new ParameterException(spec.commandLine(), "--name " + name + ": use letters, digits, '.', '_' "
                    + "and '-' only (it starts every connector name)");
        }
        String prefix = topicPrefix == null ? name : topicPrefix;
        if (!NAME.matcher(prefix).matches()) {
            throw new ParameterException(spec.commandLine(), "--topic-prefix " + prefix + ": use letters, digits, "
                    + "'.', '_' and '-' only (Kafka topic names allow no others)");
        }
        if (replicationFactor < 1 && replicationFactor != Deployment.BROKER_DEFAULT_REPLICATION) {
            throw new ParameterException(spec.commandLine(), "--replication-factor " + replicationFactor
                    + ": give 1 or more, or -1 for the brokers' default.replication.factor");
        }
        if (tasks < 1) {
            throw new ParameterException(spec.commandLine(), "--tasks " + tasks + ": give 1 or more");
        }
        return new Deployment(name, prefix, salesforce.properties(), postgres.url(), postgres.user(),
                postgres.password(), replicationFactor, tasks);
    }

    /**
     * Validates every connector and finds what deploying would do to it. Unreachable Connect fails a deployment
     * before anything changed; a dry run goes on without, saying so.
     */
    private void checkWithConnect(Deployer.Plan plan, Report report, Output output) {
        ConnectRest rest = connect.rest();
        try {
            report.validations.putAll(Deployer.validate(plan, rest, connector -> output.progress(
                    "validating " + connector + " with Kafka Connect at " + connect.url())));
            if (dryRun) {
                for (ConnectorTemplate connector : plan.connectors()) {
                    report.outcomes.put(connector.name(), rest.compare(connector.name(), connector.config()));
                }
            }
        } catch (UncheckedIOException e) {
            if (!dryRun) {
                throw new CommandFailure(e.getMessage() + " Nothing was changed.", e);
            }
            report.connectUnreachable = e.getMessage();
            output.warn(e.getMessage() + " The connectors were neither validated nor compared.");
        } catch (ConnectRest.ConnectRestException e) {
            throw new CommandFailure("Kafka Connect at " + connect.url() + " could not validate the connectors: "
                    + e.getMessage() + ". Are the Lockstep and Debezium plugins on every worker's plugin.path "
                    + "(docs/installation.md)? Nothing was changed.", e);
        }
    }

    /** What a deployment found and did, shown as text or JSON. */
    private final class Report {

        private final Deployer.Plan plan;
        private final List<String> warnings;
        private final Map<String, ConnectorValidation> validations = new LinkedHashMap<>();
        private final Map<String, Outcome> outcomes = new LinkedHashMap<>();
        private String connectUnreachable;
        private boolean applied;

        Report(Deployer.Plan plan, List<String> parseWarnings) {
            this.plan = plan;
            this.warnings = new java.util.ArrayList<>(parseWarnings);
            this.warnings.addAll(plan.warnings());
        }

        boolean schemaErrors() {
            return plan.schema().hasErrors();
        }

        boolean refused() {
            return validations.values().stream().anyMatch(v -> !v.valid());
        }

        private Map<String, String> shownConfig(ConnectorTemplate connector) {
            ConnectorValidation validation = validations.get(connector.name());
            return ConnectorSecrets.mask(connector.config(), validation == null ? Set.of() : validation.secretKeys());
        }

        void print(Output output) {
            output.line(Tone.STRONG, (dryRun ? "Dry run of " : "Deployment of ") + mapping + " as " + names.name());
            Table mappings = Table.of("OBJECT", "TABLE", "ACCESS", "SYNC", "FIELDS").alignRight(4);
            for (Mapping m : plan.mappings()) {
                mappings.row(m.objectName(), m.qualifiedTable(), m.access().value(), m.syncMode().value(),
                        m.allFields() ? m.fields().size() + " (all)" : m.fields().size());
            }
            output.table(mappings);
            if (!warnings.isEmpty()) {
                output.heading("Warnings");
                warnings.forEach(w -> output.line(Tone.WARN, "  ! " + w));
            }
            printSchema(output);
            printConnectors(output);
            if (dryRun) {
                printDryRunDetail(output);
            }
            output.line("");
            output.line(Tone.STRONG, summary());
        }

        private void printSchema(Output output) {
            output.heading("Postgres schema (" + postgres.displayUrl() + ")");
            SchemaPlan schema = plan.schema();
            String verb = applied ? "applied" : "to apply";
            schema.changes().forEach(c -> output.line(Tone.GOOD, "  + " + c.description() + "  (" + verb + ")"));
            boolean shortened = false;
            for (SchemaPlan.Finding f : schema.findings()) {
                Tone tone = switch (f.severity()) {
                    case ERROR -> Tone.BAD;
                    case WARNING -> Tone.WARN;
                    case INFO -> Tone.DIM;
                };
                String text = f.text();
                // Information (e.g. the fields left unmapped, which can be many) is cut; what asks for action is not.
                if (f.severity() == SchemaPlan.Severity.INFO && text.length() > INFO_LENGTH) {
                    text = text.substring(0, INFO_LENGTH) + " …";
                    shortened = true;
                }
                output.line(tone, "  ! " + f.severity() + " " + f.mapping() + ": " + text);
            }
            if (shortened) {
                output.line(Tone.DIM, "  (information shortened; --json shows it in full)");
            }
            if (schema.changes().isEmpty()) {
                output.line("  " + (schema.findings().isEmpty() ? "unchanged: the schema matches the mappings"
                        : "unchanged: nothing to change"));
            }
            if (schemaErrors()) {
                output.line(Tone.BAD, "  The schema has errors: resolve them (each says how), then deploy again."
                        + " Nothing was changed.");
            }
        }

        private void printConnectors(Output output) {
            output.heading("Connectors (Kafka Connect at " + connect.url() + ")");
            Table table = Table.of("CONNECTOR", "CLASS", "READS", "OUTCOME");
            for (ConnectorTemplate connector : plan.connectors()) {
                table.row(connector.name(), simpleName(connector.config().get("connector.class")),
                        reads(connector), outcomeCell(connector.name()));
            }
            output.table(table);
            validations.forEach((connector, validation) -> validation.errors().forEach((key, messages) ->
                    messages.forEach(m -> output.line(Tone.BAD, "  ✗ " + connector + ": " + key + ": " + m))));
            if (refused()) {
                output.line(Tone.BAD, "  Kafka Connect refused the configurations above; fix what each error names,"
                        + " then deploy again. Nothing was changed.");
            }
            if (connectUnreachable != null) {
                output.line(Tone.WARN, "  Kafka Connect was not reached; the connectors were neither validated nor"
                        + " compared.");
            }
        }

        private Table.Cell outcomeCell(String connector) {
            ConnectorValidation validation = validations.get(connector);
            if (validation != null && !validation.valid()) {
                return Table.cell(Tone.BAD, "refused");
            }
            Outcome outcome = outcomes.get(connector);
            if (outcome == null) {
                return Table.cell(Tone.DIM, dryRun ? "unknown" : "not deployed");
            }
            String text = dryRun && outcome != Outcome.UNCHANGED ? "would be " + outcome : outcome.toString();
            return Table.cell(outcome == Outcome.UPDATED ? Tone.WARN : Tone.GOOD, text);
        }

        private void printDryRunDetail(Output output) {
            output.heading("DDL");
            String sql = plan.schema().sql();
            output.block(sql.isEmpty() ? "-- nothing to change\n" : sql, "  ");
            output.heading("Connector configurations (secrets masked)");
            for (ConnectorTemplate connector : plan.connectors()) {
                ObjectNode body = Output.object().put("name", connector.name());
                ObjectNode config = body.putObject("config");
                shownConfig(connector).forEach(config::put);
                output.line("");
                output.block(body.toPrettyString(), "  ");
            }
        }

        private String summary() {
            if (schemaErrors() || refused()) {
                return "Not deployed: nothing was changed.";
            }
            long created = count(Outcome.CREATED);
            long updated = count(Outcome.UPDATED);
            long unchanged = count(Outcome.UNCHANGED);
            int changes = plan.schema().changes().size();
            if (dryRun) {
                return "Dry run: nothing was changed. A deployment would make " + changes + " schema change(s)"
                        + (connectUnreachable != null ? "." : ", create " + created + " connector(s), update "
                                + updated + " and leave " + unchanged + " unchanged.");
            }
            return "Deployed: " + changes + " schema change(s) applied, " + created + " connector(s) created, "
                    + updated + " updated, " + unchanged + " unchanged.";
        }

        private long count(Outcome outcome) {
            return outcomes.values().stream().filter(o -> o == outcome).count();
        }

        JsonNode json() {
            ObjectNode root = Output.object();
            root.put("mapping", mapping.toString());
            root.put("name", names.name());
            root.put("dryRun", dryRun);
            root.put("deployed", applied);
            ArrayNode warningList = root.putArray("warnings");
            warnings.forEach(warningList::add);
            ObjectNode schema = root.putObject("schema");
            ArrayNode changes = schema.putArray("changes");
            plan.schema().changes().forEach(c -> changes.addObject().put("description", c.description())
                    .put("sql", c.sql()));
            ArrayNode findings = schema.putArray("findings");
            plan.schema().findings().forEach(f -> findings.addObject().put("severity", f.severity().toString())
                    .put("mapping", f.mapping()).put("text", f.text()).put("sql", f.sql()));
            if (connectUnreachable != null) {
                root.put("connectUnreachable", connectUnreachable);
            }
            ArrayNode connectors = root.putArray("connectors");
            for (ConnectorTemplate connector : plan.connectors()) {
                ObjectNode node = connectors.addObject().put("name", connector.name())
                        .put("class", connector.config().get("connector.class"));
                Outcome outcome = outcomes.get(connector.name());
                node.put("outcome", outcome == null ? null : outcome.toString());
                ObjectNode errors = node.putObject("errors");
                ConnectorValidation validation = validations.get(connector.name());
                if (validation != null) {
                    validation.errors().forEach((key, messages) -> {
                        ArrayNode list = errors.putArray(key);
                        messages.forEach(list::add);
                    });
                }
                ObjectNode config = node.putObject("config");
                shownConfig(connector).forEach(config::put);
            }
            return root;
        }
    }

    private static String simpleName(String className) {
        return className == null ? "" : className.substring(className.lastIndexOf('.') + 1);
    }

    /** What a connector reads: a sink its topics, the Salesforce source its objects. */
    private static String reads(ConnectorTemplate connector) {
        String topics = connector.config().get("topics");
        return topics != null ? topics : connector.config().getOrDefault("object.include.list", "");
    }
}
