package dev.lockstep.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.auth.Credentials;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Salesforce emulator for one test class, with a client logged in to it over sockets, so tests see describes
 * exactly as {@code client.rest().describe(object)} returns them. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class EmulatedOrg implements BeforeAllCallback, AfterAllCallback {

    // Describes need REST only; Pub/Sub stays off.
    private final EmulatorExtension emulator = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(-1, -1));
    private SalesforceClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        emulator.beforeAll(context);
        Emulator running = emulator.emulator();
        client = SalesforceClient.create(SalesforceClient.Config.of(new Credentials.ClientCredentials(
                running.baseUri(), EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET)));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            emulator.afterAll(context);
        }
    }

    /** The emulator, e.g. to add, remove or retype fields as an admin would in Setup. */
    public Emulator emulator() {
        return emulator.emulator();
    }

    /** The object's current describe, read again from the org (not from the client's cache). */
    public JsonNode describe(String object) {
        return client.rest().refreshDescribe(object);
    }
}
