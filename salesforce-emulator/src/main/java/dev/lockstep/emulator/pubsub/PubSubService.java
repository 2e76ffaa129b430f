package dev.lockstep.emulator.pubsub;

import dev.lockstep.emulator.cdc.ChannelNotFoundException;
import dev.lockstep.emulator.cdc.EventSchemas;
import dev.lockstep.emulator.pubsub.proto.Error;
import dev.lockstep.emulator.pubsub.proto.ErrorCode;
import dev.lockstep.emulator.pubsub.proto.FetchRequest;
import dev.lockstep.emulator.pubsub.proto.FetchResponse;
import dev.lockstep.emulator.pubsub.proto.ManagedFetchRequest;
import dev.lockstep.emulator.pubsub.proto.ManagedFetchResponse;
import dev.lockstep.emulator.pubsub.proto.ProducerEvent;
import dev.lockstep.emulator.pubsub.proto.PubSubGrpc;
import dev.lockstep.emulator.pubsub.proto.PublishRequest;
import dev.lockstep.emulator.pubsub.proto.PublishResponse;
import dev.lockstep.emulator.pubsub.proto.PublishResult;
import dev.lockstep.emulator.pubsub.proto.SchemaInfo;
import dev.lockstep.emulator.pubsub.proto.SchemaRequest;
import dev.lockstep.emulator.pubsub.proto.TopicInfo;
import dev.lockstep.emulator.pubsub.proto.TopicRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code eventbus.v1.PubSub} service over the emulator's Change Data Capture bus. Every topic is a CDC
 * channel ({@code /data/ChangeEvents}, {@code /data/<Entity>ChangeEvent}, {@code /data/<Name>__chn}): they can be
 * subscribed to, not published to. Authentication, counters and faults happen before these methods, in
 * {@link CallGate}; the call's rpc id comes from there.
 *
 * <ul>
 *   <li>{@code GetTopic}: the org id as tenant, {@code can_publish} false, {@code can_subscribe} true, and the
 *       entity's current schema id. A channel carrying several entities has no single schema: its schema id is
 *       empty, and each event names its own.</li>
 *   <li>{@code GetSchema}: the Avro schema JSON of any schema id an event or a topic carried.</li>
 *   <li>{@code Publish}, {@code PublishStream}: change events are published by the platform alone, so each event
 *       of a request comes back with its own {@code PUBLISH} error (and no replay id), as a rejected event
 *       does; the call itself succeeds. Unknown topics fail the call ({@code NOT_FOUND}).</li>
 *   <li>{@code ManagedSubscribe}: {@code UNIMPLEMENTED} (managed event subscriptions are a beta that needs
 *       Tooling API records the emulator does not have).</li>
 *   <li>{@code Subscribe}: see {@link SubscribeStream}.</li>
 * </ul>
 */
final class PubSubService extends PubSubGrpc.PubSubImplBase {

    private final PubSubServer server;

    PubSubService(PubSubServer server) {
        this.server = server;
    }

    static String topicNotFound(String topic) {
        return "The topic " + topic + " doesn't exist, or its entity isn't selected for Change Data Capture.";
    }

    private static String rpcId() {
        return CallGate.RPC_ID.get();
    }

    @Override
    public void getTopic(TopicRequest request, StreamObserver<TopicInfo> responses) {
        String rpcId = rpcId();
        String name = request.getTopicName();
        try {
            Set<String> entities = entities(name, rpcId);
            responses.onNext(TopicInfo.newBuilder().setTopicName(name).setTenantGuid(server.orgId())
                    .setCanPublish(false).setCanSubscribe(true).setSchemaId(schemaId(entities)).setRpcId(rpcId)
                    .build());
            responses.onCompleted();
        } catch (StatusRuntimeException e) {
            responses.onError(e);
        }
    }

    /** The entities of a topic, or the call's error. */
    private Set<String> entities(String name, String rpcId) {
        if (name.isBlank()) {
            throw PubSubErrors.error(Status.Code.INVALID_ARGUMENT, PubSubErrors.TOPIC_VALIDATION_EMPTY,
                    "The topic name is required.", rpcId);
        }
        try {
            return server.cdc().entitiesOf(name);
        } catch (ChannelNotFoundException e) {
            throw PubSubErrors.error(Status.Code.NOT_FOUND, PubSubErrors.TOPIC_NOT_FOUND, topicNotFound(name), rpcId);
        }
    }

