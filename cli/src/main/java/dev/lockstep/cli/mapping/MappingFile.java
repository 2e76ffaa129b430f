package dev.lockstep.cli.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A mapping file: the Heroku Connect export format ({@code version}, {@code connection}, {@code mappings[]}), which
 * is Lockstep's native format, so an export from Heroku Connect works as it is.
 *
 * @param version the format version ({@code 1})
 * @param connection the {@code connection} block as written (informational; may be missing), never null
 * @param mappings the mappings, in file order
 */
public record MappingFile(int version, JsonNode connection, List<Mapping> mappings) {

    public MappingFile {
        mappings = List.copyOf(mappings);
    }
}
