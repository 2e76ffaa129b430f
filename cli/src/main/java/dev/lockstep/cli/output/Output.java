package dev.lockstep.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.output.Style.Tone;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where a command writes: results on standard output (text for people, or JSON for scripts), progress and errors on
 * standard error, so {@code lockstep plan --json | jq} and {@code 2>/dev/null} both work. Colour follows
 * {@link Style#detect}. Every write is flushed, so progress shows while long work runs.
 */
public final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;

    public Output(PrintWriter out, PrintWriter err, Style style) {
        this.out = out;
        this.err = err;
        this.style = style;
    }

    /** The output of a picocli command: its writers, coloured when picocli's ANSI detection finds a terminal. */
    public static Output of(CommandSpec spec) {
        return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(),
                Style.detect(spec.commandLine().getColorScheme().ansi().enabled()));
    }

    public Style style() {
        return style;
    }

    /** A new JSON object, for {@link #json}. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A line of results. */
    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A line of results in a tone. */
    public void line(Tone tone, String text) {
        line(style.apply(tone, text));
    }

    /** An empty line, then a heading. */
    public void heading(String text) {
        out.println();
        line(Tone.STRONG, text);
    }

    /** A table of results, indented under the heading before it. */
    public void table(Table table) {
        out.print(table.indent("  ").render(style));
        out.flush();
    }

    /** Text as it is (several lines, e.g. SQL), each line indented by {@code indent}. */
    public void block(String text, String indent) {
        text.lines().forEach(l -> out.println(l.isEmpty() ? "" : indent + l));
        out.flush();
    }

    /** A JSON document on standard output, pretty-printed. */
    public void json(JsonNode document) {
        try {
            out.println(JSON.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serialises", e);
        }
        out.flush();
    }

    /** A step of long work, on standard error: {@code … reading the describe of Account (2/4)}. */
    public void progress(String text) {
        err.println(style.apply(Tone.DIM, "… " + text));
        err.flush();
    }

    /** A warning on standard error. */
    public void warn(String text) {
        err.println(style.apply(Tone.WARN, "warning: ") + text);
        err.flush();
    }

    /** An error on standard error (the command then exits non-zero). */
    public void error(String text) {
        err.println(style.apply(Tone.BAD, "error: ") + text);
        err.flush();
    }
}
