package dev.lockstep.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingException;
import dev.lockstep.cli.mapping.MappingFile;
import dev.lockstep.cli.output.Output;
import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.http.RetryPolicy;
import dev.lockstep.source.config.SalesforceConnectionConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a command reaches Salesforce: a properties file with the source connector's connection keys
 * ({@code salesforce.login.url}, {@code salesforce.auth.flow}, {@code salesforce.client.id}, ...), so secrets stay
 * out of the command line and the same file serves the connector configuration. A picocli mixin.
 */
public final class SalesforceOptions {

    static final String ENV = "LOCKSTEP_SALESFORCE";
    private static final RetryPolicy COMMAND_RETRIES = new RetryPolicy(2, Duration.ofMillis(500),
            Duration.ofSeconds(2));

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--salesforce", paramLabel = "FILE",
            description = "Properties file with the Salesforce connection keys of the source connector "
                    + "(salesforce.login.url, salesforce.auth.flow, salesforce.client.id, salesforce.client.secret, "
                    + "...; see docs/configuration.md). Default: the file named by $" + ENV + ".")
    Path file;

    /** Whether a file is named, by {@code --salesforce} or {@code $LOCKSTEP_SALESFORCE}. */
    public boolean given() {
        return path() != null;
    }

    /** The file, or null when none is named. */
    public Path path() {
        if (file != null) {
            return file;
        }
        String value = System.getenv(ENV);
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    /** The {@code salesforce.*} keys of the file, as given. */
    public Map<String, String> properties() {
        Path path = path();
        if (path == null) {
            throw new ParameterException(spec.commandLine(), "Missing --salesforce FILE (or $" + ENV + "): a "
                    + "properties file with salesforce.login.url, salesforce.auth.flow and the credentials");
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "Cannot read --salesforce " + path + ": " + e);
        }
        Map<String, String> keys = new TreeMap<>();
        props.stringPropertyNames().stream().filter(k -> k.startsWith("salesforce."))
                .forEach(k -> keys.put(k, props.getProperty(k).trim()));
        if (keys.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--salesforce " + path + " holds no salesforce.* key; "
                    + "it needs at least salesforce.login.url, salesforce.auth.flow and the flow's credentials");
        }
        return keys;
    }

    /** The connection the file describes; a key with a bad value is a usage error naming the file and the key. */
    public SalesforceConnectionConfig connection() {
        Map<String, String> properties = properties();
        try {
            return new SalesforceConnectionConfig(
                    new AbstractConfig(SalesforceConnectionConfig.configDef(), properties, false));
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), "--salesforce " + path() + ": " + e.getMessage());
        }
    }

    /**
     * A client logged in lazily with these properties; the caller closes it. A command retries a failing call
     * twice, briefly, rather than the connector's minutes-long backoff: someone is waiting for the answer.
     */
    public SalesforceClient client() {
        return SalesforceClient.create(connection().clientConfig().withRetry(COMMAND_RETRIES));
    }

    /**
     * Logs in, then reads the describe of every object of a mapping file, reporting progress. An object Salesforce
     * does not have (or the user cannot see) is a mapping problem on that mapping's {@code object_name}.
     *
     * @param source how mapping problems name the file
     * @return the describe of each object, by the name the mapping file gives it
     * @throws MappingException listing every mapped object Salesforce does not have
     * @throws CommandFailure when logging in or reading a describe fails otherwise
     */
    public Map<String, JsonNode> describes(SalesforceClient client, MappingFile file, String source, Output output)
            throws MappingException {
        SalesforceConnectionConfig connection = connection();
        output.progress("logging in to Salesforce at " + connection.loginUrl());
        try {
            client.session().token();
        } catch (SalesforceException e) {
            throw new CommandFailure("Cannot log in to Salesforce at " + connection.loginUrl() + ": "
                    + e.getMessage() + "; check the connection keys in " + path(), e);
        }
        List<String> objects = file.mappings().stream().map(Mapping::objectName).distinct().toList();
        Map<String, JsonNode> describes = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            String object = objects.get(i);
            output.progress("reading the describe of " + object + " (" + (i + 1) + "/" + objects.size() + ")");
            try {
                describes.put(object, client.rest().describe(object));
            } catch (SalesforceException e) {
                if (e.httpStatus() != 404) {
                    throw new CommandFailure("Salesforce did not give the describe of " + object + ": "
                            + e.getMessage(), e);
                }
                file.mappings().stream().filter(m -> m.objectName().equals(object)).forEach(m -> problems.add(
                        m.describe() + ": object_name: Salesforce has no object " + object + " (or the integration"
                        + " user cannot see it); check the API name (custom objects end in __c) and the user's"
                        + " object permissions"));
            }
        }
        if (!problems.isEmpty()) {
            throw new MappingException(problems).in(source);
        }
        return describes;
    }
}
