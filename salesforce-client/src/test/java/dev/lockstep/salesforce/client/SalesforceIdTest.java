package dev.lockstep.salesforce.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SalesforceIdTest {

    // Pairs published in Salesforce's own documentation and knowledge articles.
    @Test
    void fifteenCharacterIdGainsTheDocumentedSuffix() {
        assertThat(SalesforceId.parse("001D000000IRFma").toString()).isEqualTo("001D000000IRFmaIAH");
        assertThat(SalesforceId.parse("0015000000Gv7qJ").toString()).isEqualTo("0015000000Gv7qJAAR");
    }

    @Test
    void eighteenCharacterIdIsAcceptedInAnyCaseOfItsSuffix() {
        assertThat(SalesforceId.parse("001D000000IRFmaiah").toString()).isEqualTo("001D000000IRFmaIAH");
    }

    @Test
    void allLowerCaseIdHasSuffixAAA() {
        assertThat(SalesforceId.parse("003000000000abc").toString()).isEqualTo("003000000000abcAAA");
    }

    @Test
    void allUpperCaseChunksSetEveryBit() {
        assertThat(SalesforceId.checksum("ABCDEFGHIJKLMNO")).isEqualTo("555");
    }

    @Test
    void fifteenAndEighteenFormsOfOneRecordAreEqual() {
        assertThat(SalesforceId.parse("001D000000IRFma")).isEqualTo(SalesforceId.parse("001D000000IRFmaIAH"));
        assertThat(SalesforceId.parse("001D000000IRFma").hashCode())
                .isEqualTo(SalesforceId.parse("001D000000IRFmaIAH").hashCode());
    }

    @Test
    void idsThatDifferOnlyInCaseAreDifferentRecords() {
        assertThat(SalesforceId.parse("001D000000IRFma")).isNotEqualTo(SalesforceId.parse("001D000000IRFMA"));
    }

    @Test
    void exposesKeyPrefixAndFifteenCharacterForm() {
        SalesforceId id = SalesforceId.parse("001D000000IRFmaIAH");
        assertThat(id.keyPrefix()).isEqualTo("001");
        assertThat(id.toFifteen()).isEqualTo("001D000000IRFma");
    }

    @Test
    void wrongChecksumIsRejectedWithTheExpectedOne() {
        assertThatThrownBy(() -> SalesforceId.parse("001D000000IRFmaAAA"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("001D000000IRFmaAAA")
                .hasMessageContaining("expected 'IAH'");
    }

    @Test
    void wrongLengthAndCharactersAreRejected() {
        assertThatThrownBy(() -> SalesforceId.parse("001")).hasMessageContaining("expected 15 or 18");
        assertThatThrownBy(() -> SalesforceId.parse("001D000000IRF-a")).hasMessageContaining("position 13");
        assertThat(SalesforceId.isValid("' OR Id != '")).isFalse();
        assertThat(SalesforceId.isValid(null)).isFalse();
        assertThat(SalesforceId.isValid("001D000000IRFma")).isTrue();
    }
}
