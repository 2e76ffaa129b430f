package dev.lockstep.salesforce.client.pubsub;

/**
 * A Pub/Sub topic as {@code GetTopic} describes it. {@code schemaId} is the topic's current schema (empty for a
 * channel of several entities, whose events each name their own). Immutable.
 */
public record Topic(String name, String tenantGuid, boolean canPublish, boolean canSubscribe, String schemaId) {}
