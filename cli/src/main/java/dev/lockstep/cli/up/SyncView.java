package dev.lockstep.cli.up;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.connect.ConnectRest;
import dev.lockstep.cli.schema.TableDefinition;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What the terminal shows of the sync: first the snapshot's progress (per table, rows in Postgres against records in
 * Salesforce), then a live view (rows and last change per table, connectors that are not running). On a terminal
 * the lines are redrawn in place; otherwise (a pipe, a file, a test) a line is printed when something changes.
 */
final class SyncView {

    /** The offsets phase in which an object's snapshot is still being read. */
    private static final String SNAPSHOT = "snapshot";
    private static final int BAR = 30;
    private static final long SNAPSHOT_TICK_MS = 250;
    private static final long LIVE_TICK_MS = 1000;

    private final List<TableDefinition> tables;
    private final Database database;
    private final ConnectRest connect;
    private final List<String> sources;
    private final List<String> connectors;
    private final PrintWriter out;
    private final boolean terminal;
    private final BooleanSupplier stopping;
    private int drawnLines;
    private final Map<String, String> printed = new HashMap<>();

    /**
     * @param sources the Salesforce source connectors (their offsets tell when a snapshot is over)
     * @param connectors every connector of the deployment
     * @param terminal whether {@code out} is a terminal that understands cursor movement
     * @param stopping true once the stack is stopping: the view then returns and draws nothing more. Whoever stops
     *     sets it while holding {@code out}'s monitor, which the view holds while drawing, so that no redraw moves
     *     the cursor over the stop messages
     */
    SyncView(List<TableDefinition> tables, Database database, ConnectRest connect, List<String> sources,
            List<String> connectors, PrintWriter out, boolean terminal, BooleanSupplier stopping) {
        this.tables = List.copyOf(tables);
        this.database = database;
        this.connect = connect;
        this.sources = List.copyOf(sources);
        this.connectors = List.copyOf(connectors);
        this.out = out;
        this.terminal = terminal;
        this.stopping = stopping;
    }

    /**
     * Shows each table filling up, and returns once every table holds as many rows as its object had records and
     * the source has read every object's snapshot.
     *
     * @param totals records per object in Salesforce when the snapshot started
     * @throws UpException when a connector fails meanwhile
     */
    void awaitSnapshot(Map<String, Long> totals) throws SQLException, InterruptedException {
        while (!stopping.getAsBoolean()) {
            Map<String, String> failures = failures();
            if (!failures.isEmpty()) {
                throw new UpException("A connector failed during the snapshot:\n" + String.join("\n",
                        failures.values()));
            }
            Map<String, Long> rows = rowCounts();
            Set<String> read = snapshotRead();
            List<String> lines = new ArrayList<>();
            boolean done = true;
            for (TableDefinition table : tables) {
                String object = table.mapping().objectName();
                long total = totals.getOrDefault(object, 0L);
                long count = Math.min(rows.get(table.qualifiedName()), total);
                boolean finished = count >= total && read.contains(object);
                done &= finished;
                lines.add(progressLine(object, count, total, finished));
            }
            if (terminal) {
                redraw(lines);
            } else {
                // A line per tenth of the way, so that a log shows progress without a line per tick.
                for (int i = 0; i < tables.size(); i++) {
                    String object = tables.get(i).mapping().objectName();
                    long total = totals.getOrDefault(object, 0L);
                    long tenth = total == 0 ? 10 : 10 * Math.min(rows.get(tables.get(i).qualifiedName()), total) / total;
                    String line = lines.get(i);
                    if (!Objects.equals(printed.put("snapshot " + i, tenth + " " + line.endsWith("done")),
                            tenth + " " + line.endsWith("done"))) {
                        print(line + "\n");
                    }
                }
            }
            if (done) {
                drawnLines = 0;
                return;
            }
            Thread.sleep(SNAPSHOT_TICK_MS);
        }
    }

    /** One table's snapshot progress: {@code Account  [#####-----]  512 / 1000}. */
    static String progressLine(String object, long count, long total, boolean finished) {
        int filled = total == 0 ? BAR : (int) (BAR * count / total);
        return String.format(Locale.ROOT, "  %-20s [%s%s] %,9d / %,d%s", object, "#".repeat(filled),
                "-".repeat(BAR - filled), count, total, finished ? "  done" : "");
    }

