package dev.lockstep.source.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The field validators of the Salesforce configuration keys. Each {@code toString()} says what is accepted, as the
 * configuration reference prints it.
 */
final class Validators {

    /** A Salesforce API name: letters, digits and underscores, starting with a letter, not ending with one. */
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z](?:[A-Za-z0-9_]*[A-Za-z0-9])?");
    private static final Pattern API_VERSION = Pattern.compile("[1-9][0-9]\\.0");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?");

    private Validators() {}

    /** True when {@code name} can be a Salesforce object or field API name. */
    static boolean isApiName(String name) {
        return name != null && API_NAME.matcher(name).matches();
    }

    /** An absolute http or https URL with a host; null is accepted when {@code optional}. */
    static ConfigDef.Validator httpUrl(boolean optional) {
        return validator((name, value) -> {
            if (value == null) {
                if (!optional) {
                    throw new ConfigException(name, null, "must be an absolute http(s) URL");
                }
                return;
            }
            String text = value.toString().trim();
            try {
                URI uri = new URI(text);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("https") && !scheme.equals("http")) {
                    throw new ConfigException(name, value, "must be an absolute http(s) URL such as "
                            + "https://login.salesforce.com or https://<my-domain>.my.salesforce.com");
                }
                if (uri.getHost() == null || uri.getHost().isEmpty()) {
                    throw new ConfigException(name, value, "has no host name; write it as https://<host>");
                }
                if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                    throw new ConfigException(name, value, "must be a plain URL without user info, query or "
                            + "fragment");
                }
            } catch (URISyntaxException e) {
                throw new ConfigException(name, value, "is not a URL: " + e.getReason());
            }
        }, (optional ? "empty or " : "") + "an absolute http(s) URL, e.g. https://login.salesforce.com");
    }

    /** A Salesforce API version, {@code NN.0}. */
    static ConfigDef.Validator apiVersion() {
        return validator((name, value) -> {
            if (value == null || !API_VERSION.matcher(value.toString().trim()).matches()) {
                throw new ConfigException(name, value, "must be a Salesforce API version of the form NN.0, "
                        + "e.g. 61.0");
            }
        }, "a Salesforce API version NN.0, e.g. 61.0");
    }

    /** {@code host:port}, the host a name, an IPv4 address or a bracketed IPv6 address. */
    static ConfigDef.Validator hostPort() {
        return validator((name, value) -> {
            String text = value == null ? "" : value.toString().trim();
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new ConfigException(name, value, "must be host:port, e.g. api.pubsub.salesforce.com:7443");
            }
            String host = text.substring(0, colon);
            boolean hostOk = host.startsWith("[") && host.endsWith("]") && host.length() > 2
                    ? host.substring(1, host.length() - 1).matches("[0-9A-Fa-f:.]+")
                    : HOST.matcher(host).matches();
            if (!hostOk) {
                throw new ConfigException(name, value, "has no valid host before the port; write host:port, "
                        + "e.g. api.pubsub.salesforce.com:7443");
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new ConfigException(name, value, "has no valid port (1 to 65535) after the colon");
            }
        }, "host:port, e.g. api.pubsub.salesforce.com:7443");
    }

    /** A share from 0 (inclusive) to 1 (exclusive). */
    static ConfigDef.Validator shareBelowOne() {
        return validator((name, value) -> {
            double share = value instanceof Number n ? n.doubleValue() : Double.NaN;
            if (!(share >= 0 && share < 1)) {
                throw new ConfigException(name, value, "must be at least 0 and below 1, e.g. 0.2 for 20%");
            }
        }, "0 <= x < 1");
    }

    /** A non-empty list of distinct Salesforce object API names. */
    static ConfigDef.Validator objectNames() {
        return validator((name, value) -> {
            if (value == null) {
                return; // a missing required key: ConfigDef reports that itself
            }
            List<String> names = list(name, value);
            if (names.isEmpty()) {
                throw new ConfigException(name, value, "must name at least one Salesforce object, "
                        + "e.g. Account,Contact,Invoice__c");
            }
            Set<String> seen = new HashSet<>();
            for (String object : names) {
                if (!isApiName(object)) {
                    throw new ConfigException(name, value, "'" + object + "' is not a Salesforce object API name "
                            + "(letters, digits and underscores, starting with a letter, e.g. Invoice__c)");
                }
                if (!seen.add(object.toLowerCase(Locale.ROOT))) {
                    throw new ConfigException(name, value, "names " + object + " twice");
                }
            }
        }, "non-empty list of Salesforce object API names, e.g. Account,Contact,Invoice__c");
    }

    /** A list, possibly empty, of distinct object API names (no syntax beyond that; membership is checked later). */
    static ConfigDef.Validator optionalObjectNames() {
        return validator((name, value) -> {
            Set<String> seen = new HashSet<>();
            for (String object : list(name, value)) {
                if (!isApiName(object)) {
                    throw new ConfigException(name, value, "'" + object + "' is not a Salesforce object API name "
                            + "(letters, digits and underscores, starting with a letter, e.g. Invoice__c)");
                }
                if (!seen.add(object.toLowerCase(Locale.ROOT))) {
                    throw new ConfigException(name, value, "names " + object + " twice");
                }
            }
        }, "list of Salesforce object API names, may be empty");
    }

    /** A list, possibly empty, of {@code Object.Field} entries; with {@code wildcard}, also {@code Object.*}. */
    static ConfigDef.Validator fieldNames(boolean wildcard) {
        return validator((name, value) -> {
            for (String entry : list(name, value)) {
                int dot = entry.indexOf('.');
                String object = dot < 0 ? entry : entry.substring(0, dot);
                String field = dot < 0 ? "" : entry.substring(dot + 1);
                boolean fieldOk = isApiName(field) || (wildcard && field.equals("*"));
                if (dot < 0 || !isApiName(object) || !fieldOk) {
                    throw new ConfigException(name, value, "'" + entry + "' is not Object.Field"
                            + (wildcard ? " or Object.*" : "") + " with Salesforce API names, e.g. Account.Name");
                }
            }
        }, wildcard ? "list of Object.Field or Object.*, may be empty" : "list of Object.Field, may be empty");
    }

    private static List<String> list(String name, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items)) {
            throw new ConfigException(name, value, "must be a comma-separated list");
        }
        return items.stream().map(item -> String.valueOf(item).trim()).toList();
    }

    private static ConfigDef.Validator validator(java.util.function.BiConsumer<String, Object> check,
            String description) {
        return ConfigDef.LambdaValidator.with(check, () -> description);
    }
}
