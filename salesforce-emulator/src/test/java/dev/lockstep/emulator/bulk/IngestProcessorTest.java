package dev.lockstep.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.org.RecordError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code sf__Error} text of failed records. */
class IngestProcessorTest {

    @Test
    void errorsAreFormattedAsStatusCodeMessageAndFieldsEachFollowedByASpaceThenTwoDashes() {
        assertThat(IngestProcessor.format(List.of(RecordError.of("REQUIRED_FIELD_MISSING",
                "Required fields are missing: [Name]", "Name"))))
                .isEqualTo("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --");
        assertThat(IngestProcessor.format(List.of(RecordError.of("MISSING_ARGUMENT",
                "Id not specified in an update call"))))
                .isEqualTo("MISSING_ARGUMENT:Id not specified in an update call:--");
        assertThat(IngestProcessor.format(List.of(RecordError.of("A", "one", "F1", "F2"), RecordError.of("B", "two"))))
                .isEqualTo("A:one:F1 F2 -- B:two:--");
    }
}
