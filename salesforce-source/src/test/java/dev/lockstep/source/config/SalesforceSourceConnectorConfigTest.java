package dev.lockstep.source.config;

import static dev.lockstep.source.config.ConfigFixtures.minimal;
import static dev.lockstep.source.config.ConfigFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The source's own keys: defaults, validators, typed getters, cross-field checks and the field filter. */
class SalesforceSourceConnectorConfigTest {

    @Test
    void onlyTheRequiredKeysGiveTheDocumentedDefaults() {
        SalesforceSourceConnectorConfig config = new SalesforceSourceConnectorConfig(minimal());

        assertThat(config.topicPrefix()).isEqualTo("lockstep");
        assertThat(config.objects()).containsExactly("Account", "Contact", "Invoice__c");
        assertThat(config.pollObjects()).isEmpty();
        assertThat(config.isPolled("Account")).isFalse();
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.fieldFilter("Account").includesAll()).isTrue();
        assertThat(config.transport()).isEqualTo(StreamingTransport.PUBSUB);
        assertThat(config.updateMode()).isEqualTo(UpdateMode.PARTIAL);
        assertThat(config.deleteHandling()).isEqualTo(DeleteHandling.TOMBSTONE);
        assertThat(config.replayExpiredPolicy()).isEqualTo(ReplayExpiredPolicy.RESNAPSHOT);
        assertThat(config.decimalHandling()).isEqualTo(DecimalHandling.PRECISE);
        assertThat(config.multipicklistHandling()).isEqualTo(MultipicklistHandling.STRING);
        assertThat(config.snapshotMode()).isEqualTo(SnapshotMode.INITIAL);
        assertThat(config.snapshotBulkThreshold()).isEqualTo(10_000L);
        assertThat(config.snapshotProgressInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.resyncMargin()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.maxBatchSize()).isEqualTo(2048);
        assertThat(config.maxQueueSize()).isEqualTo(8192);
        assertThat(config.pollTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.rereadBatchSize()).isEqualTo(200);
        assertThat(config.connection().loginUrl().toString()).isEqualTo(ConfigFixtures.MY_DOMAIN);
    }

    @Test
    void everySettingIsReadIntoItsTypedGetter() {
        Map<String, String> props = minimal();
        props.put("topic.prefix", "sf");
        props.put("object.poll.list", "invoice__c");
        props.put("poll.interval.ms", "5000");
        props.put("streaming.transport", "cometd");
        props.put("update.mode", "FULL");
        props.put("delete.handling.mode", "delete");
        props.put("replay.expired.policy", "fail");
        props.put("decimal.handling.mode", "double");
        props.put("multipicklist.handling.mode", "array");
        props.put("snapshot.mode", "when_needed");
        props.put("snapshot.bulk.threshold", "0");
        props.put("snapshot.progress.interval.ms", "2000");
        props.put("resync.margin.ms", "0");
        props.put("max.batch.size", "10");
        props.put("max.queue.size", "11");
        props.put("poll.timeout.ms", "250");
        props.put("reread.batch.size", "1");

        SalesforceSourceConnectorConfig config = new SalesforceSourceConnectorConfig(props);

        assertThat(config.topicPrefix()).isEqualTo("sf");
        assertThat(config.pollObjects()).containsExactly("invoice__c");
        assertThat(config.isPolled("Invoice__c")).isTrue();
        assertThat(config.isPolled("Account")).isFalse();
        assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.transport()).isEqualTo(StreamingTransport.COMETD);
        assertThat(config.updateMode()).isEqualTo(UpdateMode.FULL);
        assertThat(config.deleteHandling()).isEqualTo(DeleteHandling.DELETE);
        assertThat(config.replayExpiredPolicy()).isEqualTo(ReplayExpiredPolicy.FAIL);
        assertThat(config.decimalHandling()).isEqualTo(DecimalHandling.DOUBLE);
        assertThat(config.multipicklistHandling()).isEqualTo(MultipicklistHandling.ARRAY);
        assertThat(config.snapshotMode()).isEqualTo(SnapshotMode.WHEN_NEEDED);
        assertThat(config.snapshotBulkThreshold()).isZero();
        assertThat(config.snapshotProgressInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.resyncMargin()).isEqualTo(Duration.ZERO);
        assertThat(config.maxBatchSize()).isEqualTo(10);
        assertThat(config.maxQueueSize()).isEqualTo(11);
        assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.rereadBatchSize()).isEqualTo(1);
    }

    @Test
    void objectsKeepTheirOrderAndSpelling() {
        SalesforceSourceConnectorConfig config = new SalesforceSourceConnectorConfig(
                with("object.include.list", " Invoice__c , account,Contact"));

        assertThat(config.objects()).containsExactly("Invoice__c", "account", "Contact");
        assertThat(config.fieldFilter("ACCOUNT").includesAll()).isTrue();
        assertThatThrownBy(() -> config.fieldFilter("Lead")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Lead").hasMessageContaining("object.include.list");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("object.include.list", "", "must name at least one Salesforce object"),
                Arguments.of("object.include.list", "Account,2Bad", "'2Bad' is not a Salesforce object API name"),
                Arguments.of("object.include.list", "Account,Contact__", "'Contact__' is not"),
                Arguments.of("object.include.list", "Account,Invoice c", "'Invoice c' is not"),
                Arguments.of("object.include.list", "Account,ACCOUNT", "names ACCOUNT twice"),
                Arguments.of("field.include.list", "Account", "'Account' is not Object.Field"),
                Arguments.of("field.include.list", "Account.*", "'Account.*' is not Object.Field with"),
                Arguments.of("field.exclude.list", "Account.Bad-Field", "is not Object.Field or Object.*"),
                Arguments.of("object.poll.list", "Account,Bad Object", "'Bad Object' is not"),
                Arguments.of("poll.interval.ms", "999", "Value must be at least 1000"),
                Arguments.of("topic.prefix", "", "String may not be empty"),
                Arguments.of("streaming.transport", "grpc", "must be one of pubsub, cometd"),
                Arguments.of("update.mode", "some", "must be one of partial, full"),
                Arguments.of("delete.handling.mode", "none", "must be one of tombstone, delete"),
                Arguments.of("replay.expired.policy", "earliest", "must be one of resnapshot, latest, fail"),
                Arguments.of("decimal.handling.mode", "string", "must be one of precise, double"),
                Arguments.of("multipicklist.handling.mode", "list", "must be one of string, array"),
                Arguments.of("snapshot.mode", "always", "must be one of initial, never, when_needed"),
                Arguments.of("snapshot.bulk.threshold", "-1", "Value must be at least 0"),
                Arguments.of("snapshot.progress.interval.ms", "10", "Value must be at least 1000"),
                Arguments.of("resync.margin.ms", "-5", "Value must be at least 0"),
                Arguments.of("max.batch.size", "0", "Value must be at least 1"),
                Arguments.of("max.queue.size", "1", "Value must be at least 2"),
                Arguments.of("poll.timeout.ms", "0", "Value must be at least 1"),
                Arguments.of("reread.batch.size", "201", "Value must be no more than 200"),
                Arguments.of("reread.batch.size", "0", "Value must be at least 1"),
                Arguments.of("max.batch.size", "many", "Not a number of type INT"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void eachValidatorRejectsABadValueNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> new SalesforceSourceConnectorConfig(with(key, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(key).hasMessageContaining(message);
    }

    @Test
    void objectIncludeListIsRequired() {
        assertThatThrownBy(() -> new SalesforceSourceConnectorConfig(with("object.include.list", null)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("object.include.list");
    }

    @Test
    void fieldListsMayNameOnlySyncedObjects() {
        Map<String, String> props = with("field.include.list", "Account.Name,Lead.Company,Case.Subject");
        props.put("field.exclude.list", "Opportunity.*");

        assertThat(SalesforceSourceConnectorConfig.sourceProblems(props)).containsExactly(
                new ConfigProblem("field.include.list", "field.include.list names fields of Lead, Case, not in "
                        + "object.include.list: add the objects there or remove the entries"),
                new ConfigProblem("field.exclude.list", "field.exclude.list names fields of Opportunity, not in "
                        + "object.include.list: add the object there or remove the entries"));
        assertThatThrownBy(() -> new SalesforceSourceConnectorConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("field.include.list names fields of Lead, Case")
                .hasMessageContaining("field.exclude.list names fields of Opportunity");
    }

    @Test
    void idCannotBeExcludedAndAFieldCannotBeBothIncludedAndExcluded() {
        Map<String, String> props = with("field.include.list", "Account.Name,Contact.Email");
        props.put("field.exclude.list", "account.ID,ACCOUNT.name,Contact.*");

        List<ConfigProblem> problems = SalesforceSourceConnectorConfig.sourceProblems(props);

        assertThat(problems).extracting(ConfigProblem::key).containsOnly("field.exclude.list");
        assertThat(problems).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("account.ID").contains("Id is the record key and always mapped"));
        assertThat(problems).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("excludes ACCOUNT.name, Contact.*, which field.include.list includes"));
    }

    @Test
    void polledObjectsMustBeSynced() {
        assertThat(SalesforceSourceConnectorConfig.sourceProblems(with("object.poll.list", "account,Lead")))
                .containsExactly(new ConfigProblem("object.poll.list", "object.poll.list names Lead, not in "
                        + "object.include.list: every polled object must also be listed there"));
    }

    @Test
    void theQueueMustHoldMoreThanOneBatch() {
        Map<String, String> props = with("max.batch.size", "100");
        props.put("max.queue.size", "100");

        assertThat(SalesforceSourceConnectorConfig.sourceProblems(props)).containsExactly(new ConfigProblem(
                "max.queue.size", "max.queue.size (100) must be larger than max.batch.size (100): raise it, e.g. "
                        + "to 400, or lower max.batch.size"));
        assertThatThrownBy(() -> new SalesforceSourceConnectorConfig(props))
                .hasMessageContaining("max.queue.size (100) must be larger than max.batch.size (100)");
    }

    @Test
    void fieldFiltersFollowTheIncludeAndExcludeLists() {
        Map<String, String> props = with("field.include.list", "Account.Name, account.industry");
        props.put("field.exclude.list", "Contact.Birthdate,Invoice__c.*");

        SalesforceSourceConnectorConfig config = new SalesforceSourceConnectorConfig(props);

        FieldFilter account = config.fieldFilter("Account");
        assertThat(account.includes("Name")).isTrue();
        assertThat(account.includes("INDUSTRY")).isTrue();
        assertThat(account.includes("Id")).isTrue();
        assertThat(account.includes("Phone")).isFalse();
        assertThat(account.includesAll()).isFalse();
        FieldFilter contact = config.fieldFilter("contact");
        assertThat(contact.includes("birthdate")).isFalse();
        assertThat(contact.includes("Email")).isTrue();
        assertThat(contact.includes("ID")).isTrue();
        FieldFilter invoice = config.fieldFilter("Invoice__c");
        assertThat(invoice.includes("Amount__c")).isFalse();
        assertThat(invoice.includes("Id")).isTrue();
    }

    @Test
    void fieldFilterAloneKeepsIdAndComparesCaseInsensitively() {
        assertThat(FieldFilter.all().includes("Anything")).isTrue();
        assertThat(FieldFilter.of(List.of(), List.of())).isSameAs(FieldFilter.all());
        FieldFilter onlyName = FieldFilter.of(List.of("Name"), List.of());
        assertThat(onlyName.includes("NAME")).isTrue();
        assertThat(onlyName.includes("id")).isTrue();
        assertThat(onlyName.includes("Phone")).isFalse();
        assertThat(onlyName.includes(null)).isFalse();
        FieldFilter nothing = FieldFilter.of(List.of(), List.of("*"));
        assertThat(nothing.includes("Name")).isFalse();
        assertThat(nothing.includes("Id")).isTrue();
        assertThat(FieldFilter.of(List.of("name"), List.of())).isEqualTo(onlyName)
                .hasSameHashCodeAs(onlyName);
        assertThat(onlyName.toString()).contains("name");
    }

    @Test
    void onlyFieldsTheIncludeListNamesAreIncludedByName() {
        FieldFilter named = FieldFilter.of(List.of("Name", "Attachment__c"), List.of());
        assertThat(named.includesByName("ATTACHMENT__C")).isTrue();
        assertThat(named.includesByName("Name")).isTrue();
        assertThat(named.includesByName("Body")).isFalse();
        assertThat(named.includesByName(null)).isFalse();
        assertThat(FieldFilter.all().includesByName("Attachment__c")).as("every field, none by name").isFalse();
        assertThat(FieldFilter.of(List.of("Attachment__c"), List.of("Attachment__c")).includesByName(
                "Attachment__c")).as("excluded after all").isFalse();
    }

    @Test
    void enumsParseTheirLowerCaseValuesAndNameTheValidOnes() {
        assertThat(AuthFlow.parse("client_credentials")).isEqualTo(AuthFlow.CLIENT_CREDENTIALS);
        assertThat(AuthFlow.parse(" JWT ")).isEqualTo(AuthFlow.JWT);
        assertThat(SnapshotMode.WHEN_NEEDED.value()).isEqualTo("when_needed");
        assertThat(ReplayExpiredPolicy.parse("latest")).isEqualTo(ReplayExpiredPolicy.LATEST);
        assertThatThrownBy(() -> UpdateMode.parse("half")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'half' is not one of partial, full");
        assertThatThrownBy(() -> DeleteHandling.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validatorsDescribeWhatTheyAccept() {
        Map<String, ConfigDef.ConfigKey> keys = SalesforceSourceConnectorConfig.CONFIG_DEF.configKeys();

        assertThat(keys.get("salesforce.auth.flow").validator)
                .hasToString("one of jwt, client_credentials, refresh_token, password");
        assertThat(keys.get("snapshot.mode").validator).hasToString("one of initial, never, when_needed");
        assertThat(keys.get("object.include.list").validator)
                .hasToString("non-empty list of Salesforce object API names, e.g. Account,Contact,Invoice__c");
        assertThat(keys.get("salesforce.api.version").validator).hasToString("a Salesforce API version NN.0, "
                + "e.g. 61.0");
        assertThat(keys.get("salesforce.pubsub.endpoint").validator).hasToString("host:port, e.g. "
                + "api.pubsub.salesforce.com:7443");
        assertThat(keys.get("api.budget.reserve").validator).hasToString("0 <= x < 1");
    }

    @Test
    void everyKeyHasAGroupOrderDisplayNameAndDoc() {
        Set<String> groups = Set.of("Salesforce connection", "Objects", "Change events", "Snapshot", "Performance");

        assertThat(SalesforceSourceConnectorConfig.CONFIG_DEF.configKeys().values()).allSatisfy(key -> {
            assertThat(key.group).as(key.name).isIn(groups);
            assertThat(key.orderInGroup).as(key.name).isPositive();
            assertThat(key.displayName).as(key.name).isNotBlank().isNotEqualTo(key.name);
            assertThat(key.documentation).as(key.name).isNotBlank();
        });
        assertThat(SalesforceSourceConnectorConfig.CONFIG_DEF.groups()).containsExactly("Salesforce connection",
                "Objects", "Change events", "Snapshot", "Performance");
        assertThat(SalesforceSourceConnectorConfig.sourceKeys()).contains("object.include.list", "topic.prefix")
                .doesNotContainAnyElementsOf(SalesforceConnectionConfig.keys());
        assertThat(SalesforceSourceConnectorConfig.CONFIG_DEF.names()).hasSize(
                SalesforceSourceConnectorConfig.sourceKeys().size() + SalesforceConnectionConfig.keys().size());
    }

    @Test
    void toStringShowsTheChoicesButNoSecret() {
        Map<String, String> props = with("field.include.list", "Account.Name");

        String text = new SalesforceSourceConnectorConfig(props).toString();

        assertThat(text).contains("objects=[Account, Contact, Invoice__c]").contains("updateMode=partial")
                .contains("account=FieldFilter[include=[name]").contains("clientSecret=(hidden)")
                .doesNotContain("consumer-secret-1");
    }
}
