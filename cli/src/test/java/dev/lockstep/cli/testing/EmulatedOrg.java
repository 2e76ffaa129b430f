package dev.lockstep.cli.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.auth.Credentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Salesforce emulator for one test class, with a client logged in to it over sockets, so tests see describes
 * exactly as {@code client.rest().describe(object)} returns them. Register it as a static field with
 * {@code @RegisterExtension}.
 */
public final class EmulatedOrg implements BeforeAllCallback, AfterAllCallback {

    private final EmulatorExtension emulator;
    private SalesforceClient client;

    /** An org serving REST only (describes need no more); Pub/Sub stays off. */
    public EmulatedOrg() {
        this(false);
    }

    /** @param pubsub whether the Pub/Sub API runs too (plaintext, on a free port), e.g. to look up CDC topics */
    public EmulatedOrg(boolean pubsub) {
        int port = pubsub ? 0 : -1;
        emulator = new EmulatorExtension(EmulatorConfig.defaults().withPubSubPorts(port, -1));
    }

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

    /**
     * A properties file for {@code --salesforce}: the emulator's login URL, the client credentials flow with its
     * default client, and its plaintext Pub/Sub endpoint when Pub/Sub runs.
     */
    public Path salesforceProperties(Path dir) throws IOException {
        Emulator running = emulator();
        StringBuilder text = new StringBuilder()
                .append("salesforce.login.url=").append(running.baseUri()).append('\n')
                .append("salesforce.auth.flow=client_credentials\n")
                .append("salesforce.client.id=").append(EmulatorConfig.DEFAULT_CLIENT_ID).append('\n')
                .append("salesforce.client.secret=").append(EmulatorConfig.DEFAULT_CLIENT_SECRET).append('\n');
        if (running.pubsub().target() != null) {
            text.append("salesforce.pubsub.endpoint=").append(running.pubsub().target()).append('\n')
                    .append("salesforce.pubsub.plaintext=true\n");
        }
        Path file = dir.resolve("salesforce.properties");
        Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** The object's current describe, read again from the org (not from the client's cache). */
    public JsonNode describe(String object) {
        return client.rest().refreshDescribe(object);
    }
}
