package dev.lockstep.source.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The describes of the emulator's default org, read from its fixture files on the test class path. */
final class Describes {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIRECTORY = "/dev/lockstep/emulator/default-org/";

    private Describes() {}

    static JsonNode of(String object) {
        try (InputStream in = Describes.class.getResourceAsStream(DIRECTORY + object + ".json")) {
            if (in == null) {
                throw new IllegalStateException("No emulator fixture for " + object);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The objects of the default org: the 13 standard ones and Sync_Sample__c. */
    static List<String> objects() {
        try (InputStream in = Describes.class.getResourceAsStream(DIRECTORY + "objects.txt");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.substring(0, l.length() - ".json".length())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
