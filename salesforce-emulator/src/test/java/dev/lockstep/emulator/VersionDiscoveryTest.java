package dev.lockstep.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionDiscoveryTest {

    private static Emulator server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = Emulator.start(EmulatorConfig.defaults());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/services/data", "/services/data/", "//services/data"})
    void versionsAreListedOldestFirstWithLabelsAndUrls(String path) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        JsonNode versions = JSON.readTree(response.body());
        assertThat(versions).hasSize(15);
        assertThat(versions.get(0).get("version").asText()).isEqualTo("50.0");
        assertThat(versions.get(0).get("label").asText()).isEqualTo("Winter '21");
        assertThat(versions.get(0).get("url").asText()).isEqualTo("/services/data/v50.0");
        assertThat(versions.get(11).get("label").asText()).isEqualTo("Summer '24");
        assertThat(versions.get(14).get("version").asText()).isEqualTo("64.0");
        assertThat(versions.get(14).get("label").asText()).isEqualTo("Summer '25");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/services/data/v50.0", "/services/data/v64.0/", "//services/data/v61.0"})
    void everyServedVersionListsItsResourcesToAnAuthenticatedClient(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .header("Authorization", "Bearer " + server.accessToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        String version = path.replaceAll(".*v(\\d+\\.0).*", "$1");
        assertThat(JSON.readTree(response.body()).get("sobjects").asText())
                .isEqualTo("/services/data/v" + version + "/sobjects");
        assertThat(response.headers().firstValue("Sforce-Limit-Info")).hasValueSatisfying(
                v -> assertThat(v).matches("api-usage=\\d+/1000000"));
    }

    @Test
    void versionResourcesGiveTheSessionUsersIdentityUrl() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUri()
                + "/services/data/v61.0")).header("Authorization", "Bearer " + server.accessToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("identity").asText()).isEqualTo(server.baseUri() + "/id/"
                + server.org().orgId() + "/" + server.adminUserId());
    }

    @Test
    void versionResourcesNeedASession() throws Exception {
        HttpResponse<String> response = get("/services/data/v61.0");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/services/data/v49.0", "/services/data/v65.0", "/services/data/60.0", "/nothing"})
    void unknownPathsGetSalesforceErrorBody(String path) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = JSON.readTree(response.body()).get(0);
        assertThat(error.get("errorCode").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("fields").isArray()).isTrue();
    }

    @Test
    void writesToVersionDiscoveryAreRejected() throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.baseUri() + "/services/data"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(response.body()).get(0).get("errorCode").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(JSON.readTree(response.body()).get(0).get("message").asText()).contains("Allowed are GET");
    }
}
