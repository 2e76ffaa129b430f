package dev.lockstep.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Http;
import dev.lockstep.emulator.Http.Reply;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.emulator.org.Ids;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** sObject REST resources over real sockets: describe, CRUD, validation errors, External IDs, blobs, replication. */
class SObjectRestTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension();

    private static final String V = "/services/data/v61.0";
    private Http http;

    @BeforeEach
    void session() {
        http = new Http(SALESFORCE.emulator());
    }

    private String create(String object, Map<String, Object> fields) {
        Reply reply = http.post(V + "/sobjects/" + object, Http.json(fields));
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    @Test
    void describeGlobalListsEveryObjectOfTheDefaultOrg() {
        Reply reply = http.get(V + "/sobjects/");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("maxBatchSize").asInt()).isEqualTo(200);
        List<String> names = StreamSupport.stream(reply.json().get("sobjects").spliterator(), false)
                .map(o -> o.get("name").asText()).toList();
        assertThat(names).contains("Account", "Contact", "User", "Campaign", "Product2", "Pricebook2",
                "PricebookEntry", "Lead", "Opportunity", "OpportunityLineItem", "Case", "Task", "Event",
                "Sync_Sample__c");
        JsonNode account = StreamSupport.stream(reply.json().get("sobjects").spliterator(), false)
                .filter(o -> o.get("name").asText().equals("Account")).findFirst().orElseThrow();
        assertThat(account.get("keyPrefix").asText()).isEqualTo("001");
        assertThat(account.get("urls").get("describe").asText()).isEqualTo(V + "/sobjects/Account/describe");
    }

    @Test
    void describeCarriesEveryFieldKeyAndChildRelationships() {
        JsonNode describe = http.get(V + "/sobjects/Account/describe/").json();

        JsonNode name = field(describe, "Name");
        for (String key : List.of("aggregatable", "autoNumber", "byteLength", "calculated", "calculatedFormula",
                "cascadeDelete", "caseSensitive", "compoundFieldName", "controllerName", "createable", "custom",
                "defaultValue", "defaultValueFormula", "defaultedOnCreate", "dependentPicklist", "deprecatedAndHidden",
                "digits", "displayLocationInDecimal", "encrypted", "externalId", "extraTypeInfo", "filterable",
                "filteredLookupInfo", "groupable", "highScaleNumber", "htmlFormatted", "idLookup", "inlineHelpText",
                "label", "length", "mask", "maskType", "name", "nameField", "namePointing", "nillable",
                "permissionable", "picklistValues", "precision", "queryByDistance", "referenceTargetField",
                "referenceTo", "relationshipName", "relationshipOrder", "restrictedDelete", "restrictedPicklist",
                "scale", "soapType", "sortable", "type", "unique", "updateable", "writeRequiresMasterRead")) {
            assertThat(name.has(key)).as("field key " + key).isTrue();
        }
        assertThat(name.get("byteLength").asInt()).isEqualTo(3 * name.get("length").asInt());
        assertThat(field(describe, "Id").get("soapType").asText()).isEqualTo("tns:ID");
        assertThat(field(describe, "Primary_Contact__c").get("referenceTo").get(0).asText()).isEqualTo("Contact");
        assertThat(describe.get("childRelationships")).anySatisfy(c -> {
            assertThat(c.get("childSObject").asText()).isEqualTo("Contact");
            assertThat(c.get("field").asText()).isEqualTo("AccountId");
            assertThat(c.get("relationshipName").asText()).isEqualTo("Contacts");
        });
        assertThat(describe.get("childRelationships")).anySatisfy(c -> {
            assertThat(c.get("field").asText()).isEqualTo("ParentId");
            assertThat(c.get("relationshipName").asText()).isEqualTo("ChildAccounts");
        });
        assertThat(describe.get("childRelationships")).anySatisfy(c -> {
            assertThat(c.get("childSObject").asText()).isEqualTo("Opportunity");
            assertThat(c.get("relationshipName").asText()).isEqualTo("Opportunities");
        });
        JsonNode opportunity = http.get(V + "/sobjects/Opportunity/describe").json();
        assertThat(opportunity.get("labelPlural").asText()).isEqualTo("Opportunities");
        assertThat(opportunity.get("childRelationships")).anySatisfy(c -> {
            assertThat(c.get("childSObject").asText()).isEqualTo("OpportunityLineItem");
            assertThat(c.get("relationshipName").asText()).isEqualTo("OpportunityLineItems");
            assertThat(c.get("cascadeDelete").asBoolean()).isTrue();
        });
    }

    private static JsonNode field(JsonNode describe, String name) {
        return StreamSupport.stream(describe.get("fields").spliterator(), false)
                .filter(f -> f.get("name").asText().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void unknownObjectIsNotFound() {
        assertThat(http.get(V + "/sobjects/Nope__c/describe").errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void createdRecordHasAValidIdSystemFieldsAndReadsBack() {
        Reply created = http.post(V + "/sobjects/Account/", Http.json(Map.of("Name", "Zoë & Co 🚀",
                "BillingStreet", "1 Main St", "BillingCity", "Paris", "AnnualRevenue", 1234567)));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("success").asBoolean()).isTrue();
        assertThat(created.json().get("errors")).isEmpty();
        String id = created.json().get("id").asText();
        assertThat(id).hasSize(18).startsWith("001").isEqualTo(Ids.normalize(id.substring(0, 15)));

        JsonNode record = http.get(V + "/sobjects/Account/" + id).json();
        assertThat(record.get("attributes").get("type").asText()).isEqualTo("Account");
        assertThat(record.get("attributes").get("url").asText()).isEqualTo(V + "/sobjects/Account/" + id);
        assertThat(record.get("Name").asText()).isEqualTo("Zoë & Co 🚀");
        assertThat(record.get("IsDeleted").asBoolean()).isFalse();
        assertThat(record.get("OwnerId").asText()).isEqualTo(SALESFORCE.emulator().adminUserId());
        assertThat(record.get("CreatedDate").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
        assertThat(record.get("BillingAddress").get("city").asText()).isEqualTo("Paris");
        assertThat(record.get("BillingAddress").get("street").asText()).isEqualTo("1 Main St");
        assertThat(record.get("AnnualRevenue").decimalValue()).isEqualByComparingTo("1234567");

        JsonNode some = http.get(V + "/sobjects/Account/" + id.substring(0, 15) + "?fields=Id,Name").json();
        assertThat(some.properties()).extracting(Map.Entry::getKey).containsExactly("attributes", "Id", "Name");
    }

    @Test
    void personNameIsComposedFromFirstAndLastName() {
        String id = create("Contact", Map.of("FirstName", "Ada", "LastName", "Lovelace"));

        assertThat(http.get(V + "/sobjects/Contact/" + id).json().get("Name").asText()).isEqualTo("Ada Lovelace");
    }

    @Test
    void validationErrorsUseSalesforceCodes() {
        assertThat(http.post(V + "/sobjects/Account", "{\"Nope__c\":1}").errorCode()).isEqualTo("INVALID_FIELD");
        Reply missing = http.post(V + "/sobjects/Contact", "{\"FirstName\":\"x\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(missing.json().get(0).get("fields").get(0).asText()).isEqualTo("LastName");
        assertThat(http.post(V + "/sobjects/Account", Http.json(Map.of("Name", "x".repeat(256)))).errorCode())
                .isEqualTo("STRING_TOO_LONG");
        assertThat(http.post(V + "/sobjects/Sync_Sample__c", Http.json(Map.of("Name", "s", "Status__c", "Bogus")))
                .errorCode()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(http.post(V + "/sobjects/Sync_Sample__c", Http.json(Map.of("Name", "s", "Quantity__c", "abc")))
                .errorCode()).isEqualTo("JSON_PARSER_ERROR");
        assertThat(http.post(V + "/sobjects/Sync_Sample__c", Http.json(Map.of("Name", "s", "Email__c", "no-at")))
                .errorCode()).isEqualTo("INVALID_EMAIL_ADDRESS");
        assertThat(http.post(V + "/sobjects/Account", Http.json(Map.of("Name", "x", "CreatedDate",
                "2020-01-01T00:00:00Z"))).errorCode()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
        assertThat(http.post(V + "/sobjects/Sync_Sample__c", Http.json(Map.of("Name", "s", "Amount__c",
                new java.math.BigDecimal("12345678901234567.5")))).errorCode()).isEqualTo("NUMBER_OUTSIDE_VALID_RANGE");
        assertThat(http.post(V + "/sobjects/Account", "{not json").errorCode()).isEqualTo("JSON_PARSER_ERROR");
    }

    @Test
    void referencesMustPointAtLiveRecordsOfTheRightType() {
        String contact = create("Contact", Map.of("LastName", "Ref"));
        String missingAccount = Ids.make("001", 999_999);

        assertThat(http.post(V + "/sobjects/Contact", Http.json(Map.of("LastName", "x", "AccountId",
                missingAccount))).errorCode()).isEqualTo("INVALID_CROSS_REFERENCE_KEY");
        assertThat(http.post(V + "/sobjects/Contact", Http.json(Map.of("LastName", "x", "AccountId", contact)))
                .errorCode()).isEqualTo("FIELD_INTEGRITY_EXCEPTION");
        assertThat(http.post(V + "/sobjects/Contact", Http.json(Map.of("LastName", "x", "AccountId", "garbage")))
                .errorCode()).isEqualTo("MALFORMED_ID");
    }

    @Test
    void uniqueAndExternalIdValuesCannotRepeat() {
        create("Account", Map.of("Name", "A", "External_Id__c", "EXT-1"));

        Reply dup = http.post(V + "/sobjects/Account", Http.json(Map.of("Name", "B", "External_Id__c", "ext-1")));
        assertThat(dup.errorCode()).isEqualTo("DUPLICATE_VALUE");
        assertThat(dup.json().get(0).get("message").asText()).contains("External_Id__c");
    }

    @Test
    void updateChangesFieldsAndBumpsSystemModstamp() {
        String id = create("Account", Map.of("Name", "Before"));
        String modstamp = http.get(V + "/sobjects/Account/" + id).json().get("SystemModstamp").asText();
        SALESFORCE.emulator().clock().advance(Duration.ofSeconds(2));

        assertThat(http.patch(V + "/sobjects/Account/" + id, "{\"Name\":\"After\",\"Phone\":null}").status())
                .isEqualTo(204);

        JsonNode record = http.get(V + "/sobjects/Account/" + id).json();
        assertThat(record.get("Name").asText()).isEqualTo("After");
        assertThat(record.get("SystemModstamp").asText()).isGreaterThan(modstamp);
        assertThat(record.get("LastModifiedDate").asText()).isEqualTo(record.get("SystemModstamp").asText());
    }

    @Test
    void deletedRecordsAreGoneFromRestButKnownAsDeleted() {
        String id = create("Account", Map.of("Name", "Doomed"));

        assertThat(http.delete(V + "/sobjects/Account/" + id).status()).isEqualTo(204);
        Reply read = http.get(V + "/sobjects/Account/" + id);
        assertThat(read.status()).isEqualTo(404);
        assertThat(read.errorCode()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(http.patch(V + "/sobjects/Account/" + id, "{\"Name\":\"x\"}").errorCode())
                .isEqualTo("ENTITY_IS_DELETED");
        assertThat(http.get(V + "/sobjects/Account/" + Ids.make("001", 888_888)).errorCode()).isEqualTo("NOT_FOUND");
    }

    @Test
    void deletingAMasterCascadesToDetailsAndUndeleteRestoresThem() {
        String account = create("Account", Map.of("Name", "Parent"));
        String opportunity = create("Opportunity", Map.of("Name", "Deal", "StageName", "Prospecting",
                "CloseDate", "2030-01-01", "AccountId", account));
        String product = create("Product2", Map.of("Name", "Widget"));
        String line = create("OpportunityLineItem", Map.of("OpportunityId", opportunity, "Product2Id", product,
                "Quantity", 2, "TotalPrice", 20));

        http.delete(V + "/sobjects/Opportunity/" + opportunity);

        assertThat(http.get(V + "/sobjects/OpportunityLineItem/" + line).errorCode()).isEqualTo("ENTITY_IS_DELETED");
        Reply undeleted = new Http(SALESFORCE.emulator().baseUri(), null).post("/__emulator/undelete",
                Http.json(Map.of("ids", List.of(opportunity))));
        assertThat(undeleted.json().get(0).get("success").asBoolean()).isTrue();
        assertThat(http.get(V + "/sobjects/OpportunityLineItem/" + line).status()).isEqualTo(200);
    }

    @Test
    void upsertByExternalIdCreatesThenUpdates() {
        Reply first = http.patch(V + "/sobjects/Account/External_Id__c/UP-1", "{\"Name\":\"First\"}");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("created").asBoolean()).isTrue();

        Reply second = http.patch(V + "/sobjects/Account/External_Id__c/UP-1", "{\"Name\":\"Second\"}");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("created").asBoolean()).isFalse();
        assertThat(second.json().get("id").asText()).isEqualTo(first.json().get("id").asText());

        JsonNode byExternalId = http.get(V + "/sobjects/Account/External_Id__c/UP-1").json();
        assertThat(byExternalId.get("Name").asText()).isEqualTo("Second");
        assertThat(http.patch(V + "/sobjects/Account/External_Id__c/UP-2?updateOnly=true", "{\"Name\":\"x\"}")
                .status()).isEqualTo(404);
        assertThat(http.patch(V + "/sobjects/Account/NoSuchField__c/UP-1", "{\"Name\":\"x\"}").status())
                .isEqualTo(404);
    }

    @Test
    void upsertMatchingSeveralRecordsAnswers300WithTheirUrls() {
        String a = create("Sync_Sample__c", Map.of("Name", "a", "Legacy_Id__c", "L-1"));
        String b = create("Sync_Sample__c", Map.of("Name", "b", "Legacy_Id__c", "L-1"));

        Reply reply = http.patch(V + "/sobjects/Sync_Sample__c/Legacy_Id__c/L-1", "{\"Name\":\"c\"}");

        assertThat(reply.status()).isEqualTo(300);
        assertThat(reply.json()).extracting(JsonNode::asText).containsExactlyInAnyOrder(
                V + "/sobjects/Sync_Sample__c/" + a, V + "/sobjects/Sync_Sample__c/" + b);
        assertThat(http.get(V + "/sobjects/Sync_Sample__c/Legacy_Id__c/L-1").status()).isEqualTo(300);
    }

    @Test
    void base64FieldsReadBackAsBlobUrls() {
        byte[] bytes = {0, 1, 2, (byte) 0xff, 'x'};
        String id = create("Sync_Sample__c", Map.of("Name", "blob", "Attachment__c",
                Base64.getEncoder().encodeToString(bytes)));

        String url = http.get(V + "/sobjects/Sync_Sample__c/" + id).json().get("Attachment__c").asText();
        assertThat(url).isEqualTo(V + "/sobjects/Sync_Sample__c/" + id + "/Attachment__c");
        Reply blob = http.get(url);
        assertThat(blob.status()).isEqualTo(200);
        assertThat(blob.raw().body()).isEqualTo(bytes);
    }

    @Test
    void everyFieldTypeOfTheCustomObjectRoundTrips() {
        String account = create("Account", Map.of("Name", "Ref"));
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        values.put("Name", "All types");
        values.put("Text__c", "héllo");
        values.put("Text_Area__c", "line1\nline2");
        values.put("Long_Text__c", "x".repeat(5000));
        values.put("Status__c", "Active");
        values.put("Colors__c", "Red;Blue");
        values.put("Flag__c", true);
        values.put("Quantity__c", 3);
        values.put("Ratio__c", 0.125);
        values.put("Amount__c", 19.999);
        values.put("Discount__c", 12.5);
        values.put("Due_Date__c", "2031-02-28");
        values.put("Due_At__c", "2031-02-28T13:14:15.678+02:00");
        values.put("Alarm_Time__c", "07:30:00.000Z");
        values.put("Email__c", "a@b.example");
        values.put("Phone__c", "+33 1 23 45 67 89");
        values.put("Website__c", "https://example.com");
        values.put("Account__c", account);
        values.put("Secret__c", "s3cret");
        values.put("Address__Street__s", "2 Rue X");
        values.put("Address__City__s", "Lyon");
        values.put("Location__Latitude__s", 45.75);
        values.put("Location__Longitude__s", 4.85);
        values.put("External_Id__c", "ALL-1");
        values.put("Code__c", "C-1");
        String id = create("Sync_Sample__c", values);

        JsonNode r = http.get(V + "/sobjects/Sync_Sample__c/" + id).json();
        assertThat(r.get("Text_Area__c").asText()).isEqualTo("line1\nline2");
        assertThat(r.get("Long_Text__c").asText()).hasSize(5000);
        assertThat(r.get("Colors__c").asText()).isEqualTo("Red;Blue");
        assertThat(r.get("Flag__c").asBoolean()).isTrue();
        assertThat(r.get("Quantity__c").asInt()).isEqualTo(3);
        assertThat(r.get("Amount__c").decimalValue()).isEqualByComparingTo("20.00");
        assertThat(r.get("Due_Date__c").asText()).isEqualTo("2031-02-28");
        assertThat(r.get("Due_At__c").asText()).isEqualTo("2031-02-28T11:14:15.678+0000");
        assertThat(r.get("Alarm_Time__c").asText()).isEqualTo("07:30:00.000Z");
        assertThat(r.get("Address__c").get("city").asText()).isEqualTo("Lyon");
        assertThat(r.get("Location__c").get("latitude").asDouble()).isEqualTo(45.75);
        assertThat(r.get("Status__c").asText()).isEqualTo("Active");
    }

    @Test
    void getUpdatedAndGetDeletedReportTheWindow() {
        String kept = create("Campaign", Map.of("Name", "Kept"));
        String gone = create("Campaign", Map.of("Name", "Gone"));
        http.delete(V + "/sobjects/Campaign/" + gone);
        SALESFORCE.emulator().clock().advance(Duration.ofMinutes(2));
        String start = "2000-01-01T00:00:00Z";
        java.time.Instant now = SALESFORCE.emulator().clock().instant();
        String from = java.net.URLEncoder.encode(now.minus(Duration.ofHours(1)).toString(),
                java.nio.charset.StandardCharsets.UTF_8);
        String to = java.net.URLEncoder.encode(now.toString(), java.nio.charset.StandardCharsets.UTF_8);

        JsonNode updated = http.get(V + "/sobjects/Campaign/updated/?start=" + from + "&end=" + to).json();
        assertThat(updated.get("ids")).extracting(JsonNode::asText).contains(kept).doesNotContain(gone);
        assertThat(updated.get("latestDateCovered").asText()).endsWith(":00.000+0000");

        JsonNode deleted = http.get(V + "/sobjects/Campaign/deleted/?start=" + from + "&end=" + to).json();
        assertThat(deleted.get("deletedRecords")).anySatisfy(d -> assertThat(d.get("id").asText()).isEqualTo(gone));
        assertThat(deleted.has("earliestDateAvailable")).isTrue();

        assertThat(http.get(V + "/sobjects/Campaign/deleted/?start=" + start + "&end=" + to).errorCode())
                .isEqualTo("INVALID_REPLICATION_DATE");
        assertThat(http.get(V + "/sobjects/Campaign/updated/?start=" + to + "&end=" + from).errorCode())
                .isEqualTo("INVALID_REPLICATION_DATE");
    }

    @Test
    void aUrlValueOfTheWrongTypeIsABadRequestNotACrash() {
        new Http(SALESFORCE.emulator().baseUri(), null).post("/__emulator/schema/Product2/fields", Http.json(Map.of(
                "name", "Legacy_Number__c", "type", "double", "precision", 18, "scale", 0, "externalId", true)));

        Http.Reply get = http.get(V + "/sobjects/Product2/Legacy_Number__c/not-a-number");
        Http.Reply upsert = http.patch(V + "/sobjects/Product2/Legacy_Number__c/not-a-number", "{\"Name\":\"x\"}");

        assertThat(get.status()).isEqualTo(400);
        assertThat(get.errorCode()).isEqualTo("INVALID_FIELD");
        assertThat(upsert.status()).isEqualTo(400);
        assertThat(http.patch(V + "/sobjects/Product2/Legacy_Number__c/42", "{\"Name\":\"n\"}").status())
                .isEqualTo(201);
    }

    @Test
    void pathsWorkWithTrailingAndDoubledSlashes() {
        assertThat(http.get(V + "/sobjects/Account/describe/").status()).isEqualTo(200);
        assertThat(http.get("/" + V + "/sobjects/Account/describe").status()).isEqualTo(200);
    }

    @Test
    void wrongMethodIsRejectedNamingTheAllowedOnes() {
        Reply reply = http.put(V + "/sobjects/Account/describe", "{}");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.json().get(0).get("message").asText()).contains("GET");
    }
}
