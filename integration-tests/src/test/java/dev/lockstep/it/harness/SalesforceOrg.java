package dev.lockstep.it.harness;

import dev.lockstep.cli.connect.ConnectorTemplate;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.rest.RestApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulated org as the integration tests use it: writes go through the REST API over real sockets (as a
 * Salesforce user's would), expectations are read from the emulator's own records, and connector settings that
 * point at it are filled into the {@code salesforce-source.json} template.
 */
public final class SalesforceOrg {

    private final Emulator emulator;
    private final SalesforceClient client;

    public SalesforceOrg(Emulator emulator) {
        this.emulator = emulator;
        this.client = SalesforceClient.create(SalesforceClient.Config.of(new Credentials.ClientCredentials(
                emulator.baseUri(), EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET)));
        // Keepalives let a LATEST subscription learn it is live quickly; Salesforce's 270 s would slow every test.
        emulator.pubsub().setKeepalive(Duration.ofMillis(300));
        emulator.cometd().setLongPollTimeout(Duration.ofSeconds(2));
    }

    public Emulator emulator() {
        return emulator;
    }

    public RestApi rest() {
        return client.rest();
    }

    /** Placeholder values of {@code salesforce-source.json} for this org. */
    public Map<String, String> placeholders(String connectorName, String topicPrefix, String objects, int tasks) {
        Map<String, String> values = new HashMap<>();
        values.put("CONNECTOR_NAME", connectorName);
        values.put("TASKS_MAX", Integer.toString(tasks));
        values.put("SALESFORCE_LOGIN_URL", emulator.baseUri().toString());
        values.put("SALESFORCE_CLIENT_ID", EmulatorConfig.DEFAULT_CLIENT_ID);
        values.put("SALESFORCE_CLIENT_SECRET", EmulatorConfig.DEFAULT_CLIENT_SECRET);
        values.put("OBJECTS", objects);
        values.put("TOPIC_PREFIX", topicPrefix);
        values.put("REPLICATION_FACTOR", "1");
        return values;
    }

    /** The source template for this org, with the emulator's plaintext Pub/Sub endpoint and short retries. */
    public ConnectorTemplate sourceConnector(String connectorName, String topicPrefix, String objects, int tasks,
            Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>();
        settings.put("salesforce.pubsub.endpoint", emulator.pubsub().target());
        settings.put("salesforce.pubsub.plaintext", "true");
        settings.put("retry.backoff.ms", "100");
        settings.put("retry.backoff.max.ms", "1000");
        settings.put("resync.margin.ms", "2000");
        settings.putAll(overrides);
        return ConnectorTemplate.load("salesforce-source.json", placeholders(connectorName, topicPrefix, objects,
                tasks)).with(settings);
    }

    /** Creates records (sObject Collections, 200 per call) and returns their Ids in order. */
    public List<String> create(String object, List<Map<String, Object>> records) {
        List<String> ids = new ArrayList<>();
        for (int from = 0; from < records.size(); from += RestApi.COLLECTION_LIMIT) {
            List<ObjectNode> batch = new ArrayList<>();
            for (Map<String, Object> r : records.subList(from, Math.min(records.size(), from
                    + RestApi.COLLECTION_LIMIT))) {
                ObjectNode node = json(r);
                node.putObject("attributes").put("type", object);
                batch.add(node);
            }
            for (RestApi.SaveResult result : client.rest().createAll(batch, true)) {
                if (!result.success()) {
                    throw new IllegalStateException("Create of " + object + " failed: " + result.errors());
                }
                ids.add(result.id());
            }
        }
        return ids;
    }

    public String create(String object, Map<String, Object> fields) {
        return client.rest().create(object, json(fields));
    }

    public void update(String object, String id, Map<String, Object> fields) {
        client.rest().update(object, id, json(fields));
    }

    public void delete(String object, String id) {
        client.rest().delete(object, id);
    }

    /** Updates up to 200 records in one sObject Collections call (one Salesforce transaction). */
    public void updateAll(String object, Map<String, Map<String, Object>> fieldsById) {
        List<ObjectNode> batch = new ArrayList<>();
        fieldsById.forEach((id, fields) -> {
            ObjectNode node = json(fields);
            node.put("Id", id);
            node.putObject("attributes").put("type", object);
            batch.add(node);
        });
        for (RestApi.SaveResult result : client.rest().updateAll(batch, true)) {
            if (!result.success()) {
                throw new IllegalStateException("Update of " + object + " failed: " + result.errors());
            }
        }
    }

    /**
     * Deletes a record for good, bypassing the recycle bin (what Bulk API {@code hardDelete} or emptying the
     * recycle bin does): {@code queryAll} no longer sees it, only getDeleted remembers it.
     */
    public void hardDelete(String id) {
        emulator.org().write(WriteContext.system(emulator.adminUserId()), txn -> {
            txn.hardDelete(id);
            return null;
        });
    }

    /** Restores a deleted record from the recycle bin (an UNDELETE change, as the Salesforce UI's Undelete). */
    public void undelete(String id) {
        emulator.org().write(WriteContext.system(emulator.adminUserId()), txn -> {
            txn.undelete(id);
            return null;
        });
    }

    private static ObjectNode json(Map<String, Object> fields) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        fields.forEach((k, v) -> {
            if (v == null) {
                node.putNull(k);
            } else if (v instanceof Number n) {
                node.put(k, new java.math.BigDecimal(n.toString()));
            } else if (v instanceof Boolean b) {
                node.put(k, b);
            } else {
                node.put(k, v.toString());
            }
        });
        return node;
    }

    /** Every live record of an object as the emulator holds it: Id → field → value. */
    public Map<String, Map<String, Object>> records(String object) {
        return sample(object, 1);
    }

    /**
     * Every {@code every}-th live record of an object (the first, then every {@code every}-th after it), as
     * {@link #records} gives them: a sample of an object too large to hold twice in memory.
     */
    public Map<String, Map<String, Object>> sample(String object, int every) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        emulator.org().read(org -> {
            int i = 0;
            for (RecordView r : org.records(org.schema().require(object), false)) {
                if (i++ % every == 0) {
                    out.put(r.id(), r.values());
                }
            }
            return null;
        });
        return out;
    }

    public void close() {
        client.close();
    }
}
