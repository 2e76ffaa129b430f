package dev.lockstep.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.common.SchemaStyle;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorConfigsTest {

    private static final Deployment TARGET = new Deployment("acme", "sf", Map.of(
            "salesforce.login.url", "https://acme.my.salesforce.com",
            "salesforce.auth.flow", "jwt",
            "salesforce.client.id", "client",
            "salesforce.username", "sync@acme.com",
            "salesforce.private.key", "/keys/sync.pem"),
            "jdbc:postgresql://db:5432/app", "sync", "secret", 3, 2);

    private static Mapping mapping(String object, List<String> fields, Map<String, String> renames, boolean all,
            Mapping.SyncMode sync, int pollSeconds, Mapping.UpdateMode update, Mapping.DeleteMode delete,
            SchemaStyle style) {
        return new Mapping(0, object, Mapping.Access.READ_ONLY, fields, Map.of(), null, pollSeconds, false,
                Mapping.DEFAULT_SCHEMA, object.toLowerCase(java.util.Locale.ROOT), renames, all, sync, update,
                delete, style);
    }

    private static final Mapping ACCOUNT = mapping("Account", List.of("Id", "Name", "IsDeleted", "SystemModstamp"),
            Map.of(), false, Mapping.SyncMode.STREAM, 600, Mapping.UpdateMode.PARTIAL, Mapping.DeleteMode.SOFT,
            SchemaStyle.HEROKU_CONNECT);
    private static final Mapping LEAD = mapping("Lead", List.of("Id", "Company"), Map.of(), true,
            Mapping.SyncMode.POLL, 300, Mapping.UpdateMode.PARTIAL, Mapping.DeleteMode.SOFT,
            SchemaStyle.HEROKU_CONNECT);
    private static final Mapping CONTACT = mapping("Contact", List.of("Id", "LastName", "AccountId"),
            Map.of("LastName", "surname"), false, Mapping.SyncMode.POLL, 120, Mapping.UpdateMode.FULL,
            Mapping.DeleteMode.HARD, SchemaStyle.NATIVE);

    private static MappingFile file(Mapping... mappings) {
        return new MappingFile(1, JsonNodeFactory.instance.objectNode(), List.of(mappings));
    }

    @Test
    void oneSinkPerMappingThenOneSourceForEveryObject() {
        List<ConnectorTemplate> connectors = ConnectorConfigs.of(file(ACCOUNT, LEAD), TARGET);

        assertThat(connectors).extracting(ConnectorTemplate::name)
                .containsExactly("acme-postgres-salesforce-account", "acme-postgres-salesforce-lead",
                        "acme-salesforce");
        Map<String, String> source = connectors.get(2).config();
        assertThat(source).containsEntry("connector.class", "dev.lockstep.source.SalesforceSourceConnector")
                .containsEntry("object.include.list", "Account,Lead")
                .containsEntry("topic.prefix", "sf")
                .containsEntry("tasks.max", "2")
                .containsEntry("update.mode", "partial")
                .containsEntry("object.poll.list", "Lead")
                .containsEntry("poll.interval.ms", "300000")
                .containsEntry("topic.creation.default.replication.factor", "3")
                // Lead maps all fields, so only Account's fields are listed.
                .containsEntry("field.include.list", "Account.Id,Account.Name,Account.IsDeleted,Account.SystemModstamp");
        assertThat(source).containsEntry("salesforce.auth.flow", "jwt")
                .containsEntry("salesforce.private.key", "/keys/sync.pem")
                .doesNotContainKey("salesforce.client.secret");
    }

    @Test
    void sinkWritesTheMappingsTableThroughTheTransformChain() {
        Map<String, String> sink = ConnectorConfigs.of(file(ACCOUNT), TARGET).get(0).config();

        assertThat(sink).containsEntry("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector")
                .containsEntry("topics", "sf.Account")
                .containsEntry("connection.url", "jdbc:postgresql://db:5432/app?ApplicationName=lockstep-sync")
                .containsEntry("connection.username", "sync")
                .containsEntry("insert.mode", "upsert")
                .containsEntry("primary.key.fields", "sfid")
                .containsEntry("collection.name.format", "salesforce.${topic}")
                .containsEntry("transforms", "narrow,row,columns,values")
                .containsEntry("transforms.row.table.name", "account")
                .containsEntry("transforms.row.delete.mode", "soft")
                .containsEntry("transforms.columns.include", "sfid,name,isdeleted,systemmodstamp,_hc_lastop")
                .containsEntry("transforms.values.schema.style", "heroku-connect")
                .containsEntry("errors.tolerance", "all")
                .containsEntry("errors.deadletterqueue.topic.name", "sf.postgres.dlq")
                .containsEntry("errors.deadletterqueue.topic.replication.factor", "3");
    }

    @Test
    void allFieldsMappingHasNoColumnFilter() {
        Map<String, String> sink = ConnectorConfigs.of(file(LEAD), TARGET).get(0).config();

        assertThat(sink).containsEntry("transforms", "narrow,row,values").doesNotContainKey("transforms.columns.type");
    }

    @Test
    void mappingsWithAnotherUpdateModeGetTheirOwnSource() {
        List<ConnectorTemplate> connectors = ConnectorConfigs.of(file(ACCOUNT, CONTACT), TARGET);

        assertThat(connectors).extracting(ConnectorTemplate::name).containsExactly(
                "acme-postgres-salesforce-account", "acme-postgres-salesforce-contact",
                "acme-salesforce-partial", "acme-salesforce-full");
        Map<String, String> full = connectors.get(3).config();
        assertThat(full).containsEntry("update.mode", "full").containsEntry("object.include.list", "Contact")
                .containsEntry("field.include.list", "Contact.Id,Contact.LastName,Contact.AccountId")
                .containsEntry("poll.interval.ms", "120000");
        Map<String, String> contactSink = connectors.get(1).config();
        assertThat(contactSink).containsEntry("transforms.row.column.renames", "LastName:surname")
                .containsEntry("transforms.row.delete.mode", "hard")
                .containsEntry("transforms.values.schema.style", "native")
                .containsEntry("transforms.columns.include", "sfid,surname,accountid,isdeleted,systemmodstamp,_hc_lastop");
    }

    @Test
    void anApplicationNameInTheUrlIsKept() {
        Deployment own = new Deployment("x", "sf", Map.of(), "jdbc:postgresql://db/app?ApplicationName=mine", "u",
                "p", 1, 1);

        assertThat(own.syncJdbcUrl()).isEqualTo("jdbc:postgresql://db/app?ApplicationName=mine");
    }
}
