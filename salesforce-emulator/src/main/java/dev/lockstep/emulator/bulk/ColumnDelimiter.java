package dev.lockstep.emulator.bulk;

/** The six column delimiters a Bulk API 2.0 job's CSV may use ({@code columnDelimiter}); COMMA by default. */
enum ColumnDelimiter {
    BACKQUOTE('`'),
    CARET('^'),
    COMMA(','),
    PIPE('|'),
    SEMICOLON(';'),
    TAB('\t');

    private final char character;

    ColumnDelimiter(char character) {
        this.character = character;
    }

    char character() {
        return character;
    }
}
