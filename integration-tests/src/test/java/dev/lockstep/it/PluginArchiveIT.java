package dev.lockstep.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.it.harness.PluginArchive;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plugin archive's layout: Confluent's component archive, without the jars a Connect worker provides. */
class PluginArchiveIT {

    private static final String VERSION = System.getProperty("lockstep.version");
    private static final String ROOT = "lockstep-kafka-connect-salesforce-" + VERSION + "/";

    @Test
    void archiveIsNamedOwnerNameVersionWithOneTopDirectory() {
        assertThat(PluginArchive.path().getFileName().toString())
                .isEqualTo("lockstep-kafka-connect-salesforce-" + VERSION + ".zip");
        assertThat(PluginArchive.entryNames()).allSatisfy(name -> assertThat(name).startsWith(ROOT));
    }

    @Test
    void manifestDescribesTheComponent() throws Exception {
        JsonNode manifest = new ObjectMapper().readTree(PluginArchive.read(ROOT + "manifest.json"));

        assertThat(manifest.get("name").asText()).isEqualTo("kafka-connect-salesforce");
        assertThat(manifest.get("version").asText()).isEqualTo(VERSION);
        assertThat(manifest.get("owner").get("username").asText()).isEqualTo("lockstep");
        assertThat(manifest.get("component_types")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("source", "sink", "transform");
        assertThat(manifest.get("license").get(0).get("name").asText()).isEqualTo("Apache License 2.0");
        assertThat(manifest.toString()).doesNotContain("${");
    }

    @Test
    void libHoldsOurJarsAndTheirDependencies() {
        List<String> lib = jarsUnderLib();

        assertThat(lib).contains("salesforce-source-" + VERSION + ".jar", "salesforce-sink-" + VERSION + ".jar",
                "transforms-" + VERSION + ".jar", "salesforce-client-" + VERSION + ".jar",
                "connect-common-" + VERSION + ".jar");
    }

    @Test
    void jarsTheWorkerProvidesAreLeftOut() {
        assertThat(jarsUnderLib()).noneMatch(jar -> jar.startsWith("kafka-clients-") || jar.startsWith("connect-api-")
                || jar.startsWith("connect-runtime-") || jar.startsWith("connect-json-")
                || jar.startsWith("connect-transforms-") || jar.startsWith("slf4j-api-"));
    }

    @Test
    void emulatorAndTestLibrariesStayOut() {
        assertThat(jarsUnderLib()).noneMatch(jar -> jar.startsWith("salesforce-emulator-") || jar.startsWith("junit")
                || jar.startsWith("assertj"));
    }

    @Test
    void docHoldsLicenseAndReadme() {
        assertThat(PluginArchive.entryNames()).contains(ROOT + "doc/LICENSE", ROOT + "doc/README.md");
        assertThat(PluginArchive.read(ROOT + "doc/README.md")).contains(VERSION).doesNotContain("${");
    }

    private static List<String> jarsUnderLib() {
        return PluginArchive.entryNames().stream()
                .filter(name -> name.startsWith(ROOT + "lib/") && name.endsWith(".jar"))
                .map(name -> name.substring((ROOT + "lib/").length()))
                .toList();
    }
}
