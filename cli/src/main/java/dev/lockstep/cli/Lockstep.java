package dev.lockstep.cli;

import dev.lockstep.common.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lockstep} command. */
@Command(name = "lockstep", mixinStandardHelpOptions = true, versionProvider = Lockstep.VersionProvider.class,
        description = "Keeps Salesforce and Postgres in sync through Kafka Connect.")
public final class Lockstep implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Lockstep()).execute(args));
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lockstep " + Version.get()};
        }
    }
}