    private String schemaId(Set<String> entities) {
        return entities.size() == 1 ? server.cdc().schemaOf(entities.iterator().next()).id() : "";
    }

    @Override
    public void getSchema(SchemaRequest request, StreamObserver<SchemaInfo> responses) {
        String rpcId = rpcId();
        String id = request.getSchemaId();
        if (id.isBlank()) {
            responses.onError(PubSubErrors.error(Status.Code.INVALID_ARGUMENT, PubSubErrors.SCHEMA_VALIDATION_FAILED,
                    "The schema ID is required.", rpcId));
            return;
        }
        Optional<EventSchemas.EventSchema> schema = server.cdc().schemas().byId(id);
        if (schema.isEmpty()) {
            responses.onError(PubSubErrors.error(Status.Code.NOT_FOUND, PubSubErrors.SCHEMA_VALIDATION_FAILED,
                    "No schema has the ID " + id + ".", rpcId));
            return;
        }
        responses.onNext(SchemaInfo.newBuilder().setSchemaJson(schema.get().json()).setSchemaId(id).setRpcId(rpcId)
                .build());
        responses.onCompleted();
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> responses) {
        String rpcId = rpcId();
        try {
            if (request.getTopicName().isBlank()) {
                throw PubSubErrors.error(Status.Code.INVALID_ARGUMENT, PubSubErrors.PUBLISH_TOPIC_EMPTY,
                        "The topic name is required.", rpcId);
            }
            responses.onNext(refused(request, request.getTopicName(), rpcId));
            responses.onCompleted();
        } catch (StatusRuntimeException e) {
            responses.onError(e);
        }
    }

    /** One PUBLISH error per event: a change event channel takes no published events. */
    private PublishResponse refused(PublishRequest request, String topic, String rpcId) {
        Set<String> entities = entities(topic, rpcId);
        PublishResponse.Builder response = PublishResponse.newBuilder().setSchemaId(schemaId(entities))
                .setRpcId(rpcId);
        for (ProducerEvent event : request.getEventsList()) {
            response.addResults(PublishResult.newBuilder().setCorrelationKey(event.getId()).setError(Error.newBuilder()
                    .setCode(ErrorCode.PUBLISH).setMsg("Change Data Capture events can't be published: " + topic
                            + " is published by Salesforce only.")));
        }
        return response.build();
    }

    @Override
    public StreamObserver<PublishRequest> publishStream(StreamObserver<PublishResponse> responses) {
        String rpcId = rpcId();
        // Requests of one call arrive one at a time (gRPC serializes a call's callbacks), so plain fields do.
        return new StreamObserver<>() {
            private String topic;
            private boolean ended;

            @Override
            public void onNext(PublishRequest request) {
                if (ended) {
                    return;
                }
                try {
                    String name = request.getTopicName();
                    if (topic == null) {
                        if (name.isBlank()) {
                            throw PubSubErrors.error(Status.Code.INVALID_ARGUMENT, PubSubErrors.PUBLISH_TOPIC_EMPTY,
                                    "The first PublishRequest must name a topic.", rpcId);
                        }
                        entities(name, rpcId);
                        topic = name;
                    } else if (!name.isEmpty() && !name.equals(topic)) {
                        throw PubSubErrors.error(Status.Code.INVALID_ARGUMENT, PubSubErrors.PUBLISH_TOPIC_MISMATCH,
                                "The topic name " + name + " doesn't match the stream's topic " + topic + ".", rpcId);
                    }
                    responses.onNext(refused(request, topic, rpcId));
                } catch (StatusRuntimeException e) {
                    ended = true;
                    responses.onError(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                ended = true;
            }

            @Override
            public void onCompleted() {
                if (!ended) {
                    ended = true;
                    responses.onCompleted();
                }
            }
        };
    }

    @Override
    public StreamObserver<ManagedFetchRequest> managedSubscribe(StreamObserver<ManagedFetchResponse> responses) {
        responses.onError(PubSubErrors.error(Status.Code.UNIMPLEMENTED, null, "ManagedSubscribe isn't supported by"
                + " the emulator: use Subscribe.", rpcId()));
        return new StreamObserver<>() {
            @Override
            public void onNext(ManagedFetchRequest value) {}

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        };
    }

    @Override
    public StreamObserver<FetchRequest> subscribe(StreamObserver<FetchResponse> responses) {
        return server.open((ServerCallStreamObserver<FetchResponse>) responses, rpcId(),
                CallGate.SESSION.get().accessToken());
    }
}
