package dev.lockstep.cli.commands;

import dev.lockstep.salesforce.client.SalesforceClient;
import dev.lockstep.source.config.SalesforceConnectionConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How a command reaches Salesforce: a properties file with the source connector's connection keys
 * ({@code salesforce.login.url}, {@code salesforce.auth.flow}, {@code salesforce.client.id}, ...), so secrets stay
 * out of the command line and the same file serves the connector configuration. A picocli mixin.
 */
public final class SalesforceOptions {

    static final String ENV = "LOCKSTEP_SALESFORCE";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--salesforce", paramLabel = "FILE",
            description = "Properties file with the Salesforce connection keys of the source connector "
                    + "(salesforce.login.url, salesforce.auth.flow, salesforce.client.id, ...; see "
                    + "docs/configuration.md). Default: the file named by $" + ENV + ".")
    Path file;

    /** The {@code salesforce.*} keys of the file, as given. */
    public Map<String, String> properties() {
        Path path = file != null ? file : envPath();
        if (path == null) {
            throw new ParameterException(spec.commandLine(), "Missing --salesforce FILE (or $" + ENV + "): a "
                    + "properties file with salesforce.login.url, salesforce.auth.flow and the credentials");
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "Cannot read --salesforce " + path + ": " + e.getMessage());
        }
        Map<String, String> keys = new TreeMap<>();
        props.stringPropertyNames().stream().filter(k -> k.startsWith("salesforce."))
                .forEach(k -> keys.put(k, props.getProperty(k).trim()));
        return keys;
    }

    /** A client logged in lazily with these properties; the caller closes it. */
    public SalesforceClient client() {
        SalesforceConnectionConfig connection = new SalesforceConnectionConfig(
                new AbstractConfig(SalesforceConnectionConfig.configDef(), properties(), false));
        return SalesforceClient.create(connection.clientConfig());
    }

    private static Path envPath() {
        String value = System.getenv(ENV);
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
