package dev.lockstep.source.config;

import java.util.HashMap;
import java.util.Map;

/** Configurations the tests start from and change one key at a time. */
final class ConfigFixtures {

    static final String MY_DOMAIN = "https://acme.my.salesforce.com";

    private ConfigFixtures() {}

    /** A valid client-credentials configuration with only the required keys. */
    static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put("salesforce.login.url", MY_DOMAIN);
        props.put("salesforce.auth.flow", "client_credentials");
        props.put("salesforce.client.id", "3MVG9-consumer-key");
        props.put("salesforce.client.secret", "consumer-secret-1");
        props.put("object.include.list", "Account,Contact,Invoice__c");
        return props;
    }

    /** {@link #minimal()} with {@code key} set to {@code value}, or removed when {@code value} is null. */
    static Map<String, String> with(String key, String value) {
        return with(minimal(), key, value);
    }

    static Map<String, String> with(Map<String, String> props, String key, String value) {
        Map<String, String> copy = new HashMap<>(props);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    /** The connection keys of a flow, with every key it needs; the source keys of {@link #minimal()}. */
    static Map<String, String> flow(String flow) {
        Map<String, String> props = minimal();
        props.remove("salesforce.client.secret");
        props.put("salesforce.auth.flow", flow);
        switch (flow) {
            case "jwt" -> {
                props.put("salesforce.login.url", "https://login.salesforce.com");
                props.put("salesforce.username", "integration@acme.example");
                props.put("salesforce.jwt.private.key", "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----");
            }
            case "client_credentials" -> props.put("salesforce.client.secret", "consumer-secret-1");
            case "refresh_token" -> props.put("salesforce.refresh.token", "5Aep861-refresh");
            case "password" -> {
                props.put("salesforce.username", "integration@acme.example");
                props.put("salesforce.password", "pa55wordTOKEN");
                props.put("salesforce.client.secret", "consumer-secret-1");
            }
            default -> throw new IllegalArgumentException(flow);
        }
        return props;
    }
}
