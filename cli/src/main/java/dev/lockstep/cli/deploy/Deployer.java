package dev.lockstep.cli.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.connect.ConnectRest;
import dev.lockstep.cli.connect.ConnectorConfigs;
import dev.lockstep.cli.connect.ConnectorTemplate;
import dev.lockstep.cli.connect.ConnectorValidation;
import dev.lockstep.cli.connect.Deployment;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.cli.schema.SchemaPlan;
import dev.lockstep.cli.schema.SchemaPlanner;
import dev.lockstep.cli.schema.TableDefinition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Deploys a mapping file: resolves its mappings against Salesforce's describe, plans the Postgres schema, builds the
 * connector configurations; then applies the schema and creates or updates the connectors through the Connect REST
 * API. Planning changes nothing, so {@code --dry-run} prints a plan; applying a plan twice changes nothing the
 * second time.
 */
public final class Deployer {

    private Deployer() {
    }

    /**
     * What a deployment would do.
     *
     * @param mappings the resolved mappings (fields as synced, spelt as in describe)
     * @param tables each mapping's table
     * @param schema the schema changes and findings
     * @param connectors the connector configurations, sinks first
     * @param warnings what resolving the mappings changed or noticed
     */
    public record Plan(List<Mapping> mappings, List<TableDefinition> tables, SchemaPlan schema,
            List<ConnectorTemplate> connectors, List<String> warnings) {

        public Plan {
            mappings = List.copyOf(mappings);
            tables = List.copyOf(tables);
            connectors = List.copyOf(connectors);
            warnings = List.copyOf(warnings);
        }

        /** A copy whose connector configurations {@code change} adjusts (e.g. settings for one environment). */
        public Plan withConnectors(UnaryOperator<ConnectorTemplate> change) {
            return new Plan(mappings, tables, schema, connectors.stream().map(change).toList(), warnings);
        }
    }

    /**
     * Plans the deployment of {@code file}.
     *
     * @param describes the describe of an object by name (e.g. {@code client.rest()::describe})
     * @param postgres a connection to the target database (read only here)
     * @param source the file's name, for messages
     * @throws MappingException when a mapping does not fit its object, listing every problem
     */
    public static Plan plan(MappingFile file, Function<String, JsonNode> describes, Connection postgres,
            Deployment target, String source) throws MappingException, SQLException {
        List<MappingCheck.Resolved> resolved = MappingCheck.resolveAll(file, describes, source);
        List<Mapping> mappings = resolved.stream().map(MappingCheck.Resolved::mapping).toList();
        List<TableDefinition> tables = resolved.stream().map(TableDefinition::of).toList();
        List<String> warnings = new ArrayList<>();
        resolved.forEach(r -> warnings.addAll(r.warnings()));
        SchemaPlan schema = SchemaPlanner.plan(tables, postgres);
        List<ConnectorTemplate> connectors = ConnectorConfigs.of(
                new MappingFile(file.version(), file.connection(), mappings), target);
        return new Plan(mappings, tables, schema, connectors, warnings);
    }

    /**
     * Has Kafka Connect validate every connector configuration of a plan, as it would before creating it: Connect's
     * own checks and the connector's ({@code validate()} of the Salesforce source logs in to Salesforce). Changes
     * nothing.
     *
     * @param progress told the name of each connector before it is validated
     * @return each connector's validation, by name, in deployment order
     */
    public static Map<String, ConnectorValidation> validate(Plan plan, ConnectRest connect,
            Consumer<String> progress) {
        Map<String, ConnectorValidation> validations = new LinkedHashMap<>();
        for (ConnectorTemplate connector : plan.connectors()) {
            progress.accept(connector.name());
            Map<String, String> config = new LinkedHashMap<>(connector.config());
            config.put("name", connector.name());
            validations.put(connector.name(), ConnectorValidation.of(connect.validate(config)));
        }
        return validations;
    }

    /**
     * Applies a plan: the schema changes in one transaction, then every connector created or updated.
     *
     * @return what happened to each connector, by name, in deployment order
     * @throws IllegalStateException when the schema plan has errors (nothing is changed then)
     */
    public static Map<String, ConnectRest.Outcome> apply(Plan plan, Connection postgres, ConnectRest connect)
            throws SQLException {
        if (plan.schema().hasErrors()) {
            throw new IllegalStateException("The Postgres schema needs attention before deploying:\n"
                    + plan.schema().render());
        }
        plan.schema().apply(postgres);
        Map<String, ConnectRest.Outcome> outcomes = new LinkedHashMap<>();
        for (ConnectorTemplate connector : plan.connectors()) {
            outcomes.put(connector.name(), connect.putConfig(connector.name(), connector.config()));
        }
        return outcomes;
    }
}
