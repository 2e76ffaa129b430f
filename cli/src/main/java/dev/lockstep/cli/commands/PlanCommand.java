package dev.lockstep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.connect.ConnectorConfigs;
import dev.lockstep.cli.deploy.LoadPlan;
import dev.lockstep.cli.deploy.LoadPlan.Kind;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.output.Output;
import dev.lockstep.cli.output.Style.Tone;
import dev.lockstep.cli.output.Table;
import dev.lockstep.salesforce.client.SalesforceClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep plan}: the mapped objects' dependency graph (their mapped reference fields, from describe) and the
 * order the Salesforce source loads them in, parents first, naming self-lookups, cycles and how they are broken, and
 * references to objects that are not mapped. Reads Salesforce only; changes nothing.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the mapped objects' references to each other and the order the initial load "
                + "(snapshot) reads them in, parents first; name self-lookups, cycles and references to objects that "
                + "are not mapped. Changes nothing.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:shown", "1:invalid mapping, or Salesforce did not answer", "2:bad usage"})
public final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--mapping", required = true, paramLabel = "FILE",
            description = "The mapping file (Heroku Connect's export format, docs/mapping-files.md).")
    Path mapping;

    @Mixin
    SalesforceOptions salesforce;

    @Mixin
    DeploymentNames names;

    @Option(names = "--tasks", paramLabel = "N", defaultValue = "1",
            description = "tasks.max of the Salesforce source, as given to lockstep deploy (default: "
                    + "${DEFAULT-VALUE}). Objects are spread over the tasks; each task loads its own in order.")
    int tasks;

    @Option(names = "--json", description = "Print the plan as JSON on standard output, for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (tasks < 1) {
            throw new ParameterException(spec.commandLine(), "--tasks " + tasks + ": give 1 or more");
        }
        Output output = Output.of(spec);
        MappingFiles.Parsed parsed;
        try {
            parsed = MappingInput.read(mapping);
        } catch (MappingException e) {
            return MappingInput.invalid(output, e, "no plan");
        }
        parsed.warnings().forEach(output::warn);
        MappingFile file = parsed.file();
        List<Mapping> resolved = new ArrayList<>();
        Map<String, JsonNode> describes = new LinkedHashMap<>();
        try (SalesforceClient client = salesforce.client()) {
            Map<String, JsonNode> written = salesforce.describes(client, file, mapping.toString(), output);
            List<MappingCheck.Resolved> all = MappingCheck.resolveAll(file, written::get, mapping.toString());
            for (int i = 0; i < all.size(); i++) {
                // Resolving spells the object as Salesforce does; the file may have spelt it in another case.
                resolved.add(all.get(i).mapping());
                describes.put(all.get(i).mapping().objectName(), written.get(file.mappings().get(i).objectName()));
            }
        } catch (MappingException e) {
            return MappingInput.invalid(output, e, "no plan");
        }
        LoadPlan plan = LoadPlan.of(resolved, describes, ConnectorConfigs.sourceName(names.name()), tasks);
        if (json) {
            output.json(json(plan, resolved));
        } else {
            print(output, plan, resolved);
        }
        return Lockstep.EXIT_OK;
    }

    private void print(Output output, LoadPlan plan, List<Mapping> mappings) {
        List<String> objects = ConnectorConfigs.objects(mappings);
        output.line(Tone.STRONG, "Load plan of " + mapping + ": " + objects.size() + " object(s), "
                + plan.tasks().size() + " source task(s)");

        output.heading("References (mapped reference fields)");
        if (plan.references().isEmpty()) {
            output.line("  none: no mapped field refers to another record");
        } else {
            Table table = Table.of("OBJECT", "FIELD", "REFERS TO", "MEANING");
            for (LoadPlan.Reference r : plan.references()) {
                table.row(r.object(), r.field(), r.target(), Table.cell(tone(r.kind()), r.kind().label()));
            }
            output.table(table);
        }

        output.heading("Load order (initial load, parents first)");
        Table order = Table.of("#", "OBJECT", "AFTER", "TASK").alignRight(0);
        for (LoadPlan.Task task : plan.tasks()) {
            for (int i = 0; i < task.order().size(); i++) {
                String object = task.order().get(i);
                List<String> after = plan.references(Kind.PARENT).stream()
                        .filter(r -> r.object().equals(object)).map(LoadPlan.Reference::target).distinct().toList();
                order.row(i + 1, object, String.join(", ", after), task.connector() + " task " + task.task());
            }
        }
        output.table(order);
        if (plan.tasks().size() > 1) {
            output.line("  Each task loads its objects in this order; different tasks load at the same time.");
        }

        output.heading("Self-lookups");
        List<LoadPlan.Reference> self = plan.references(Kind.SELF);
        if (self.isEmpty()) {
            output.line("  none");
        }
        self.forEach(r -> output.line("  " + r + ": the records of " + r.object() + " load in one snapshot, so a"
                + " record may arrive before the " + r.target() + " it refers to; the column holds the Id either"
                + " way, and the referenced row arrives in the same snapshot."));

        output.heading("Cycles");
        if (plan.cycles().isEmpty()) {
            output.line("  none");
        }
        for (List<String> cycle : plan.cycles()) {
            List<LoadPlan.Reference> ignored = plan.references(Kind.CYCLE).stream()
                    .filter(r -> cycle.contains(r.object())).toList();
            output.line("  " + String.join(" ↔ ", cycle) + ": " + (ignored.isEmpty()
                    ? "its objects are read by different tasks, so nothing orders them."
                    : "broken at the object listed first in the mapping file (reorder the mappings to choose"
                            + " another); while loading, "
                            + ignored.stream().map(LoadPlan.Reference::toString).reduce((a, b) -> a + ", " + b)
                                    .orElseThrow()
                            + (ignored.size() == 1 ? " refers" : " refer") + " to records loaded later. Postgres "
                            + "tables have no foreign keys, so nothing fails; the rows meet once both are loaded."));
        }

        List<LoadPlan.Reference> unordered = plan.references(Kind.UNORDERED);
        if (!unordered.isEmpty()) {
            output.heading("Not ordered (objects of different tasks)");
            unordered.forEach(r -> output.line("  " + r + ": both load at the same time, so a " + r.object()
                    + " row may arrive before its " + r.target() + "; with --tasks 1 every object is in one task"));
        }

        output.heading("References to objects that are not mapped");
        List<LoadPlan.Reference> unmapped = plan.references(Kind.UNMAPPED);
        if (unmapped.isEmpty()) {
            output.line("  none");
        } else {
            Table table = Table.of("OBJECT", "FIELD", "REFERS TO");
            unmapped.forEach(r -> table.row(r.object(), r.field(), r.target()));
            output.table(table);
            output.line("  These columns hold Ids of records that are not synced to Postgres; map "
                    + String.join(", ", unmapped.stream().map(LoadPlan.Reference::target).distinct().toList())
                    + " to have them.");
        }
    }

    private static Tone tone(Kind kind) {
        return switch (kind) {
            case PARENT -> Tone.PLAIN;
            case SELF, UNMAPPED -> Tone.DIM;
            case CYCLE, UNORDERED -> Tone.WARN;
        };
    }

    private JsonNode json(LoadPlan plan, List<Mapping> mappings) {
        ObjectNode root = Output.object();
        root.put("mapping", mapping.toString());
        root.put("tasks", tasks);
        ArrayNode objects = root.putArray("objects");
        ConnectorConfigs.objects(mappings).forEach(objects::add);
        ArrayNode references = root.putArray("references");
        plan.references().forEach(r -> references.addObject().put("object", r.object()).put("field", r.field())
                .put("target", r.target()).put("kind", r.kind().value()));
        ArrayNode cycles = root.putArray("cycles");
        plan.cycles().forEach(c -> {
            ArrayNode cycle = cycles.addArray();
            c.forEach(cycle::add);
        });
        ArrayNode order = root.putArray("loadOrder");
        plan.tasks().forEach(t -> {
            ObjectNode task = order.addObject().put("connector", t.connector()).put("task", t.task());
            ArrayNode list = task.putArray("objects");
            t.order().forEach(list::add);
        });
        return root;
    }
}
