package dev.lockstep.source;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/** Configuration of {@link SalesforceSourceConnector}, parsed once into typed fields. */
public final class SalesforceSourceConnectorConfig extends AbstractConfig {

    private static final String GROUP_TOPICS = "Topics";

    public static final String TOPIC_PREFIX_CONFIG = "topic.prefix";
    private static final String TOPIC_PREFIX_DOC =
            "Prefix of the topic each Salesforce object's changes go to: '<prefix>.<ObjectApiName>'.";
    public static final String TOPIC_PREFIX_DEFAULT = "lockstep";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(TOPIC_PREFIX_CONFIG, ConfigDef.Type.STRING, TOPIC_PREFIX_DEFAULT,
                    new ConfigDef.NonEmptyStringWithoutControlChars(), ConfigDef.Importance.HIGH, TOPIC_PREFIX_DOC,
                    GROUP_TOPICS, 1, ConfigDef.Width.MEDIUM, "Topic prefix");

    private final String topicPrefix;

    public SalesforceSourceConnectorConfig(Map<?, ?> originals) {
        super(CONFIG_DEF, originals);
        this.topicPrefix = getString(TOPIC_PREFIX_CONFIG);
    }

    public String topicPrefix() {
        return topicPrefix;
    }
}
