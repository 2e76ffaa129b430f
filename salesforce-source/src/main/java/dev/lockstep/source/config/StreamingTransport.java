package dev.lockstep.source.config;

/** Which Salesforce API delivers change events ({@code streaming.transport}). */
public enum StreamingTransport implements ConfigEnum {
    /** The Pub/Sub API (gRPC): the default. */
    PUBSUB,

    /** The Streaming API (CometD): the fallback where gRPC cannot pass. */
    COMETD;

    @Override
    public String value() {
        return ConfigEnum.valueOf(this);
    }

    /**
     * The constant written as {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static StreamingTransport parse(String text) {
        return ConfigEnum.parse(StreamingTransport.class, text);
    }
}
