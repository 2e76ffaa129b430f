package dev.lockstep.cli.output;

/**
 * Whether output is coloured, and how each {@link Tone} looks. Colour only on a terminal: piped or redirected
 * output, {@code NO_COLOR} (https://no-color.org) and {@code TERM=dumb} give plain text, so scripts and logs never
 * see escape codes.
 */
public final class Style {

    /** What a piece of text says, independent of how it is shown. */
    public enum Tone {
        PLAIN(null),
        /** Headings and names that matter. */
        STRONG("1"),
        /** Done as wished: created, unchanged, maps directly. */
        GOOD("32"),
        /** Worth a look: updated, warnings, needs attention. */
        WARN("33"),
        /** Failed or blocking: errors. */
        BAD("31"),
        /** Secondary detail. */
        DIM("2");

        private final String sgr;

        Tone(String sgr) {
            this.sgr = sgr;
        }
    }

    private static final Style PLAIN = new Style(false);
    private static final Style COLOUR = new Style(true);

    private final boolean colour;

    private Style(boolean colour) {
        this.colour = colour;
    }

    /** No escape codes. */
    public static Style plain() {
        return PLAIN;
    }

    /** ANSI colours. */
    public static Style colour() {
        return COLOUR;
    }

    /**
     * Colour when the output is a terminal ({@code terminal}, as picocli's {@code Ansi.AUTO} finds it) and neither
     * {@code NO_COLOR} nor {@code TERM=dumb} asks for none.
     */
    public static Style detect(boolean terminal) {
        String noColour = System.getenv("NO_COLOR");
        boolean wanted = terminal && (noColour == null || noColour.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
        return wanted ? COLOUR : PLAIN;
    }

    public boolean coloured() {
        return colour;
    }

    /** {@code text} in a tone (unchanged without colour). */
    public String apply(Tone tone, String text) {
        if (!colour || tone.sgr == null || text.isEmpty()) {
            return text;
        }
        return "\u001b[" + tone.sgr + "m" + text + "\u001b[0m";
    }
}
