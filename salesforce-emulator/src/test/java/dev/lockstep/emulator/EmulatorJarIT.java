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
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.pubsub.proto.PubSubGrpc;
import dev.lockstep.emulator.pubsub.proto.TopicInfo;
import dev.lockstep.emulator.pubsub.proto.TopicRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The standalone jar, started as a user starts it: {@code java -jar ...-standalone.jar --port 0 ...}. */
class EmulatorJarIT {

    private static final String PREFIX = "Salesforce emulator listening on ";

    @Test
    void standaloneJarServesRestPubSubAndCometdWritesItsKeysAndStopsOnSigterm() throws Exception {
        Path jar = Paths.get(System.getProperty("lockstep.emulator.jar"));
        assertThat(jar).exists();
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Path key = Files.createTempFile("emulator-jwt", ".pem");
        Path certificate = Files.createTempFile("emulator-pubsub", ".pem");
        Process process = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--port", "0",
                "--pubsub-port", "0", "--pubsub-tls-port", "0", "--pubsub-cert-out", certificate.toString(),
                "--demo-records", "5", "--jwt-key-out", key.toString()).redirectErrorStream(true).start();
        try {
            Map<String, String> banner = banner(process);
            String base = banner.get("listening on");
            HttpClient http = HttpClient.newHttpClient();

            HttpResponse<String> versions = http.send(HttpRequest.newBuilder(URI.create(base + "/services/data/"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(versions.statusCode()).isEqualTo(200);
            assertThat(versions.body()).contains("\"version\":\"64.0\"");
            assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(Files.readString(certificate)).startsWith("-----BEGIN CERTIFICATE-----");

            String token = banner.get("access token");
            String orgId = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(
                    URI.create(base + "/__emulator/status")).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .body()).get("orgId").asText();
            Metadata auth = new Metadata();
            auth.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), token);
            auth.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), base);
            auth.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), orgId);
            String target = banner.get("Pub/Sub API (gRPC, plaintext)");
            ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
            try {
                TopicInfo topic = PubSubGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
                        .withDeadlineAfter(30, TimeUnit.SECONDS)
                        .getTopic(TopicRequest.newBuilder().setTopicName("/data/AccountChangeEvent").build());
                assertThat(topic.getTenantGuid()).isEqualTo(orgId);
                assertThat(topic.getSchemaId()).hasSize(22);
            } finally {
                channel.shutdownNow();
            }

            String cometd = banner.get("Streaming API (CometD)");
            HttpResponse<String> handshake = http.send(HttpRequest.newBuilder(URI.create(cometd))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
                            + "\"supportedConnectionTypes\":[\"long-polling\"],\"id\":\"1\"}]")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(handshake.body()).contains("\"successful\":true").contains("\"clientId\"");
        } finally {
            process.destroy();
        }
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("emulator stops on SIGTERM").isTrue();
    }

    /** The banner's lines as {@code name: value} (the first is {@code listening on}), up to the admin API line. */
    private static Map<String, String> banner(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Map<String, String> lines = new LinkedHashMap<>();
        CompletableFuture.runAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(PREFIX)) {
                        lines.put("listening on", line.substring(PREFIX.length()));
                    } else if (line.startsWith("  ") && line.contains(": ")) {
                        int colon = line.indexOf(": ");
                        lines.put(line.substring(2, colon), line.substring(colon + 2).replaceAll(",.*", ""));
                    }
                    if (lines.containsKey("listening on") && lines.containsKey("Streaming API (CometD)")) {
                        return;
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(lines).containsKeys("listening on", "access token", "Pub/Sub API (gRPC, plaintext)",
                "Pub/Sub API (gRPC, TLS)", "Streaming API (CometD)");
        return lines;
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
