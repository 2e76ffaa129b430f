package dev.lockstep.cli.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {

    private static final Path REFERENCE = Paths.get(System.getProperty("lockstep.docs.dir"), "configuration.md");

    @Test
    void docsConfigurationMdMatchesTheConfigDefs() throws Exception {
        String generated = ConfigReference.markdown();
        if (Boolean.getBoolean("lockstep.docs.update")) {
            Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
        }

        assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
                .as("docs/configuration.md is out of date; regenerate it with " + ConfigReference.REGENERATE)
                .isEqualTo(generated);
    }

    @Test
    void everyKeyOfEveryPluginIsDocumented() {
        String generated = ConfigReference.markdown();

        for (ConfigReference.Plugin plugin : ConfigReference.plugins()) {
            assertThat(generated).contains(plugin.type().getName());
            plugin.config().configKeys().values().forEach(key -> {
                assertThat(generated).contains("`" + key.name + "`");
                assertThat(key.documentation).as("doc of " + key.name).isNotBlank();
            });
        }
    }
}
