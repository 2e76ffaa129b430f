package dev.lockstep.emulator.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The bitmap encoding of reference §5.4, checked against its examples and its decoding algorithm. */
class FieldBitmapsTest {

    /** Header at 0, fields f1..f40, and an address compound at 41. */
    private static final Schema SCHEMA = schema();

    private static Schema schema() {
        StringBuilder json = new StringBuilder("{\"type\":\"record\",\"name\":\"TestChangeEvent\",\"fields\":["
                + "{\"name\":\"ChangeEventHeader\",\"type\":\"string\"}");
        for (int i = 1; i <= 40; i++) {
            json.append(",{\"name\":\"f").append(i).append("\",\"type\":[\"null\",\"string\"]}");
        }
        json.append(",{\"name\":\"BillingAddress\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Address\","
                + "\"fields\":[{\"name\":\"Street\",\"type\":[\"null\",\"string\"]},{\"name\":\"City\","
                + "\"type\":[\"null\",\"string\"]},{\"name\":\"State\",\"type\":[\"null\",\"string\"]}]}]}]}");
        return new Schema.Parser().parse(json.toString());
    }

    private static List<String> names(int... indexes) {
        List<String> out = new ArrayList<>();
        for (int i : indexes) {
            out.add(SCHEMA.getFields().get(i).name());
        }
        return out;
    }

    @Test
    void documentedExamples() {
        assertThat(FieldBitmaps.encode(SCHEMA, names(1, 3, 5), false)).containsExactly("0x2A");
        assertThat(FieldBitmaps.encode(SCHEMA, names(8), false)).containsExactly("0x0100");
        assertThat(FieldBitmaps.encode(SCHEMA, names(5, 6, 7, 10, 24, 26, 29, 30), false))
                .containsExactly("0x650004E0");
        assertThat(FieldBitmaps.encode(SCHEMA, List.of(), false)).isEmpty();
    }

    @Test
    void compoundsGetTheirOwnElementAndNoTopLevelBit() {
        List<String> encoded = FieldBitmaps.encode(SCHEMA, List.of("f1", "BillingAddress.City",
                "BillingAddress.State"), false);

        assertThat(encoded).containsExactly("0x02", "41-0x06");
        assertThat(PubSubTestClient.expand(SCHEMA, encoded)).containsExactly("f1", "BillingAddress.City",
                "BillingAddress.State");
        assertThat(FieldBitmaps.encode(SCHEMA, List.of("BillingAddress.Street"), false))
                .containsExactly("0x00", "41-0x01");
        assertThat(FieldBitmaps.encode(SCHEMA, List.of("BillingAddress.Street"), true))
                .containsExactly("0x020000000000", "41-0x01");
    }

    @Test
    void unknownNamesAreLeftOut() {
        assertThat(FieldBitmaps.encode(SCHEMA, List.of("Nope", "BillingAddress.Nope", "f2.City"), false)).isEmpty();
    }

    @Test
    void everyIndexRoundTripsThroughTheReferenceDecoder() {
        for (int i = 1; i <= 41; i++) {
            List<String> encoded = FieldBitmaps.encode(SCHEMA, names(i), false);
            assertThat(encoded.get(0)).matches("0x([0-9A-F]{2})+");
            assertThat(PubSubTestClient.expand(SCHEMA, encoded)).containsExactly(SCHEMA.getFields().get(i).name());
        }
        BitSet all = new BitSet();
        all.set(1, 41);
        assertThat(FieldBitmaps.hex(all)).isEqualTo("0x01FFFFFFFFFE");
    }
}
