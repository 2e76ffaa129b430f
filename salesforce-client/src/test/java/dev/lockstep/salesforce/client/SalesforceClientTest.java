package dev.lockstep.salesforce.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.junit.EmulatorExtension;
import dev.lockstep.salesforce.client.auth.Credentials;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.EventSink;
import dev.lockstep.salesforce.client.streaming.ReplayFrom;
import dev.lockstep.salesforce.client.streaming.Subscription;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One configuration gives every API of an org, sharing session and metrics. */
class SalesforceClientTest {

    @RegisterExtension
    static final EmulatorExtension SALESFORCE = new EmulatorExtension(EmulatorConfig.defaults()
            .withPubSubPorts(0, 0));

    @Test
    void everyApiWorksFromOneConfigAndSharesTheSession(Emulator emulator) throws Exception {
        SalesforceClient.Config config = SalesforceClient.Config.of(new Credentials.ClientCredentials(
                emulator.baseUri(), EmulatorConfig.DEFAULT_CLIENT_ID, EmulatorConfig.DEFAULT_CLIENT_SECRET))
                .withCallOptionsClient("lockstep-facade")
                .withPubSub(emulator.pubsub().target(), null, true);
        BlockingQueue<ChangeEvent> events = new LinkedBlockingQueue<>();
        try (SalesforceClient client = SalesforceClient.create(config)) {
            Subscription subscription = client.pubsub().subscribe("/data/AccountChangeEvent", ReplayFrom.earliest(),
                    new EventSink() {
                        @Override
                        public int remainingCapacity() {
                            return 100;
                        }

                        @Override
                        public void accept(List<ChangeEvent> batch) {
                            events.addAll(batch);
                        }

                        @Override
                        public void failed(dev.lockstep.salesforce.client.SalesforceException failure) {
                            events.add(new ChangeEvent("failed", null, null, null, Map.of("error", failure), "none"));
                        }
                    });

            String id = client.rest().create("Account", new ObjectMapper().valueToTree(Map.of("Name", "Facade")));
            long rows = client.bulk().query("SELECT Id FROM Account WHERE Id = '" + id + "'").stream().count();
            ChangeEvent event = events.poll(20, TimeUnit.SECONDS);

            assertThat(rows).isEqualTo(1);
            assertThat(event).isNotNull();
            assertThat(event.header().recordIds()).containsExactly(id);
            assertThat(event.header().changeOrigin()).endsWith(";client=lockstep-facade");
            assertThat(client.session().logins()).isEqualTo(1);
            assertThat(client.metrics().calls("rest.sobject")).isEqualTo(1);
            assertThat(client.metrics().calls("pubsub.subscribe")).isGreaterThanOrEqualTo(1);
            assertThat(client.cometd()).isSameAs(client.cometd());
            subscription.close();
        }
    }
}
