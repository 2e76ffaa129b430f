package dev.lockstep.source.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceOffsetsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void partitionSerializesAlikeAfterTheRoundTripOfConnectsOffsetsApi() throws Exception {
        Map<String, Object> partition = SourceOffsets.partition("00DLk0000000001MAA", "Account");
        String written = JSON.writeValueAsString(partition);

        // Connect's JSON converter reads a schemaless object into a new HashMap, in the JSON's order.
        Map<String, Object> readBack = new HashMap<>();
        JSON.readValue(written, new TypeReference<LinkedHashMap<String, Object>>() {})
                .forEach(readBack::put);

        assertThat(JSON.writeValueAsString(readBack)).isEqualTo(written);
        assertThat(SourceOffsets.validatePartition(readBack)).isEqualTo("Account");
    }
}
