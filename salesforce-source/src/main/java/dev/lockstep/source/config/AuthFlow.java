package dev.lockstep.source.config;

/** How the connector logs in to Salesforce ({@code salesforce.auth.flow}). */
public enum AuthFlow implements ConfigEnum {
    /** JWT bearer: the connected app's certificate signs an assertion; no secret or password is stored. */
    JWT,

    /** Client credentials: the connected app's consumer key and secret, run as its "Run As" user. */
    CLIENT_CREDENTIALS,

    /** A refresh token obtained once, interactively. */
    REFRESH_TOKEN,

    /** Username and password plus security token; deprecated by Salesforce. */
    PASSWORD;

    @Override
    public String value() {
        return ConfigEnum.valueOf(this);
    }

    /**
     * The constant written as {@code text} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static AuthFlow parse(String text) {
        return ConfigEnum.parse(AuthFlow.class, text);
    }
}
