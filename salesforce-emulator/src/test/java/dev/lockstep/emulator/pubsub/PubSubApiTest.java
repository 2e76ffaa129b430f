package dev.lockstep.emulator.pubsub;

import static dev.lockstep.emulator.pubsub.PubSubTestClient.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.Http;
import dev.lockstep.emulator.pubsub.proto.ErrorCode;
import dev.lockstep.emulator.pubsub.proto.ManagedFetchRequest;
import dev.lockstep.emulator.pubsub.proto.ManagedFetchResponse;
import dev.lockstep.emulator.pubsub.proto.ProducerEvent;
import dev.lockstep.emulator.pubsub.proto.PublishRequest;
import dev.lockstep.emulator.pubsub.proto.PublishResponse;
import dev.lockstep.emulator.pubsub.proto.SchemaInfo;
import dev.lockstep.emulator.pubsub.proto.SchemaRequest;
import dev.lockstep.emulator.pubsub.proto.TopicInfo;
import dev.lockstep.emulator.pubsub.proto.TopicRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unary RPCs, authentication, TLS and faults of the Pub/Sub API, over real sockets. */
class PubSubApiTest {

    private Emulator emulator;
    private PubSubTestClient client;

    @BeforeEach
    void start() {
        emulator = Emulator.start(EmulatorConfig.defaults());
        client = PubSubTestClient.connect(emulator);
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private static TopicRequest topic(String name) {
        return TopicRequest.newBuilder().setTopicName(name).build();
    }

    private StatusRuntimeException getTopicWith(Map<String, String> headers) {
        try (PubSubTestClient other = PubSubTestClient.connect(emulator, headers)) {
            return catchThrowableOfType(StatusRuntimeException.class,
                    () -> other.blocking.getTopic(topic("/data/AccountChangeEvent")));
        }
    }

    @Test
    void missingOrBlankHeadersAreInvalidHeaders() {
        for (String header : List.of("accessToken", "instanceUrl", "tenantId")) {
            Map<String, String> headers = new LinkedHashMap<>(PubSubTestClient.auth(emulator,
                    emulator.accessToken()));
            headers.remove(header);
            assertError(getTopicWith(headers), Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_HEADERS_INVALID);
            headers.put(header, " ");
            assertError(getTopicWith(headers), Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_HEADERS_INVALID);
        }
    }

    @Test
    void badTokensAndWrongTenantsAreAuthErrors() {
        Map<String, String> headers = PubSubTestClient.auth(emulator, "00D000000000001!AQbogus");
        StatusRuntimeException e = getTopicWith(headers);
        assertError(e, Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_ERROR);
        assertThat(e.getStatus().getDescription()).startsWith("An authentication exception occurred.");

        headers = PubSubTestClient.auth(emulator, emulator.accessToken());
        headers.put("tenantId", "00D000000000001AAA");
        assertError(getTopicWith(headers), Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_ERROR);
        headers.put("tenantId", emulator.org().orgId().substring(0, 15));
        assertError(getTopicWith(headers), Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_ERROR);

        String token = emulator.accessToken();
        emulator.sessions().revoke(token);
        assertError(getTopicWith(PubSubTestClient.auth(emulator, token)), Status.Code.UNAUTHENTICATED,
                PubSubErrors.AUTH_ERROR);
        emulator.sessions().setTimeToLive(Duration.ofMinutes(5));
        String expiring = emulator.accessToken();
        emulator.clock().advance(Duration.ofMinutes(6));
        assertError(getTopicWith(PubSubTestClient.auth(emulator, expiring)), Status.Code.UNAUTHENTICATED,
                PubSubErrors.AUTH_ERROR);
    }

    @Test
    void headersAreMatchedWhateverTheirCase() {
        Map<String, String> lower = new LinkedHashMap<>();
        lower.put("accesstoken", emulator.accessToken());
        lower.put("instanceurl", "https://lockstep-dev.my.salesforce.com");
        lower.put("tenantid", emulator.org().orgId());
        try (PubSubTestClient other = PubSubTestClient.connect(emulator, lower)) {
            assertThat(other.blocking.getTopic(topic("/data/AccountChangeEvent")).getCanSubscribe()).isTrue();
        }
    }

    @Test
    void getTopicDescribesChangeEventChannels() {
        TopicInfo info = client.blocking.getTopic(topic("/data/AccountChangeEvent"));

        assertThat(info.getTopicName()).isEqualTo("/data/AccountChangeEvent");
        assertThat(info.getTenantGuid()).isEqualTo(emulator.org().orgId()).hasSize(18);
        assertThat(info.getCanPublish()).isFalse();
        assertThat(info.getCanSubscribe()).isTrue();
        assertThat(info.getSchemaId()).isEqualTo(emulator.cdc().schemaOf("Account").id()).hasSize(22);
        assertThat(info.getRpcId()).isNotBlank();
        assertThat(client.blocking.getTopic(topic("/data/Sync_Sample__ChangeEvent")).getSchemaId())
                .isEqualTo(emulator.cdc().schemaOf("Sync_Sample__c").id());
        TopicInfo all = client.blocking.getTopic(topic("/data/ChangeEvents"));
        assertThat(all.getCanSubscribe()).isTrue();
        assertThat(all.getSchemaId()).as("several entities, no single schema").isEmpty();
        assertThat(emulator.counters().get("pubsub.gettopic")).isEqualTo(3);
    }

    @Test
    void unknownEmptyAndUnselectedTopicsAreRefused() {
        assertError(catchThrowableOfType(StatusRuntimeException.class,
                () -> client.blocking.getTopic(topic("/data/NopeChangeEvent"))),
                Status.Code.NOT_FOUND, PubSubErrors.TOPIC_NOT_FOUND);
        assertError(catchThrowableOfType(StatusRuntimeException.class,
                () -> client.blocking.getTopic(topic("/event/Order_Placed__e"))),
                Status.Code.NOT_FOUND, PubSubErrors.TOPIC_NOT_FOUND);
        assertError(catchThrowableOfType(StatusRuntimeException.class, () -> client.blocking.getTopic(topic(""))),
                Status.Code.INVALID_ARGUMENT, PubSubErrors.TOPIC_VALIDATION_EMPTY);

        emulator.cdc().select(Set.of("Contact"));
        assertError(catchThrowableOfType(StatusRuntimeException.class,
                () -> client.blocking.getTopic(topic("/data/AccountChangeEvent"))),
                Status.Code.NOT_FOUND, PubSubErrors.TOPIC_NOT_FOUND);
        assertThat(client.blocking.getTopic(topic("/data/ChangeEvents")).getSchemaId())
                .as("one selected entity: its schema").isEqualTo(emulator.cdc().schemaOf("Contact").id());
    }

    @Test
    void getSchemaReturnsTheAvroSchemaOfAnId() {
        String id = client.blocking.getTopic(topic("/data/AccountChangeEvent")).getSchemaId();

        SchemaInfo info = client.blocking.getSchema(SchemaRequest.newBuilder().setSchemaId(id).build());

        assertThat(info.getSchemaId()).isEqualTo(id);
        assertThat(info.getRpcId()).isNotBlank();
        Schema schema = new Schema.Parser().parse(info.getSchemaJson());
        assertThat(schema.getFullName()).isEqualTo("com.sforce.eventbus.AccountChangeEvent");
        assertThat(schema.getFields().get(0).name()).isEqualTo("ChangeEventHeader");
        assertThat(schema).isEqualTo(emulator.cdc().schemaOf("Account").avro());
        assertError(catchThrowableOfType(StatusRuntimeException.class, () -> client.blocking.getSchema(
                SchemaRequest.newBuilder().setSchemaId("AAAAAAAAAAAAAAAAAAAAAA").build())),
                Status.Code.NOT_FOUND, PubSubErrors.SCHEMA_VALIDATION_FAILED);
        assertError(catchThrowableOfType(StatusRuntimeException.class, () -> client.blocking.getSchema(
                SchemaRequest.getDefaultInstance())), Status.Code.INVALID_ARGUMENT,
                PubSubErrors.SCHEMA_VALIDATION_FAILED);
        assertThat(emulator.counters().get("pubsub.getschema")).isEqualTo(3);
    }

    @Test
    void changeEventsCannotBePublished() {
        PublishRequest request = PublishRequest.newBuilder().setTopicName("/data/AccountChangeEvent")
                .addEvents(ProducerEvent.newBuilder().setId("e1").setSchemaId("x"))
                .addEvents(ProducerEvent.newBuilder().setId("e2").setSchemaId("x")).build();

        PublishResponse response = client.blocking.publish(request);

        assertThat(response.getResultsList()).hasSize(2);
        assertThat(response.getResults(0).getCorrelationKey()).isEqualTo("e1");
        assertThat(response.getResults(0).getError().getCode()).isEqualTo(ErrorCode.PUBLISH);
        assertThat(response.getResults(0).getError().getMsg()).contains("can't be published");
        assertThat(response.getResults(0).getReplayId().isEmpty()).isTrue();
        assertThat(response.getRpcId()).isNotBlank();
        assertError(catchThrowableOfType(StatusRuntimeException.class, () -> client.blocking.publish(
                request.toBuilder().setTopicName("/event/Nope__e").build())), Status.Code.NOT_FOUND,
                PubSubErrors.TOPIC_NOT_FOUND);
        assertError(catchThrowableOfType(StatusRuntimeException.class, () -> client.blocking.publish(
                request.toBuilder().clearTopicName().build())), Status.Code.INVALID_ARGUMENT,
                PubSubErrors.PUBLISH_TOPIC_EMPTY);
    }

    @Test
    void publishStreamAnswersEachRequestAndChecksTheTopic() throws Exception {
        LinkedBlockingQueue<PublishResponse> responses = new LinkedBlockingQueue<>();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<PublishRequest> requests = client.async.publishStream(new StreamObserver<>() {
            @Override
            public void onNext(PublishResponse value) {
                responses.add(value);
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
        ProducerEvent event = ProducerEvent.newBuilder().setId("e").build();

        requests.onNext(PublishRequest.newBuilder().setTopicName("/data/AccountChangeEvent").addEvents(event).build());
        requests.onNext(PublishRequest.newBuilder().addEvents(event).addEvents(event).build());
        assertThat(responses.poll(10, TimeUnit.SECONDS).getResults(0).getError().getCode())
                .isEqualTo(ErrorCode.PUBLISH);
        assertThat(responses.poll(10, TimeUnit.SECONDS).getResultsCount()).isEqualTo(2);
        requests.onNext(PublishRequest.newBuilder().setTopicName("/data/ContactChangeEvent").addEvents(event)
                .build());

        assertError((StatusRuntimeException) ended.get(10, TimeUnit.SECONDS), Status.Code.INVALID_ARGUMENT,
                PubSubErrors.PUBLISH_TOPIC_MISMATCH);
    }

    @Test
    void managedSubscribeIsNotImplemented() throws Exception {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<ManagedFetchRequest> requests = client.async.managedSubscribe(new StreamObserver<>() {
            @Override
            public void onNext(ManagedFetchResponse value) {}

            @Override
            public void onError(Throwable t) {
                ended.complete(t);
            }

            @Override
            public void onCompleted() {
                ended.complete(null);
            }
        });
        requests.onNext(ManagedFetchRequest.newBuilder().setDeveloperName("Managed").setNumRequested(1).build());

        StatusRuntimeException e = (StatusRuntimeException) ended.get(10, TimeUnit.SECONDS);
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
        assertThat(PubSubTestClient.rpcId(e)).isNotBlank();
    }

    @Test
    void tlsListenerServesWithTheExportedCertificate(@TempDir Path dir) throws Exception {
        String pem = new Http(emulator.baseUri(), null).get("/__emulator/pubsub/certificate").text();
        assertThat(pem).isEqualTo(emulator.pubsub().certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(certificate.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))))
                .contains("localhost", "127.0.0.1");
        Path file = dir.resolve("pubsub.pem");
        Files.writeString(file, pem);

        try (PubSubTestClient tls = PubSubTestClient.connectTls(emulator,
                TlsChannelCredentials.newBuilder().trustManager(file.toFile()).build())) {
            TopicInfo info = tls.blocking.getTopic(topic("/data/AccountChangeEvent"));
            assertThat(info.getTenantGuid()).isEqualTo(emulator.org().orgId());
        }
        // A client that does not trust the certificate cannot even connect.
        try (PubSubTestClient untrusted = PubSubTestClient.connectTls(emulator, TlsChannelCredentials.create())) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> untrusted.blocking.getTopic(topic("/data/AccountChangeEvent")));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void adminApiShowsListenersAndChangesSettings() {
        Http admin = new Http(emulator.baseUri(), null);

        var status = admin.put("/__emulator/pubsub/settings", Http.json(Map.of("keepaliveMillis", 1500,
                "idleTimeoutMillis", 2500, "compoundParentBit", true))).json();

        assertThat(status.get("port").asInt()).isEqualTo(emulator.pubsub().port()).isPositive();
        assertThat(status.get("tlsPort").asInt()).isEqualTo(emulator.pubsub().tlsPort()).isPositive();
        assertThat(status.get("keepaliveMillis").asLong()).isEqualTo(1500);
        assertThat(emulator.pubsub().idleTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(emulator.pubsub().compoundParentBit()).isTrue();
        assertThat(admin.put("/__emulator/pubsub/settings", Http.json(Map.of("keepaliveMillis", 0))).status())
                .isEqualTo(400);
    }

    @Test
    void listenersCanBeTurnedOff() {
        try (Emulator plain = Emulator.start(EmulatorConfig.defaults().withPubSubPorts(0, -1))) {
            assertThat(plain.pubsub().tlsPort()).isEqualTo(-1);
            assertThat(plain.pubsub().certificatePem()).isNull();
            assertThat(new Http(plain.baseUri(), null).get("/__emulator/pubsub/certificate").status())
                    .isEqualTo(404);
            try (PubSubTestClient c = PubSubTestClient.connect(plain)) {
                assertThat(c.blocking.getTopic(topic("/data/AccountChangeEvent")).getCanSubscribe()).isTrue();
            }
        }
    }

    @Test
    void faultsFailCallsWithServiceUnavailable() {
        emulator.faults().failWithStatus("pubsub.gettopic", 1, 503);
        emulator.faults().failWithStatus("pubsub", 1, 401);

        assertError(catchThrowableOfType(StatusRuntimeException.class,
                () -> client.blocking.getTopic(topic("/data/AccountChangeEvent"))),
                Status.Code.UNAVAILABLE, PubSubErrors.SERVICE_UNAVAILABLE);
        assertError(catchThrowableOfType(StatusRuntimeException.class,
                () -> client.blocking.getSchema(SchemaRequest.newBuilder().setSchemaId("x").build())),
                Status.Code.UNAUTHENTICATED, PubSubErrors.AUTH_ERROR);
        assertThat(client.blocking.getTopic(topic("/data/AccountChangeEvent")).getCanSubscribe()).isTrue();

        emulator.faults().timeOut("pubsub.gettopic", 1, Duration.ofMillis(200));
        StatusRuntimeException reset = catchThrowableOfType(StatusRuntimeException.class,
                () -> client.blocking.getTopic(topic("/data/AccountChangeEvent")));
        assertThat(reset.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(PubSubTestClient.rpcId(reset)).as("a proxy reset carries no rpc id").isNull();
    }
}
