package dev.lockstep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.connect.ConnectorConfigs;
import dev.lockstep.cli.connect.ConnectorTemplate;
import dev.lockstep.cli.connect.Deployment;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.cli.output.Output;
import dev.lockstep.cli.reconcile.ObjectReport;
import dev.lockstep.cli.reconcile.ReconcilePrinter;
import dev.lockstep.cli.reconcile.Reconciler;
import dev.lockstep.cli.reconcile.Repair;
import dev.lockstep.cli.status.StatusRules;
import dev.lockstep.salesforce.client.SalesforceClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep reconcile}: compares Salesforce and Postgres record by record for every mapping (or the objects
 * named), and with {@code --repair} re-syncs what differs through the normal pipeline ({@link Repair}), then waits
 * until the differences are gone.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare Salesforce and Postgres record by record and report every difference: counts, "
                + "records missing from the table, extra rows, duplicate sfids, rows whose parent row is missing, "
                + "and every mapped field (date-times within 1 s, numbers as numbers, text byte for byte).",
            "With --repair, re-sync the differing records through the source connector (offset rewound to a "
                + "resync position) and soft-delete rows whose record is gone from Salesforce, then wait until "
                + "they agree.",
            "",
            "Exit codes: 0 equal (after --repair: equal again), 4 differences (after --repair: still differing "
                + "when --wait ran out), 1 something could not be reached or failed, 2 bad usage."})
public final class ReconcileCommand implements Callable<Integer> {

    private static final Duration RECHECK_INTERVAL = Duration.ofSeconds(2);

    @Spec
    CommandSpec spec;

    @Option(names = "--mapping", required = true, paramLabel = "FILE",
            description = "The mapping file that was deployed (docs/mapping-files.md).")
    Path mapping;

    @Mixin
    SalesforceOptions salesforce;

    @Mixin
    PostgresOptions postgres;

    @Mixin
    ConnectOptions connect;

    @Mixin
    DeploymentNames names;

