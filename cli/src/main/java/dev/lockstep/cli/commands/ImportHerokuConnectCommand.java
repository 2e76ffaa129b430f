package dev.lockstep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.mapping.HerokuConnectImport;
import dev.lockstep.cli.mapping.HerokuConnectImport.Cdc;
import dev.lockstep.cli.mapping.HerokuConnectImport.CdcCheck;
import dev.lockstep.cli.mapping.HerokuConnectImport.Group;
import dev.lockstep.cli.mapping.HerokuConnectImport.Item;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.output.Output;
import dev.lockstep.cli.output.Style.Tone;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.streaming.ChangeEventChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lockstep import-heroku-connect}: checks a Heroku Connect export and reports what maps directly, what needs
 * attention and what Lockstep does differently ({@link HerokuConnectImport}); with {@code --salesforce} also checks
 * fields, types and Change Data Capture against the org; with {@code --out} writes the mapping file to deploy.
 */
@Command(name = "import-heroku-connect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check a Heroku Connect export (heroku connect:export) and report what maps directly, what "
                + "needs attention and what Lockstep does differently; optionally write the mapping file Lockstep "
                + "will use.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:everything maps directly", "4:something needs attention (the report lists it)",
            "1:the export is invalid, or Salesforce did not answer", "2:bad usage"})
public final class ImportHerokuConnectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The Heroku Connect export (JSON).")
    Path export;

    @Mixin
    SalesforceOptions salesforce;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the mapping file Lockstep will use: the export's mappings in the same format, "
                    + "Lockstep's keys only where they differ from their defaults (objects without Change Data "
                    + "Capture set to poll).")
    Path out;

    @Option(names = "--json", description = "Print the report as JSON on standard output, for scripts.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Output output = Output.of(spec);
        MappingFiles.Parsed parsed;
        HerokuConnectImport.Result result;
        try {
            parsed = MappingInput.read(export);
            result = salesforce.given() ? checkWithOrg(parsed, output) : HerokuConnectImport.check(parsed);
        } catch (MappingException e) {
            return MappingInput.invalid(output, e, "the export cannot be used as it is");
        }
        if (out != null) {
            MappingFiles.write(result.file(), out);
        }
        int exit = result.needsAttention() ? Lockstep.EXIT_ATTENTION : Lockstep.EXIT_OK;
        if (json) {
            output.json(json(result, exit));
        } else {
            print(output, result, exit);
        }
        return exit;
    }

    private HerokuConnectImport.Result checkWithOrg(MappingFiles.Parsed parsed, Output output)
            throws MappingException {
        try (SalesforceClient client = salesforce.client()) {
            Map<String, JsonNode> describes = salesforce.describes(client, parsed.file(), export.toString(), output);
            List<MappingCheck.Resolved> resolved = MappingCheck.resolveAll(parsed.file(), describes::get,
                    export.toString());
            return HerokuConnectImport.check(parsed, resolved, object -> {
                output.progress("checking Change Data Capture of " + object);
                return changeEvents(client, object);
            });
        }
    }

    /** Whether the object's change event channel exists, asked of the Pub/Sub API (GetTopic). */
    static CdcCheck changeEvents(SalesforceClient client, String object) {
        String channel = ChangeEventChannel.of(object);
        try {
            client.pubsub().getTopic(channel);
            return new CdcCheck(Cdc.ENABLED, channel);
        } catch (SalesforceException e) {
            if (e.httpStatus() == 404) {
                return new CdcCheck(Cdc.NOT_ENABLED, channel);
            }
            return new CdcCheck(Cdc.UNKNOWN, "the Pub/Sub API answered: " + e.getMessage());
        } catch (RuntimeException e) {
            return new CdcCheck(Cdc.UNKNOWN, "the Pub/Sub API was not reached: " + e.getMessage());
        }
    }

    private void print(Output output, HerokuConnectImport.Result result, int exit) {
        output.line(Tone.STRONG, "Heroku Connect export " + export + ": " + result.file().mappings().size()
                + " mapping(s)");
        if (!result.checkedAgainstOrg()) {
            output.line(Tone.DIM, "Fields, types and Change Data Capture were not checked against Salesforce; give "
                    + "--salesforce FILE to check them.");
        }
        section(output, "Maps directly: the tables, columns, types and indexes Heroku Connect makes",
                result.items(Group.DIRECT), "✓", Tone.GOOD);
        section(output, "Needs attention", result.items(Group.ATTENTION), "!", Tone.WARN);
        section(output, "What Lockstep does differently", result.items(Group.DIFFERENT), "•", Tone.PLAIN);
        output.line("");
        if (out != null) {
            output.line("Wrote the mapping file Lockstep will use to " + out + ".");
        }
        int attention = result.items(Group.ATTENTION).size();
        output.line(Tone.STRONG, attention == 0 ? "Everything maps directly (exit " + exit + ")."
                : attention + " item(s) need attention (exit " + exit + ").");
    }

    private static void section(Output output, String title, List<Item> items, String mark, Tone tone) {
        output.heading(title + " (" + items.size() + ")");
        if (items.isEmpty()) {
            output.line("  none");
        }
        items.forEach(item -> output.line("  " + output.style().apply(tone, mark) + " " + item));
    }

    private JsonNode json(HerokuConnectImport.Result result, int exit) {
        ObjectNode root = Output.object();
        root.put("export", export.toString());
        root.put("mappings", result.file().mappings().size());
        root.put("checkedAgainstSalesforce", result.checkedAgainstOrg());
        items(root.putArray("direct"), result.items(Group.DIRECT));
        items(root.putArray("attention"), result.items(Group.ATTENTION));
        items(root.putArray("differences"), result.items(Group.DIFFERENT));
        root.put("written", out == null ? null : out.toString());
        root.put("exitCode", exit);
        return root;
    }

    private static void items(ArrayNode array, List<Item> items) {
        items.forEach(i -> array.addObject().put("mapping", i.mapping()).put("key", i.key()).put("text", i.text()));
    }
}
