package dev.lockstep.cli.commands;

import dev.lockstep.cli.Lockstep;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.output.Output;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading the mapping file a command is given, and reporting what is wrong with it, the same way in every command. */
final class MappingInput {

    private MappingInput() {
    }

    /**
     * Reads and checks a mapping file.
     *
     * @throws MappingException listing every problem, each naming the file, the mapping and the key
     * @throws CommandFailure when the file cannot be read at all
     */
    static MappingFiles.Parsed read(Path file) throws MappingException {
        if (!Files.exists(file)) {
            throw new CommandFailure("No mapping file " + file + "; give the path of a mapping file (a Heroku "
                    + "Connect export works as it is: heroku connect:export)");
        }
        try {
            return MappingFiles.read(file);
        } catch (NoSuchFileException e) {
            throw new CommandFailure("No mapping file " + file, e);
        } catch (IOException e) {
            throw new CommandFailure("Cannot read the mapping file " + file + ": " + e, e);
        }
    }

    /** Prints every problem on standard error and returns the exit code of an invalid mapping. */
    static int invalid(Output output, MappingException e, String outcome) {
        e.problems().forEach(output::error);
        output.error(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems") + "; " + outcome);
        return Lockstep.EXIT_FAILURE;
    }
}
