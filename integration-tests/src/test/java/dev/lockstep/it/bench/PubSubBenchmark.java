package dev.lockstep.it.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.emulator.pubsub.proto.ConsumerEvent;
import dev.lockstep.emulator.pubsub.proto.FetchRequest;
import dev.lockstep.emulator.pubsub.proto.FetchResponse;
import dev.lockstep.emulator.pubsub.proto.PubSubGrpc;
import dev.lockstep.emulator.pubsub.proto.ReplayPreset;
import dev.lockstep.emulator.pubsub.proto.SchemaRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How fast the emulator delivers Change Data Capture events over the Pub/Sub API on this machine: 500,000 Account
 * creates committed in transactions of 50,000 (under Salesforce's 100,000-change overflow threshold), then one
 * Subscribe from EARLIEST that asks for 100 events and asks again whenever {@code pending_num_requested} reaches 0,
 * as Salesforce's Java sample does, decoding every payload with its schema from GetSchema. Prints numbers (target:
 * more than 50,000 events/s); asserts only that every event arrived once, in order, and decoded. Run with
 * {@code mvn -B verify -Pbenchmark -pl integration-tests -Dit.test=PubSubBenchmark}.
 */
class PubSubBenchmark {

    private static final int EVENTS = Integer.getInteger("bench.pubsub.events", 500_000);
    private static final int PER_TRANSACTION = 50_000;
    private static final int BATCH = 100;
    private static Emulator emulator;

    @BeforeAll
    static void load() {
        emulator = Emulator.start(EmulatorConfig.defaults().withDailyApiLimit(Long.MAX_VALUE));
        long start = System.nanoTime();
        for (int done = 0; done < EVENTS; done += PER_TRANSACTION) {
            int from = done;
            int count = Math.min(PER_TRANSACTION, EVENTS - done);
            emulator.org().write(new WriteContext(emulator.adminUserId(), "REST API", "bench", "61.0"), txn -> {
                for (int i = from; i < from + count; i++) {
                    txn.create("Account", Map.of("Name", "Account " + i, "Industry", "Energy", "Phone",
                            "555-" + i, "BillingCity", "Oakland", "NumberOfEmployees", i % 1000));
                }
                return null;
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%nPUB/SUB BENCHMARK%n  %,d Account creates committed in %.1f s (%,.0f changes/s), %,d"
                + " events on the bus%n", EVENTS, seconds, EVENTS / seconds, emulator.cdc().size());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void cdcDeliveryRate() throws Exception {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), emulator.accessToken());
        headers.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), emulator.baseUri().toString());
        headers.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), emulator.org().orgId());
        ManagedChannel channel = Grpc.newChannelBuilder(emulator.pubsub().target(),
                InsecureChannelCredentials.create()).build();
        try {
            PubSubGrpc.PubSubBlockingStub blocking = PubSubGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            PubSubGrpc.PubSubStub async = PubSubGrpc.newStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            Consumer consumer = new Consumer(blocking);
            long start = System.nanoTime();
            consumer.requests = async.subscribe(consumer);
            consumer.requests.onNext(FetchRequest.newBuilder().setTopicName("/data/AccountChangeEvent")
                    .setReplayPreset(ReplayPreset.EARLIEST).setNumRequested(BATCH).build());

            consumer.done.get(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            consumer.requests.onCompleted();
            System.out.printf("  Pub/Sub Subscribe: %,d events received and decoded in %.2f s: %,.0f events/s"
                    + " [target > 50,000/s]; %,d responses, %,d requests of %d, %.0f payload bytes per event%n",
                    consumer.events, seconds, consumer.events / seconds, consumer.responses, consumer.fetches, BATCH,
                    consumer.payloadBytes / (double) consumer.events);
            assertThat(consumer.events).isEqualTo(EVENTS);
            assertThat(consumer.outOfOrder).isZero();
            assertThat(consumer.lastName).isEqualTo("Account " + (EVENTS - 1));
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** A subscriber in the official sample's manner: decode every event, ask for 100 more when owed nothing. */
    private static final class Consumer implements StreamObserver<FetchResponse> {

        final CompletableFuture<Void> done = new CompletableFuture<>();
        final PubSubGrpc.PubSubBlockingStub blocking;
        final Map<String, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
        StreamObserver<FetchRequest> requests;
        BinaryDecoder decoder;
        long events;
        long responses;
        long fetches = 1;
        long payloadBytes;
        long lastReplayId = Long.MIN_VALUE;
        long outOfOrder;
        String lastName;

        Consumer(PubSubGrpc.PubSubBlockingStub blocking) {
            this.blocking = blocking;
        }

        @Override
        public void onNext(FetchResponse response) {
            responses++;
            try {
                for (ConsumerEvent event : response.getEventsList()) {
                    GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(event.getEvent().getSchemaId(),
                            id -> new GenericDatumReader<>(new Schema.Parser().parse(blocking.getSchema(
                                    SchemaRequest.newBuilder().setSchemaId(id).build()).getSchemaJson())));
                    byte[] payload = event.getEvent().getPayload().toByteArray();
                    payloadBytes += payload.length;
                    decoder = DecoderFactory.get().binaryDecoder(payload, decoder);
                    GenericRecord record = reader.read(null, decoder);
                    long replayId = event.getReplayId().asReadOnlyByteBuffer().getLong();
                    if (replayId <= lastReplayId) {
                        outOfOrder++;
                    }
                    lastReplayId = replayId;
                    lastName = String.valueOf(record.get("Name"));
                    events++;
                }
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
                return;
            }
            if (events >= EVENTS) {
                done.complete(null);
            } else if (response.getPendingNumRequested() == 0) {
                fetches++;
                requests.onNext(FetchRequest.newBuilder().setNumRequested(BATCH).build());
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.completeExceptionally(new IllegalStateException("The server ended the stream"));
        }
    }
}
