package dev.lockstep.emulator.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.pubsub.proto.ConsumerEvent;
import dev.lockstep.emulator.pubsub.proto.FetchRequest;
import dev.lockstep.emulator.pubsub.proto.FetchResponse;
import dev.lockstep.emulator.pubsub.proto.PubSubGrpc;
import dev.lockstep.emulator.pubsub.proto.ReplayPreset;
import dev.lockstep.emulator.pubsub.proto.SchemaRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * A Pub/Sub API client for the tests, built as Salesforce's Java sample builds one: a gRPC channel, the three
 * authentication headers on every call, schemas fetched with GetSchema and cached by id, payloads read with a
 * {@code GenericDatumReader} over a binary decoder, and bitmap fields expanded with the algorithm of reference
 * §5.4 (written here again, independently of the emulator's encoder).
 */
final class PubSubTestClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    final ManagedChannel channel;
    final PubSubGrpc.PubSubBlockingStub blocking;
    final PubSubGrpc.PubSubStub async;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private PubSubTestClient(ManagedChannel channel, Map<String, String> headers) {
        this.channel = channel;
        Metadata metadata = new Metadata();
        headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        this.blocking = PubSubGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
        this.async = PubSubGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    /** A plaintext client with a fresh session of the admin user. */
    static PubSubTestClient connect(Emulator emulator) {
        return connect(emulator, auth(emulator, emulator.accessToken()));
    }

    static PubSubTestClient connect(Emulator emulator, Map<String, String> headers) {
        return new PubSubTestClient(Grpc.newChannelBuilder(emulator.pubsub().target(),
                InsecureChannelCredentials.create()).build(), headers);
    }

    /** A client over TLS with the given channel credentials. */
    static PubSubTestClient connectTls(Emulator emulator, ChannelCredentials credentials) {
        return new PubSubTestClient(Grpc.newChannelBuilder(emulator.pubsub().tlsTarget(), credentials).build(),
                auth(emulator, emulator.accessToken()));
    }

    /** The headers the official clients send, spelled as the Java sample spells them. */
    static Map<String, String> auth(Emulator emulator, String token) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("accessToken", token);
        headers.put("instanceUrl", emulator.baseUri().toString());
        headers.put("tenantId", emulator.org().orgId());
        return headers;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ subscribing

    static FetchRequest first(String topic, ReplayPreset preset, int n) {
        return FetchRequest.newBuilder().setTopicName(topic).setReplayPreset(preset).setNumRequested(n).build();
    }

    static FetchRequest after(String topic, long replayId, int n) {
        return FetchRequest.newBuilder().setTopicName(topic).setReplayPreset(ReplayPreset.CUSTOM)
                .setReplayId(replayId(replayId)).setNumRequested(n).build();
    }

    static ByteString replayId(long id) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array());
    }

    static long replayId(ByteString bytes) {
        assertThat(bytes.size()).as("replay ids are 8 bytes").isEqualTo(8);
        return bytes.asReadOnlyByteBuffer().getLong();
    }

    /** Opens a Subscribe call and sends its first request. */
    Subscription subscribe(FetchRequest first) {
        Subscription s = new Subscription();
        s.requests = async.subscribe(s);
        s.requests.onNext(first);
        return s;
    }

    /** One Subscribe call: what arrived, in order, and how it ended. */
    static final class Subscription implements StreamObserver<FetchResponse> {

        final BlockingQueue<FetchResponse> responses = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> ended = new CompletableFuture<>();
        StreamObserver<FetchRequest> requests;

        @Override
        public void onNext(FetchResponse response) {
            responses.add(response);
        }

        @Override
        public void onError(Throwable t) {
            ended.complete(t);
        }

        @Override
        public void onCompleted() {
            ended.complete(null);
        }

        void request(int n) {
            requests.onNext(FetchRequest.newBuilder().setNumRequested(n).build());
        }

        void send(FetchRequest request) {
            requests.onNext(request);
        }

        /** The next response, waiting at most {@code wait}. */
        FetchResponse next(Duration wait) {
            try {
                FetchResponse response = responses.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(response).as("a FetchResponse within %s", wait).isNotNull();
                return response;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        FetchResponse next() {
            return next(WAIT);
        }

        /** Responses until {@code count} events arrived; fails if more than that arrive in them. */
        List<FetchResponse> untilEvents(int count) {
            List<FetchResponse> got = new ArrayList<>();
            int events = 0;
            while (events < count) {
                FetchResponse r = next();
                got.add(r);
                events += r.getEventsCount();
            }
            assertThat(events).as("events delivered").isEqualTo(count);
            return got;
        }

        List<ConsumerEvent> events(int count) {
            return untilEvents(count).stream().flatMap(r -> r.getEventsList().stream()).toList();
        }

        /** Asserts that no response arrives within {@code wait} (a bounded wait, not a sleep). */
        void nothingWithin(Duration wait) {
            try {
                FetchResponse response = responses.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(response).as("no response expected").isNull();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Discards what arrives until nothing has arrived for {@code quiet}. */
        void drain(Duration quiet) {
            try {
                while (responses.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) != null) {
                    // discard
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** How the call ended: the error it ended with. */
        StatusRuntimeException error(Duration wait) {
            try {
                Throwable t = ended.get(wait.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(t).as("the stream ended with an error").isInstanceOf(StatusRuntimeException.class);
                return (StatusRuntimeException) t;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("the stream did not end within " + wait, e);
            }
        }

        StatusRuntimeException error() {
            return error(WAIT);
        }

        void cancel() {
            requests.onError(Status.CANCELLED.asRuntimeException());
        }
    }

    // ------------------------------------------------------------------------------------------ decoding

    Schema schema(String schemaId) {
        return schemas.computeIfAbsent(schemaId, id -> new Schema.Parser().parse(
                blocking.getSchema(SchemaRequest.newBuilder().setSchemaId(id).build()).getSchemaJson()));
    }

    /** The event's payload read with its writer schema, as CommonContext.deserialize does. */
    GenericRecord decode(ConsumerEvent event) {
        Schema schema = schema(event.getEvent().getSchemaId());
        try {
            GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema);
            var decoder = DecoderFactory.get().binaryDecoder(event.getEvent().getPayload().toByteArray(), null);
            GenericRecord record = reader.read(null, decoder);
            assertThat(decoder.isEnd()).as("the payload is exactly one datum").isTrue();
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GenericRecord header(GenericRecord event) {
        return (GenericRecord) event.get("ChangeEventHeader");
    }

    /** The raw strings of a bitmap header field. */
    static List<String> raw(GenericRecord event, String field) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) header(event).get(field)) {
            out.add(o.toString());
        }
        return out;
    }

    /** Reference §5.4's decoder: element 0 over top-level fields, {@code idx-0x..} over a compound's fields. */
    static List<String> expand(Schema schema, List<String> bitmaps) {
        List<String> out = new ArrayList<>();
        if (!bitmaps.isEmpty() && bitmaps.get(0).startsWith("0x")) {
            BigInteger n = new BigInteger(bitmaps.get(0).substring(2), 16);
            for (int i = 0; i < n.bitLength() && i < schema.getFields().size(); i++) {
                if (n.testBit(i)) {
                    out.add(schema.getFields().get(i).name());
                }
            }
        }
        for (String entry : bitmaps) {
            int dash = entry.indexOf('-');
            if (dash < 0) {
                continue;
            }
            Schema.Field parent = schema.getFields().get(Integer.parseInt(entry.substring(0, dash)));
            Schema child = null;
            for (Schema branch : parent.schema().getTypes()) {
                if (branch.getType() == Schema.Type.RECORD) {
                    child = branch;
                }
            }
            assertThat(child).as("%s is a compound", parent.name()).isNotNull();
            BigInteger n = new BigInteger(entry.substring(dash + 3), 16);
            for (int i = 0; i < n.bitLength() && i < child.getFields().size(); i++) {
                if (n.testBit(i)) {
                    out.add(parent.name() + "." + child.getFields().get(i).name());
                }
            }
        }
        return out;
    }

    /** A header bitmap field of a decoded event, expanded into field names. */
    List<String> names(ConsumerEvent event, GenericRecord decoded, String field) {
        return expand(schema(event.getEvent().getSchemaId()), raw(decoded, field));
    }

    static String errorCode(StatusRuntimeException e) {
        return e.getTrailers() == null ? null : e.getTrailers().get(PubSubErrors.ERROR_CODE);
    }

    static String rpcId(StatusRuntimeException e) {
        return e.getTrailers() == null ? null : e.getTrailers().get(PubSubErrors.RPC_ID);
    }

    /** Asserts Salesforce's error shape: status, error-code trailer, rpc-id trailer repeated in the message. */
    static void assertError(StatusRuntimeException e, Status.Code code, String errorCode) {
        assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(code);
        assertThat(errorCode(e)).as(e.toString()).isEqualTo(errorCode);
        assertThat(rpcId(e)).isNotBlank();
        assertThat(e.getStatus().getDescription()).endsWith("rpcId: " + rpcId(e));
    }
}
