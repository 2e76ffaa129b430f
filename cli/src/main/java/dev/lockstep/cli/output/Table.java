package dev.lockstep.cli.output;

import dev.lockstep.cli.output.Style.Tone;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people: a header and rows, columns aligned on their display width ({@link DisplayWidth}, so accents,
 * CJK and emoji line up), two spaces between columns, no trailing spaces, the header in bold and cells in their
 * {@link Tone} when the {@link Style} is coloured. Cells are one line: line breaks and control characters become
 * spaces. Numbers can be right-aligned per column.
 *
 * <pre>
 * Table t = Table.of("CONNECTOR", "OUTCOME").row("lockstep-salesforce", Table.cell(Tone.GOOD, "created"));
 * out.print(t.render(style));
 * </pre>
 */
public final class Table {

    /** One cell: its text and tone. */
    public record Cell(String text, Tone tone) {

        public Cell {
            text = oneLine(text == null ? "" : text);
        }
    }

    private final List<String> headers;
    private final boolean[] rightAligned;
    private final List<List<Cell>> rows = new ArrayList<>();
    private String indent = "";

    private Table(List<String> headers) {
        this.headers = List.copyOf(headers);
        this.rightAligned = new boolean[headers.size()];
    }

    /** A table with these column headings (by convention upper case: {@code OBJECT}, {@code TABLE}). */
    public static Table of(String... headers) {
        if (headers.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        return new Table(Arrays.asList(headers));
    }

    /** A cell in a tone. */
    public static Cell cell(Tone tone, Object text) {
        return new Cell(text == null ? "" : text.toString(), tone);
    }

    /** Right-aligns the given columns (0-based), e.g. counts. */
    public Table alignRight(int... columns) {
        for (int column : columns) {
            rightAligned[column] = true;
        }
        return this;
    }

    /** Starts every line with {@code indent} (e.g. two spaces under a heading). */
    public Table indent(String indent) {
        this.indent = indent;
        return this;
    }

    /**
     * Adds a row. A cell is a {@link Cell}, or anything else shown by its {@code toString()} (null as empty).
     *
     * @throws IllegalArgumentException when the row has more cells than the table has columns
     */
    public Table row(Object... cells) {
        if (cells.length > headers.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.size()
                    + " columns " + headers);
        }
        List<Cell> row = new ArrayList<>();
        for (int i = 0; i < headers.size(); i++) {
            Object cell = i < cells.length ? cells[i] : null;
            row.add(cell instanceof Cell c ? c : new Cell(cell == null ? "" : cell.toString(), Tone.PLAIN));
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public int size() {
        return rows.size();
    }

    /** The table as lines, each ending in {@code \n}. */
    public String render(Style style) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = DisplayWidth.of(headers.get(i));
            for (List<Cell> row : rows) {
                widths[i] = Math.max(widths[i], DisplayWidth.of(row.get(i).text()));
            }
        }
        StringBuilder text = new StringBuilder();
        line(text, headers.stream().map(h -> new Cell(h, Tone.STRONG)).toList(), widths, style);
        rows.forEach(row -> line(text, row, widths, style));
        return text.toString();
    }

    /** The table without colour. */
    @Override
    public String toString() {
        return render(Style.plain());
    }

    private void line(StringBuilder text, List<Cell> cells, int[] widths, Style style) {
        StringBuilder line = new StringBuilder(indent);
        int last = cells.size() - 1;
        while (last > 0 && cells.get(last).text().isEmpty()) {
            last--;
        }
        for (int i = 0; i <= last; i++) {
            Cell cell = cells.get(i);
            String padding = " ".repeat(widths[i] - DisplayWidth.of(cell.text()));
            String shown = style.apply(cell.tone(), cell.text());
            if (rightAligned[i]) {
                line.append(padding).append(shown);
            } else {
                line.append(shown);
                if (i < last) {
                    line.append(padding);
                }
            }
            if (i < last) {
                line.append("  ");
            }
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }

    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(Character.getType(cp) == Character.CONTROL ? ' ' : cp));
        return out.toString();
    }
}
