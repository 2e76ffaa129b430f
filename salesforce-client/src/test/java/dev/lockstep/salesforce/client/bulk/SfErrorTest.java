package dev.lockstep.salesforce.client.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.salesforce.client.rest.RestApi.RecordError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code sf__Error} of failed ingest rows, parsed into status code, message and fields. */
class SfErrorTest {

    @Test
    void parsesCodeMessageWithColonsAndFields() {
        assertThat(BulkApi.parseErrors("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"))
                .containsExactly(new RecordError("REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]",
                        List.of("Name")));
    }

    @Test
    void parsesAnErrorWithoutFieldsAndSeveralErrors() {
        assertThat(BulkApi.parseErrors("UNABLE_TO_LOCK_ROW:unable to obtain exclusive access:-- "
                + "STRING_TOO_LONG:too long: 300:Name Text__c --")).containsExactly(
                new RecordError("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access", List.of()),
                new RecordError("STRING_TOO_LONG", "too long: 300", List.of("Name", "Text__c")));
    }

    @Test
    void keepsTextItCannotSplit() {
        assertThat(BulkApi.parseErrors("something odd")).containsExactly(new RecordError("something odd",
                "something odd", List.of()));
        assertThat(BulkApi.parseErrors("CODE:message without terminator")).containsExactly(
                new RecordError("CODE", "message without terminator", List.of()));
        assertThat(BulkApi.parseErrors("")).isEmpty();
    }
}
