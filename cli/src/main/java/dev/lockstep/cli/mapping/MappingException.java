package dev.lockstep.cli.mapping;

import java.util.List;

/**
 * Everything wrong with a mapping file, collected rather than stopping at the first problem. Each problem names
 * where it is and what to do: {@code <file>: mappings[1] (Contact): config.upsert_field: <problem>; <fix>}. The
 * message lists them one a line.
 */
public final class MappingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public MappingException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a MappingException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** The problems, each a complete sentence with its location and fix, in file order. */
    public List<String> problems() {
        return problems;
    }

    /** The same problems, each prefixed with {@code <source>: } (the file they were found in). */
    public MappingException in(String source) {
        return new MappingException(problems.stream().map(problem -> source + ": " + problem).toList());
    }
}
