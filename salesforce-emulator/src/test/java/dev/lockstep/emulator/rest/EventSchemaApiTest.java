package dev.lockstep.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.Http;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The eventSchema REST resources: by schema id and by event name, compact (Avro) and expanded. */
class EventSchemaApiTest {

    private static final String V = "/services/data/v61.0";
    private Emulator emulator;
    private Http http;

    @BeforeEach
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults());
        http = new Http(emulator);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void theCompactSchemaByIdIsTheAvroSchemaEventsName() throws Exception {
        http.post(V + "/sobjects/Account", Http.json(Map.of("Name", "a")));
        String id = emulator.cdc().eventsOf(emulator.org().read(o -> o.records(o.schema().require("Account"),
                false).get(0).id())).get(0).event().schema().id();

        Http.Reply reply = http.get(V + "/event/eventSchema/" + id + "?payloadFormat=COMPACT");

        assertThat(reply.status()).isEqualTo(200);
        Schema schema = new Schema.Parser().parse(reply.text());
        assertThat(schema.getFullName()).isEqualTo("com.sforce.eventbus.AccountChangeEvent");
        assertThat(schema.getFields().get(0).name()).isEqualTo("ChangeEventHeader");
        assertThat(reply.text()).isEqualTo(emulator.cdc().schemaOf("Account").json());
        assertThat(emulator.counters().get("rest.eventschema")).isEqualTo(1);
    }

    @Test
    void theExpandedSchemaDescribesTheCometdMessage() throws Exception {
        Http.Reply reply = http.get(V + "/sobjects/AccountChangeEvent/eventSchema");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode root = reply.json();
        assertThat(root.get("name").asText()).isEqualTo("AccountChangeEvent");
        assertThat(root.get("namespace").asText()).isEqualTo("com.sforce.eventbus");
        assertThat(root.get("type").asText()).isEqualTo("expanded-record");
        assertThat(root.get("fields").get(0).get("name").asText()).isEqualTo("data");
        assertThat(root.get("fields").get(1).toString()).isEqualTo("{\"name\":\"channel\",\"type\":\"string\"}");
        JsonNode data = root.get("fields").get(0).get("type").get("fields");
        assertThat(data.get(0).toString()).isEqualTo("{\"name\":\"schema\",\"type\":\"string\"}");
        assertThat(data.get(2).get("type").get("fields").get(0).toString())
                .isEqualTo("{\"name\":\"replayId\",\"type\":\"long\"}");
        JsonNode payload = data.get(1).get("type");
        assertThat(payload.get("name").asText()).isEqualTo("Payload");
        JsonNode createdDate = null;
        for (JsonNode f : payload.get("fields")) {
            if (f.get("name").asText().equals("CreatedDate")) {
                createdDate = f;
            }
        }
        assertThat(createdDate).isNotNull();
        assertThat(createdDate.get("type").toString()).isEqualTo("[\"null\",\"string\"]");
        assertThat(payload.get("fields").get(0).get("name").asText()).isEqualTo("ChangeEventHeader");
    }

    @Test
    void unknownSchemasAndFormatsAreRefused() {
        assertThat(http.get(V + "/event/eventSchema/nope").status()).isEqualTo(404);
        assertThat(http.get(V + "/sobjects/NopeChangeEvent/eventSchema").status()).isEqualTo(404);
        assertThat(http.get(V + "/sobjects/Account/eventSchema").status()).isEqualTo(404);
        Http.Reply bad = http.get(V + "/sobjects/AccountChangeEvent/eventSchema?payloadFormat=XML");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(http.get(V + "/sobjects/Sync_Sample__ChangeEvent/eventSchema?payloadFormat=compact").status())
                .isEqualTo(200);
        assertThat(new Http(emulator.baseUri(), "bad").get(V + "/sobjects/AccountChangeEvent/eventSchema")
                .status()).isEqualTo(401);
    }
}
