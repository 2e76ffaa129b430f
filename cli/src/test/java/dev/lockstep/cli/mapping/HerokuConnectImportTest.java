package dev.lockstep.cli.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.mapping.HerokuConnectImport.Cdc;
import dev.lockstep.cli.mapping.HerokuConnectImport.CdcCheck;
import dev.lockstep.cli.mapping.HerokuConnectImport.Group;
import dev.lockstep.cli.mapping.HerokuConnectImport.Item;
import dev.lockstep.cli.mapping.HerokuConnectImport.Result;
import dev.lockstep.cli.testing.EmulatedOrg;
import dev.lockstep.cli.testing.TestFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HerokuConnectImportTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg();

    private static final Function<String, CdcCheck> ALL_ENABLED = object -> new CdcCheck(Cdc.ENABLED, "");

    private static MappingFiles.Parsed parse(String mappings) throws MappingException {
        return MappingFiles.parse("{\"version\": 1, \"mappings\": [" + mappings + "]}", "hc.json");
    }

    private static Result withOrg(MappingFiles.Parsed parsed, Function<String, CdcCheck> cdc)
            throws MappingException {
        Map<String, JsonNode> describes = new LinkedHashMap<>();
        parsed.file().mappings().forEach(m -> describes.put(m.objectName(), ORG.describe(m.objectName())));
        return HerokuConnectImport.check(parsed, MappingCheck.resolveAll(parsed.file(), describes::get, "hc.json"),
                cdc);
    }

    private static List<String> attention(Result result) {
        return result.items(Group.ATTENTION).stream().map(Item::toString).toList();
    }

    @Test
    void aReadOnlyExportWithDefaultsMapsDirectly() throws Exception {
        Result result = HerokuConnectImport.check(parse("""
                {"object_name": "Account", "config": {"access": "read_only", "sf_notify_enabled": false,
                 "sf_polling_seconds": 600, "fields": {"Id": {}, "Name": {}},
                 "indexes": {"Id": {"unique": true}}}}"""));

        assertThat(result.needsAttention()).isFalse();
        assertThat(result.items(Group.DIRECT)).extracting(Item::toString).containsExactly("mappings[0] (Account): "
                + "Account → salesforce.account, read_only, 4 fields, 1 index");
        assertThat(result.items(Group.DIFFERENT)).extracting(Item::text).anyMatch(t -> t.startsWith(
                "Account: Heroku Connect polled it")).anyMatch(t -> t.startsWith("No trigger log"));
        assertThat(result.checkedAgainstOrg()).isFalse();
    }

    @Test
    void theRealisticExportNeedsAttentionForWritesPollingAndAcceleratedPolling() throws Exception {
        Result result = HerokuConnectImport.check(MappingFiles.read(TestFiles.herokuConnectExport()));

        assertThat(result.needsAttention()).isTrue();
        assertThat(attention(result)).anyMatch(a -> a.startsWith("mappings[0] (Account): config.access: read_write,"
                + " but this release of Lockstep does not write to Salesforce yet"))
                .anyMatch(a -> a.startsWith("mappings[0] (Account): config.sf_notify_enabled: true"))
                .anyMatch(a -> a.startsWith("mappings[2] (Opportunity): config.sf_polling_seconds: 1800 s is not"
                        + " used"))
                .noneMatch(a -> a.contains("config.upsert_field"));
        assertThat(result.items(Group.DIRECT)).hasSize(4);
        assertThat(result.items(Group.DIFFERENT)).extracting(Item::text)
                .anyMatch(t -> t.startsWith("sf_max_daily_api_calls is kept"))
                .anyMatch(t -> t.startsWith("The connection block"));
    }

    @Test
    void aReadWriteMappingWithoutUpsertFieldWarnsOfDuplicates() throws Exception {
        Result result = HerokuConnectImport.check(parse("""
                {"object_name": "Contact", "config": {"access": "read_write", "fields": {"LastName": {}}}}"""));
        assertThat(attention(result)).anyMatch(a -> a.startsWith("mappings[0] (Contact): config.upsert_field: "
                + "missing: without an External ID") && a.contains("duplicate-row"));
    }

    @Test
    void unknownKeysAreIgnoredAndNeedAttention() throws Exception {
        Result result = HerokuConnectImport.check(parse("""
                {"object_name": "Account", "config": {"access": "read_only", "fields": {"Name": {}},
                 "sf_frobnicate": 1}}"""));
        assertThat(attention(result)).containsExactly("mappings[0] (Account): config.sf_frobnicate is not a known "
                + "key; ignored");
    }

    @Test
    void anObjectWithoutChangeDataCaptureIsPolledInTheWrittenMapping() throws Exception {
        MappingFiles.Parsed parsed = parse("""
                {"object_name": "Account", "config": {"access": "read_only", "sf_polling_seconds": 300,
                 "fields": {"Name": {}}}},
                {"object_name": "Contact", "config": {"access": "read_only", "fields": {"LastName": {}}}}""");
        Result result = withOrg(parsed, object -> object.equals("Account")
                ? new CdcCheck(Cdc.NOT_ENABLED, "/data/AccountChangeEvent") : new CdcCheck(Cdc.ENABLED, ""));

        assertThat(attention(result)).containsExactly("mappings[0] (Account): config.sync_mode: Change Data Capture "
                + "is not enabled for Account (no /data/AccountChangeEvent channel): select it in Setup > "
                + "Integrations > Change Data Capture to stream it in real time; until then the mapping Lockstep uses "
                + "polls it (\"sync_mode\": \"poll\", every 300 s, by SystemModstamp as Heroku Connect did)");
        assertThat(result.file().mappings().get(0).syncMode()).isEqualTo(Mapping.SyncMode.POLL);
        assertThat(result.file().mappings().get(1).syncMode()).isEqualTo(Mapping.SyncMode.STREAM);
        assertThat(MappingFiles.write(result.file())).contains("\"sync_mode\": \"poll\"");
        assertThat(result.checkedAgainstOrg()).isTrue();
    }

    @Test
    void aFailedChangeDataCaptureCheckNeedsAttentionButChangesNothing() throws Exception {
        Result result = withOrg(parse("""
                {"object_name": "Account", "config": {"access": "read_only", "fields": {"Name": {}}}}"""),
                object -> new CdcCheck(Cdc.UNKNOWN, "the Pub/Sub API was not reached"));
        assertThat(attention(result)).singleElement().asString().contains("could not check whether Change Data "
                + "Capture is enabled for Account (the Pub/Sub API was not reached)");
        assertThat(result.file().mappings().get(0).syncMode()).isEqualTo(Mapping.SyncMode.STREAM);
    }

    @Test
    void blobAndFormulaFieldsNeedAttentionWithTheOrg() throws Exception {
        Result result = withOrg(parse("""
                {"object_name": "Sync_Sample__c", "config": {"access": "read_only",
                 "fields": {"Name": {}, "Attachment__c": {}, "Total__c": {}}}}"""), ALL_ENABLED);

        assertThat(attention(result)).anyMatch(a -> a.startsWith("mappings[0] (Sync_Sample__c): config.fields: "
                + "Attachment__c (base64, a file body): each record's blob costs one API call"))
                .anyMatch(a -> a.startsWith("mappings[0] (Sync_Sample__c): config.update_mode: Total__c is a formula "
                        + "field: change events carry no formula values"));
    }

    @Test
    void formulaFieldsNeedNoAttentionInFullUpdateMode() throws Exception {
        Result result = withOrg(parse("""
                {"object_name": "Sync_Sample__c", "config": {"access": "read_only", "update_mode": "full",
                 "fields": {"Name": {}, "Total__c": {}}}}"""), ALL_ENABLED);
        assertThat(result.needsAttention()).as(attention(result).toString()).isFalse();
    }

    @Test
    void compoundFieldsNeedAttentionAsTheirComponentsAreMapped() throws Exception {
        Result result = withOrg(parse("""
                {"object_name": "Account", "config": {"access": "read_only", "fields": {"BillingAddress": {}}}}"""),
                ALL_ENABLED);
        assertThat(attention(result)).singleElement().asString().contains("BillingAddress is a compound field");
    }
}
