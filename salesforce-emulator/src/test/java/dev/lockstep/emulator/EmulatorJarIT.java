package dev.lockstep.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The standalone jar, started as a user starts it: {@code java -jar ...-standalone.jar --port 0}. */
class EmulatorJarIT {

    private static final String PREFIX = "Salesforce emulator listening on ";

    @Test
    void standaloneJarServesTheOrgWritesTheJwtKeyAndStopsOnSigterm() throws Exception {
        Path jar = Paths.get(System.getProperty("lockstep.emulator.jar"));
        assertThat(jar).exists();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Path key = Files.createTempFile("emulator-jwt", ".pem");
        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--port", "0",
                "--demo-records", "5", "--jwt-key-out", key.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String banner = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith(PREFIX)) {
                            return line;
                        }
                    }
                    return "process ended without a banner";
                } catch (Exception e) {
                    return e.toString();
                }
            }).get(30, TimeUnit.SECONDS);
            assertThat(banner).startsWith(PREFIX);

            URI versions = URI.create(banner.substring(PREFIX.length()) + "/services/data/");
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(versions).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"version\":\"64.0\"");
            assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("emulator stops on SIGTERM").isTrue();
    }

    @Test
    void unknownArgumentIsAUsageErrorWithExitCodeTwo() throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-jar", System.getProperty("lockstep.emulator.jar"),
                "--bogus").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).contains("usage").contains("--bogus");
    }
}
