package dev.lockstep.cli.connect;

import java.util.Map;
import java.util.Objects;

/**
 * Where a mapping file is deployed: the names, the Salesforce connection and the Postgres database the generated
 * connector configurations point at.
 *
 * @param name the prefix of every connector name, e.g. {@code lockstep}
 * @param topicPrefix the source connector's {@code topic.prefix}; topics are {@code <topicPrefix>.<Object>}
 * @param salesforce the source connector's Salesforce connection keys ({@code salesforce.*}, e.g.
 *     {@code salesforce.login.url}, {@code salesforce.auth.flow}, {@code salesforce.client.id}), given as they are
 * @param jdbcUrl the Postgres JDBC URL; {@code ApplicationName} is set to {@value #APPLICATION_NAME} unless given
 * @param postgresUser the Postgres user
 * @param postgresPassword the Postgres password
 * @param replicationFactor the replication factor of the topics the connectors create, or {@value
 *     #BROKER_DEFAULT_REPLICATION} for the brokers' {@code default.replication.factor}
 * @param sourceTasks the source connector's {@code tasks.max}
 */
public record Deployment(String name, String topicPrefix, Map<String, String> salesforce, String jdbcUrl,
        String postgresUser, String postgresPassword, int replicationFactor, int sourceTasks) {

    /**
     * The Postgres application name of the sync's own connections. Triggers of read-write tables recognise the
     * sync's writes by it, so they are never sent back to Salesforce.
     */
    public static final String APPLICATION_NAME = "lockstep-sync";

    /** The replication factor Kafka Connect reads as "the brokers' {@code default.replication.factor}". */
    public static final int BROKER_DEFAULT_REPLICATION = -1;

    public Deployment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        salesforce = Map.copyOf(salesforce);
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (replicationFactor < 1 && replicationFactor != BROKER_DEFAULT_REPLICATION) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, or "
                    + BROKER_DEFAULT_REPLICATION + " for the brokers' default.replication.factor");
        }
        if (sourceTasks < 1) {
            throw new IllegalArgumentException("sourceTasks must be at least 1");
        }
    }

    /** The dead-letter topic of the Postgres sinks: records they could not convert, with the reason in headers. */
    public String postgresDeadLetterTopic() {
        return topicPrefix + ".postgres.dlq";
    }

    /** The JDBC URL with the sync's {@code ApplicationName}, unless the URL names one already. */
    public String syncJdbcUrl() {
        if (jdbcUrl.contains("ApplicationName=")) {
            return jdbcUrl;
        }
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "ApplicationName=" + APPLICATION_NAME;
    }
}
