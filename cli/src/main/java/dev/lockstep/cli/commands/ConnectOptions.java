package dev.lockstep.cli.commands;

import dev.lockstep.cli.connect.ConnectRest;
import picocli.CommandLine.Option;

/** Which Kafka Connect cluster a command talks to: any worker's REST URL. A picocli mixin. */
public final class ConnectOptions {

    @Option(names = "--connect", paramLabel = "URL",
            defaultValue = "${env:LOCKSTEP_CONNECT_URL:-http://localhost:8083}",
            description = "A Kafka Connect worker's REST URL (default: $LOCKSTEP_CONNECT_URL, else "
                    + "http://localhost:8083).")
    String url;

    /** The worker's REST URL as given. */
    public String url() {
        return url;
    }

    public ConnectRest rest() {
        return new ConnectRest(url);
    }
}
