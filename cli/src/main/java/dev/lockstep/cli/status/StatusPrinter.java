package dev.lockstep.cli.status;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.output.Output;
import dev.lockstep.cli.output.Style.Tone;
import dev.lockstep.cli.output.Table;
import java.time.Duration;
import java.time.Instant;

/**
 * Shows a {@link StatusReport} the way Heroku Connect's dashboard did: connectors and tasks, one line per mapping
 * (phase, counts, lag, health), then the problems and the newest errors; or the same as JSON for scripts.
 */
public final class StatusPrinter {

    private StatusPrinter() {
    }

    /** Prints the report as tables. */
    public static void print(Output out, StatusReport report) {
        Table connectors = Table.of("CONNECTOR", "TYPE", "STATE", "TASKS");
        for (StatusReport.Connector c : report.connectors()) {
            connectors.row(c.name(), c.type(), Table.cell(tone(c.state()), c.state()), tasks(c));
        }
        out.heading("Connectors");
        out.table(connectors);
        for (StatusReport.Connector c : report.connectors()) {
            if (c.trace() != null) {
                out.line(Tone.BAD, "  " + c.name() + ": " + c.trace());
            }
            c.tasks().stream().filter(t -> t.trace() != null)
                    .forEach(t -> out.line(Tone.BAD, "  " + c.name() + " task " + t.id() + ": " + t.trace()));
        }

        Table mappings = Table.of("OBJECT", "TABLE", "PHASE", "SALESFORCE", "LIVE ROWS", "DELETED", "LAG",
                "SINK QUEUE", "HEALTH").alignRight(3, 4, 5, 6, 7);
        for (StatusReport.MappingStatus m : report.mappings()) {
            StatusReport.Counts c = m.counts();
            StatusReport.Lag lag = m.lag();
            mappings.row(m.object(), m.table(), phase(m.progress()), dash(c.salesforce()), dash(c.live()),
                    dash(c.deleted()), lag == null || lag.lag() == null ? "-" : StatusRules.human(lag.lag()),
                    lag == null ? "-" : dash(lag.sinkRecordsBehind()),
                    Table.cell(tone(m.health()), m.health()));
        }
        out.heading("Mappings");
        out.table(mappings);

        if (report.mappings().stream().anyMatch(m -> !m.problems().isEmpty())) {
            out.heading("Problems");
            for (StatusReport.MappingStatus m : report.mappings()) {
                m.problems().forEach(p -> out.line(tone(m.health()), "  " + m.object() + ": " + p));
            }
        }
        if (report.mappings().stream().anyMatch(StatusPrinter::hasErrors)) {
            out.heading("Last errors");
            for (StatusReport.MappingStatus m : report.mappings()) {
                for (StatusReport.DeadLetter d : m.deadLetters()) {
                    out.line("  " + m.object() + ": dead letter " + d.at() + " from " + d.topic() + "["
                            + d.partition() + "]@" + d.offset() + ": " + oneLine(d.message()));
                }
                for (StatusReport.SourceError e : m.sourceErrors()) {
                    out.line("  " + m.object() + ": source error " + e.at() + " record " + e.id() + ": "
                            + oneLine(e.error()));
                }
                for (StatusReport.FailedRow f : m.failedRows()) {
                    out.line("  " + m.object() + ": row " + f.sfid() + " (id " + f.id() + ") _hc_lastop = FAILED: "
                            + oneLine(f.error()));
                }
            }
        }
        if (!report.notMeasured().isEmpty()) {
            out.heading("Not measured");
            report.notMeasured().forEach(n -> out.line(Tone.DIM, "  " + n));
        }
        if (!report.unreachable().isEmpty()) {
            out.heading("Could not reach");
            report.unreachable().forEach(u -> out.line(Tone.BAD, "  " + u));
        }
        out.line("");
        Health health = report.health();
        out.line(tone(health), "Health: " + health + " (exit " + health.exitCode() + ")");
    }

    /** Error text on one line of the report (the JSON keeps it as it is). */
    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static boolean hasErrors(StatusReport.MappingStatus m) {
        return !m.deadLetters().isEmpty() || !m.sourceErrors().isEmpty() || !m.failedRows().isEmpty();
    }

    private static String tasks(StatusReport.Connector c) {
        if (c.state().equals(StatusReport.Connector.MISSING)) {
            return "-";
        }
        long running = c.tasks().stream().filter(t -> t.state().equals("RUNNING")).count();
        StringBuilder text = new StringBuilder(running + " of " + c.tasks().size() + " running");
        c.tasks().stream().filter(t -> !t.state().equals("RUNNING"))
                .forEach(t -> text.append(", task ").append(t.id()).append(' ').append(t.state()));
        return text.toString();
    }