    /** Shows rows and the last change of each table until the stack stops. */
    void live() throws InterruptedException {
        while (!stopping.getAsBoolean()) {
            List<String> lines = new ArrayList<>();
            try (Connection c = database.connect(); Statement s = c.createStatement()) {
                for (TableDefinition table : tables) {
                    lines.add(tableLine(table, s));
                }
            } catch (SQLException e) {
                lines.add("  ! Postgres: " + e.getMessage());
            }
            Map<String, String> failures;
            try {
                failures = failures();
            } catch (RuntimeException e) {
                failures = Map.of("connect", "  ! Kafka Connect: " + e.getMessage());
            }
            if (terminal) {
                List<String> block = new ArrayList<>(lines);
                block.add(failures.isEmpty() ? "  connectors: " + connectors.size() + " running"
                        : String.join("\n", failures.values()));
                redraw(block);
            } else {
                for (int i = 0; i < tables.size() && i < lines.size(); i++) {
                    printOnce("live " + i, lines.get(i));
                }
                for (String name : connectors) {
                    printOnce("connector " + name, failures.getOrDefault(name, "  connector " + name + " running"));
                }
            }
            Thread.sleep(LIVE_TICK_MS);
        }
    }

    private String tableLine(TableDefinition table, Statement s) throws SQLException {
        long rows;
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.qualifiedName())) {
            rs.next();
            rows = rs.getLong(1);
        }
        String last = "no rows yet";
        try (ResultSet rs = s.executeQuery("SELECT sfid, systemmodstamp::text, _hc_lastop FROM "
                + table.qualifiedName() + " ORDER BY systemmodstamp DESC NULLS LAST, id DESC LIMIT 1")) {
            if (rs.next()) {
                last = "last change " + rs.getString(2) + "  " + rs.getString(1) + " " + rs.getString(3);
            }
        }
        return String.format(Locale.ROOT, "  %-32s %,9d rows   %s", table.qualifiedName(), rows, last);
    }

    private Map<String, Long> rowCounts() throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            for (TableDefinition table : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table.qualifiedName())) {
                    rs.next();
                    rows.put(table.qualifiedName(), rs.getLong(1));
                }
            }
        }
        return rows;
    }

    /**
     * The objects whose snapshot the source connectors have read to the end, by their committed offsets: past the
     * snapshot phase, or in it with every record read. From then on a change reaches Postgres: the source's
     * re-sync after the snapshot reads what changed while it subscribes to the change stream.
     */
    private Set<String> snapshotRead() {
        Set<String> objects = new HashSet<>();
        for (String source : sources) {
            JsonNode offsets = connect.offsets(source);
            if (offsets == null) {
                continue;
            }
            for (JsonNode entry : offsets.path("offsets")) {
                JsonNode offset = entry.path("offset");
                if (!SNAPSHOT.equals(offset.path("phase").asText())
                        || offset.has("total") && offset.path("done").asLong() >= offset.path("total").asLong()) {
                    objects.add(entry.path("partition").path("object").asText());
                }
            }
        }
        return objects;
    }

    /** A line per connector or task that is FAILED, by connector name, with the first line of its trace. */
    private Map<String, String> failures() {
        Map<String, String> failures = new LinkedHashMap<>();
        for (String name : connectors) {
            JsonNode status = connect.status(name);
            if (status == null) {
                failures.put(name, "  ! connector " + name + " is missing from Kafka Connect");
                continue;
            }
            List<String> problems = new ArrayList<>();
            if ("FAILED".equals(status.path("connector").path("state").asText())) {
                problems.add("connector: " + firstLine(status.path("connector").path("trace").asText()));
            }
            for (JsonNode task : status.path("tasks")) {
                if ("FAILED".equals(task.path("state").asText())) {
                    problems.add("task " + task.path("id").asInt() + ": " + firstLine(task.path("trace").asText()));
                }
            }
            if (!problems.isEmpty()) {
                failures.put(name, "  ! " + name + " FAILED: " + String.join("; ", problems));
            }
        }
        return failures;
    }

    static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).trim();
    }

    /** Replaces the block drawn last with {@code lines} (a terminal only). */
    private void redraw(List<String> lines) {
        StringBuilder text = new StringBuilder();
        if (drawnLines > 0) {
            // Cursor up to the block's first line (VT100), then rewrite each line after clearing it.
            text.append("\u001b[").append(drawnLines).append("A\r");
        }
        int count = 0;
        for (String line : lines) {
            for (String part : line.split("\n", -1)) {
                text.append("\u001b[2K").append(part).append('\n');
                count++;
            }
        }
        // Lines left over from a longer block before are cleared.
        for (int i = count; i < drawnLines; i++) {
            text.append("\u001b[2K\n");
            count++;
        }
        if (print(text.toString())) {
            drawnLines = count;
        }
    }

    /** Prints {@code line} unless it is what was printed last under {@code key}. */
    private void printOnce(String key, String line) {
        if (!Objects.equals(printed.put(key, line), line)) {
            print(line + "\n");
        }
    }

    /** Prints {@code text} unless the stack is stopping; true when printed. */
    private boolean print(String text) {
        synchronized (out) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            out.print(text);
            out.flush();
            return true;
        }
    }
}
