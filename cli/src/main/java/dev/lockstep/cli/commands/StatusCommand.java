package dev.lockstep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.connect.Deployment;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.cli.output.Output;
import dev.lockstep.cli.status.KafkaTopics;
import dev.lockstep.cli.status.StatusCollector;
import dev.lockstep.cli.status.StatusPrinter;
import dev.lockstep.cli.status.StatusReport;
import dev.lockstep.salesforce.client.SalesforceClient;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep status}: per mapping, what Heroku Connect's dashboard showed, gathered from the Connect REST API
 * (connectors, tasks, the source's offsets), Postgres (rows, failed rows, newest change), Salesforce (record counts,
 * newest change; with {@code --salesforce}) and Kafka (dead letters, source errors, sink lag; with
 * {@code --bootstrap-servers}). The exit code is a health check.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show each mapping's connectors and tasks, snapshot progress, record counts, lag and last "
                + "errors.",
            "",
            "Exit codes: 0 healthy (everything running, snapshots done, counts equal, not behind, no errors); "
                + "4 behind (a snapshot or re-sync running, lag over --max-lag, counts differ: may clear up by "
                + "itself); 5 needs attention (a connector or task failed, paused, stopped or missing, a table "
                + "missing, dead-lettered or failed records); 1 something could not be reached; 2 bad usage."})
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--mapping", required = true, paramLabel = "FILE",
            description = "The mapping file that was deployed (docs/mapping-files.md).")
    Path mapping;

    @Mixin
    ConnectOptions connect;

    @Mixin
    PostgresOptions postgres;

    @Mixin
    SalesforceOptions salesforce;

    @Mixin
    DeploymentNames names;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX",
            description = "The deployment's topic prefix (default: the name), as given to lockstep deploy: topics "
                    + "<prefix>.<Object>, <prefix>.postgres.dlq and <prefix>.errors.")
    String topicPrefix;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka brokers: read the newest dead-lettered records (<prefix>.postgres.dlq), the "
                    + "source's error topic (<prefix>.errors) and the sinks' consumer lag. Without it these are not "
                    + "shown.")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Properties file with further Kafka client settings (security.protocol, sasl.*, ssl.*).")
    Path kafkaConfig;

    @Option(names = "--max-lag", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Lag above which a mapping counts as behind (default: ${DEFAULT-VALUE}; polled mappings "
                    + "add their polling interval).")
    Duration maxLag;

    @Option(names = "--errors-since", paramLabel = "DURATION", defaultValue = "24h",
            converter = DurationConverter.class,
            description = "Dead-lettered records and source errors younger than this count (default: "
                    + "${DEFAULT-VALUE}).")
    Duration errorsSince;

    @Option(names = "--errors", paramLabel = "N", defaultValue = "5",
            description = "The most errors listed per mapping (default: ${DEFAULT-VALUE}).")
    int errors;

    @Option(names = "--json", description = "Print the report as JSON on standard output, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Output output = Output.of(spec);
        if (errors < 1) {
            throw new ParameterException(spec.commandLine(), "--errors must be at least 1");
        }
        MappingFile file;
        try {
            file = MappingInput.read(mapping).file();
        } catch (MappingException e) {
            return MappingInput.invalid(output, e, "no status was taken");
        }
        List<String> unreachable = new ArrayList<>();
        try (SalesforceClient client = salesforce.given() ? salesforce.client() : null;
                Connection db = connectPostgres(unreachable);
                KafkaTopics kafka = bootstrapServers == null ? null
                        : new KafkaTopics(bootstrapServers, kafkaProperties())) {
            SalesforceClient reached = client;
            if (client != null) {
                try {
                    Map<String, JsonNode> describes = salesforce.describes(client, file, mapping.toString(), output);
                    file = new MappingFile(file.version(), file.connection(), MappingCheck.resolveAll(file,
                            describes::get, mapping.toString()).stream().map(MappingCheck.Resolved::mapping).toList());
                } catch (MappingException e) {
                    return MappingInput.invalid(output, e, "no status was taken");
                } catch (CommandFailure e) {
                    unreachable.add("Salesforce: " + e.getMessage());
                    reached = null;
                }
            }
            Deployment deployment = names.deployment(postgres, topicPrefix);
            StatusCollector collector = new StatusCollector(file, deployment, connect.rest(), db, reached, kafka,
                    new StatusCollector.Options(maxLag, errorsSince, errors), unreachable);
            output.progress("asking Kafka Connect at " + connect.url() + (db == null ? "" : ", Postgres")
                    + (reached == null ? "" : ", Salesforce") + (kafka == null ? "" : " and Kafka"));
            StatusReport report = collector.collect(Instant.now());
            show(output, report);
            return report.health().exitCode();
        }
    }

    /** The one place status writes its result: JSON for scripts or the tables for people. */
    private void show(Output output, StatusReport report) {
        if (json) {
            output.json(StatusPrinter.json(report));
        } else {
            StatusPrinter.print(output, report);
        }
    }

    /** A connection, or null (with the reason in {@code unreachable}) when Postgres cannot be reached. */
    private Connection connectPostgres(List<String> unreachable) {
        try {
            return postgres.connect();
        } catch (CommandFailure e) {
            unreachable.add(e.getMessage());
            return null;
        }
    }

    private Properties kafkaProperties() throws IOException {
        Properties props = new Properties();
        if (kafkaConfig != null) {
            try (Reader in = Files.newBufferedReader(kafkaConfig, StandardCharsets.UTF_8)) {
                props.load(in);
            }
        }
        return props;
    }
}