    @Option(names = "--object", paramLabel = "OBJECT",
            description = "Compare only this object (repeat for several); default: every mapping of the file.")
    List<String> objects = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "The most items listed per object and kind (default: ${DEFAULT-VALUE}); counts are "
                    + "always complete.")
    int limit;

    @Option(names = "--bulk-threshold", paramLabel = "N", defaultValue = "10000",
            description = "Objects with more records are read with one Bulk API 2.0 query, smaller ones with REST "
                    + "queries (default: ${DEFAULT-VALUE}).")
    long bulkThreshold;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Differences are read again after this time and only those still there are reported, "
                    + "so changes in flight are not reported (default: ${DEFAULT-VALUE}; 0 reports the first read).")
    Duration settle;

    @Option(names = "--repair",
            description = "Re-sync what differs through the pipeline (stops the Salesforce source connector, "
                    + "rewinds the object's offset, resumes it) and soft-delete rows whose record is gone from "
                    + "Salesforce; needs --connect. See docs/cli.md.")
    boolean repair;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
            description = "With --repair: how long to wait for the repaired records to agree (default: "
                    + "${DEFAULT-VALUE}; 0 does not wait).")
    Duration waitFor;

    @Option(names = "--json", description = "Print the report as JSON on standard output, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Output output = Output.of(spec);
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        MappingFile file;
        try {
            file = MappingInput.read(mapping).file();
        } catch (MappingException e) {
            return MappingInput.invalid(output, e, "nothing was compared");
        }
        checkObjects(file);
        try (SalesforceClient client = salesforce.client(); Connection db = postgres.connect()) {
            List<Mapping> resolved;
            try {
                Map<String, JsonNode> describes = salesforce.describes(client, file, mapping.toString(), output);
                resolved = MappingCheck.resolveAll(file, describes::get, mapping.toString()).stream()
                        .map(MappingCheck.Resolved::mapping).toList();
            } catch (MappingException e) {
                return MappingInput.invalid(output, e, "nothing was compared");
            }
            Reconciler reconciler = new Reconciler(client, db, resolved,
                    new Reconciler.Options(limit, bulkThreshold, settle));
            List<ObjectReport> reports = new ArrayList<>();
            for (Mapping m : resolved) {
                if (objects.isEmpty() || objects.stream().anyMatch(m.objectName()::equalsIgnoreCase)) {
                    output.progress("comparing " + m.objectName() + " with " + m.qualifiedTable());
                    reports.add(reconciler.reconcile(m));
                }
            }
            boolean equal = reports.stream().allMatch(ObjectReport::equal);
            if (!repair || equal) {
                show(output, reports, null, null);
                return equal ? Lockstep.EXIT_OK : Lockstep.EXIT_ATTENTION;
            }
            Deployment deployment = names.deployment(postgres, null);
            List<String> sources = ConnectorConfigs.of(new MappingFile(file.version(), file.connection(), resolved),
                    deployment).stream().map(ConnectorTemplate::name)
                    .filter(n -> n.startsWith(ConnectorConfigs.sourceName(deployment))).toList();
            output.progress("repairing through the Salesforce source connector(s) " + sources + " at "
                    + connect.rest().url());
            List<Repair.Action> actions = new Repair(client, db, connect.rest(), sources,
                    m -> ConnectorConfigs.sinkName(deployment, m)).run(reports);
            List<ObjectReport> after = waitForRepair(output, reconciler, reports);
            show(output, reports, actions, after);
            return after.stream().allMatch(ObjectReport::equal) ? Lockstep.EXIT_OK : Lockstep.EXIT_ATTENTION;
        }
    }

    /** Re-checks the repaired objects (by the differing Ids) until they agree or {@code --wait} runs out. */
    private List<ObjectReport> waitForRepair(Output output, Reconciler reconciler, List<ObjectReport> before)
            throws Exception {
        List<ObjectReport> now = before;
        long deadline = System.nanoTime() + waitFor.toNanos();
        if (waitFor.isZero()) {
            return now;
        }
        output.progress("waiting up to " + StatusRules.human(waitFor) + " for the re-read records to arrive");
        while (true) {
            List<ObjectReport> again = new ArrayList<>();
            for (ObjectReport r : now) {
                again.add(r.equal() ? r : reconciler.recheck(r));
            }
            now = again;
            if (now.stream().allMatch(ObjectReport::equal) || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(RECHECK_INTERVAL.toMillis());
        }
    }

    /** The one place reconcile writes its result: JSON for scripts or the tables for people. */
    private void show(Output output, List<ObjectReport> reports, List<Repair.Action> actions,
            List<ObjectReport> after) {
        if (json) {
            ObjectNode root = ReconcilePrinter.json(reports);
            if (actions != null) {
                ReconcilePrinter.json(actions, root.putArray("repair"));
                root.set("afterRepair", ReconcilePrinter.json(after));
            }
            output.json(root);
            return;
        }
        ReconcilePrinter.print(output, "Salesforce compared with Postgres", reports);
        if (actions != null) {
            ReconcilePrinter.printRepair(output, actions);
            ReconcilePrinter.print(output, waitFor.isZero() ? "After repair (not waited for: --wait 0)"
                    : "After repair", after);
        }
        List<ObjectReport> last = after != null ? after : reports;
        long differing = last.stream().filter(r -> !r.equal()).count();
        output.line("");
        output.line(differing == 0 ? "Result: equal (exit 0)" : "Result: " + differing + " of " + last.size()
                + " object(s) differ (exit " + Lockstep.EXIT_ATTENTION + ")");
    }

    private void checkObjects(MappingFile file) {
        Set<String> mapped = file.mappings().stream().map(Mapping::objectName)
                .collect(Collectors.toCollection(() -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER)));
        for (String object : objects) {
            if (!mapped.contains(object)) {
                throw new ParameterException(spec.commandLine(), "--object " + object + ": " + mapping
                        + " maps no such object; it maps " + String.join(", ", mapped));
            }
        }
    }
}