    static String phase(StatusReport.Progress p) {
        if (p == null) {
            return "-";
        }
        if (p.phase().equals("snapshot") && p.done() != null && p.total() != null) {
            if (p.done() >= p.total()) {
                return "snapshot read (" + p.done() + ")";
            }
            return "snapshot " + p.done() * 100 / p.total() + "% (" + p.done() + "/" + p.total() + ")";
        }
        return p.phase();
    }

    private static String dash(Long n) {
        return n == null ? "-" : n.toString();
    }

    private static Tone tone(String state) {
        return switch (state) {
            case "RUNNING" -> Tone.GOOD;
            case "UNASSIGNED", "RESTARTING" -> Tone.WARN;
            default -> Tone.BAD;
        };
    }

    private static Tone tone(Health health) {
        return switch (health) {
            case OK -> Tone.GOOD;
            case BEHIND -> Tone.WARN;
            default -> Tone.BAD;
        };
    }

    /** The report as JSON. */
    public static ObjectNode json(StatusReport report) {
        ObjectNode root = Output.object();
        root.put("at", report.at().toString());
        root.put("health", report.health().toString());
        root.put("exitCode", report.health().exitCode());
        ArrayNode connectors = root.putArray("connectors");
        for (StatusReport.Connector c : report.connectors()) {
            ObjectNode o = connectors.addObject().put("name", c.name()).put("type", c.type()).put("state", c.state());
            if (c.trace() != null) {
                o.put("trace", c.trace());
            }
            ArrayNode tasks = o.putArray("tasks");
            c.tasks().forEach(t -> {
                ObjectNode task = tasks.addObject().put("id", t.id()).put("state", t.state());
                if (t.trace() != null) {
                    task.put("trace", t.trace());
                }
            });
        }
        ArrayNode mappings = root.putArray("mappings");
        for (StatusReport.MappingStatus m : report.mappings()) {
            ObjectNode o = mappings.addObject();
            o.put("object", m.object()).put("table", m.table()).put("sourceConnector", m.source())
                    .put("sinkConnector", m.sink()).put("health", m.health().toString());
            if (m.progress() != null) {
                ObjectNode p = o.putObject("progress").put("phase", m.progress().phase());
                putIfSet(p, "snapshotDone", m.progress().done());
                putIfSet(p, "snapshotTotal", m.progress().total());
                putIfSet(p, "lastChange", m.progress().lastChange());
            }
            ObjectNode counts = o.putObject("counts");
            putIfSet(counts, "salesforce", m.counts().salesforce());
            putIfSet(counts, "liveRows", m.counts().live());
            putIfSet(counts, "deletedRows", m.counts().deleted());
            putIfSet(counts, "rowsWithoutSfid", m.counts().withoutSfid());
            putIfSet(counts, "failedRows", m.failedRowCount());
            if (m.lag() != null) {
                ObjectNode lag = o.putObject("lag");
                putIfSet(lag, "lagSeconds", m.lag().lag() == null ? null : m.lag().lag().toMillis() / 1000.0);
                putIfSet(lag, "salesforceNewest", m.lag().salesforceNewest());
                putIfSet(lag, "postgresNewest", m.lag().postgresNewest());
                putIfSet(lag, "sinkRecordsBehind", m.lag().sinkRecordsBehind());
            }
            ArrayNode letters = o.putArray("deadLetters");
            m.deadLetters().forEach(d -> {
                ObjectNode l = letters.addObject().put("at", d.at().toString()).put("connector", d.connector())
                        .put("topic", d.topic()).put("message", d.message());
                putIfSet(l, "partition", d.partition() == null ? null : d.partition().longValue());
                putIfSet(l, "offset", d.offset());
            });
            o.put("deadLettersInWindow", m.deadLetterCount());
            ArrayNode errors = o.putArray("sourceErrors");
            m.sourceErrors().forEach(e -> errors.addObject().put("at", e.at().toString()).put("id", e.id())
                    .put("error", e.error()));
            ArrayNode failed = o.putArray("failedRows");
            m.failedRows().forEach(f -> failed.addObject().put("sfid", f.sfid()).put("id", f.id())
                    .put("error", f.error()));
            m.problems().forEach(o.putArray("problems")::add);
        }
        report.notMeasured().forEach(root.putArray("notMeasured")::add);
        report.unreachable().forEach(root.putArray("unreachable")::add);
        return root;
    }

    private static void putIfSet(ObjectNode node, String key, Object value) {
        if (value instanceof Long n) {
            node.put(key, n);
        } else if (value instanceof Double d) {
            node.put(key, d);
        } else if (value instanceof Instant t) {
            node.put(key, t.toString());
        } else if (value instanceof Duration d) {
            node.put(key, d.toString());
        }
    }
}
