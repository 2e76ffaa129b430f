package dev.lockstep.cli.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void namesChosenInMappingFilesArePlainLowerCaseUnreservedAndShort() {
        assertThat(Identifiers.problem("account_name")).isNull();
        assertThat(Identifiers.problem("_private")).isNull();
        assertThat(Identifiers.problem("Account")).contains("not a plain lower-case Postgres identifier");
        assertThat(Identifiers.problem("1st")).contains("not a plain lower-case Postgres identifier");
        assertThat(Identifiers.problem("user")).isEqualTo("'user' is a reserved word in Postgres");
        assertThat(Identifiers.problem("")).isEqualTo("is empty");
        assertThat(Identifiers.problem("a".repeat(63))).isNull();
        assertThat(Identifiers.problem("a".repeat(64))).contains("is 64 bytes long");
    }

    @Test
    void onlyNamesPostgresWouldReadDifferentlyAreQuoted() {
        assertThat(Identifiers.quote("account")).isEqualTo("account");
        assertThat(Identifiers.quote("user")).isEqualTo("\"user\"");
        assertThat(Identifiers.quote("Mixed\"Case")).isEqualTo("\"Mixed\"\"Case\"");
        assertThat(Identifiers.qualified("salesforce", "order")).isEqualTo("salesforce.\"order\"");
    }

    @Test
    void longGeneratedNamesAreShortenedDeterministicallyAndStayDistinct() {
        String prefix = "hcu_idx_" + "x".repeat(50) + "_";
        String first = Identifiers.shorten(prefix + "external_id__c");
        String second = Identifiers.shorten(prefix + "external_key__c");

        assertThat(Identifiers.shorten("hc_idx_account_name")).isEqualTo("hc_idx_account_name");
        assertThat(first.getBytes(StandardCharsets.UTF_8)).hasSize(63);
        assertThat(first).isEqualTo(Identifiers.shorten(prefix + "external_id__c")).isNotEqualTo(second)
                .startsWith(prefix.substring(0, 50)).matches(".*_[0-9a-f]{8}");
        assertThat(Identifiers.shorten("é".repeat(40)).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(63);
    }

    @Test
    void serialSequenceNamesFollowPostgres() {
        assertThat(Identifiers.postgresName("account", "id", "seq")).isEqualTo("account_id_seq");
        assertThat(Identifiers.postgresName("t".repeat(60), "id", "seq")).isEqualTo("t".repeat(56) + "_id_seq");
    }

    @Test
    void salesforceApiNamesAreLettersDigitsAndUnderscores() {
        assertThat(Identifiers.isApiName("Invoice__c")).isTrue();
        assertThat(Identifiers.isApiName("ns__Thing__c")).isTrue();
        assertThat(Identifiers.isApiName("First Name")).isFalse();
        assertThat(Identifiers.isApiName("_x")).isFalse();
    }
}
