package dev.lockstep.salesforce.client.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The bitmap decoding of reference §5.4. */
class BitmapFieldsTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"E","fields":[
              {"name":"ChangeEventHeader","type":"string"},
              {"name":"A","type":["null","string"]},
              {"name":"Addr","type":["null",{"type":"record","name":"Address","fields":[
                {"name":"Street","type":["null","string"]},{"name":"City","type":["null","string"]}]}]},
              {"name":"B","type":["null","long"]}]}""");

    @Test
    void topLevelBitsNameSchemaFieldsAndExtraBitsAreIgnored() {
        assertThat(BitmapFields.decode(SCHEMA, List.of("0xFA"))).containsExactly("A", "B");
        assertThat(BitmapFields.decode(SCHEMA, List.of())).isEmpty();
    }

    @Test
    void compoundIndexIsAcceptedInEitherPlaceWithoutDuplicates() {
        assertThat(BitmapFields.decode(SCHEMA, List.of("0x00", "2-0x02"))).containsExactly("Addr.City");
        assertThat(BitmapFields.decode(SCHEMA, List.of("0x06", "2-0x02"))).containsExactly("A", "Addr.City");
        assertThat(BitmapFields.decode(SCHEMA, List.of("0x04"))).containsExactly("Addr");
    }
}
