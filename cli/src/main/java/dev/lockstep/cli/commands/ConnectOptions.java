package dev.lockstep.cli.commands;

import dev.lockstep.cli.connect.ConnectRest;
import picocli.CommandLine.Option;

/** Which Kafka Connect cluster a command talks to. */
public final class ConnectOptions {

    @Option(names = "--connect", paramLabel = "URL", defaultValue = "${env:LOCKSTEP_CONNECT_URL:-http://localhost:8083}",
            description = "A Kafka Connect worker's REST URL (default: $LOCKSTEP_CONNECT_URL, else "
                    + "http://localhost:8083).")
    String url;

    public ConnectRest rest() {
        return new ConnectRest(url);
    }
}
