package dev.lockstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.testing.Cli;
import org.junit.jupiter.api.Test;

/** What every command of this release does the same way: help, usage errors, failures. */
class CommandConventionsTest {

    @Test
    void everyCommandHasHelpListingItsExitCodes() {
        for (String command : new String[] {"deploy", "plan", "import-heroku-connect", "status", "reconcile"}) {
            Cli run = Cli.run(command, "--help");
            assertThat(run.exit()).as(command).isZero();
            assertThat(run.out()).as(command).contains("Usage: lockstep " + command).contains("Exit codes:");
        }
    }

    @Test
    void aMissingRequiredOptionIsAUsageErrorNamingIt() {
        Cli run = Cli.run("deploy", "--postgres", "jdbc:postgresql://localhost/app");
        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_USAGE);
        assertThat(run.err()).contains("--mapping");
    }

    @Test
    void aFailureIsOneMessageWithoutStackTraceAndExitsOne() {
        Cli run = Cli.run("plan", "--mapping", "does-not-exist.json", "--salesforce", "nothing.properties");
        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_FAILURE);
        assertThat(run.err()).contains("lockstep plan: No mapping file does-not-exist.json").doesNotContain("\tat ");
    }

    @Test
    void aSalesforceFileThatCannotBeReadIsAUsageErrorNamingIt() {
        Cli run = Cli.run("import-heroku-connect", "src/test/resources/mappings/heroku-connect-export.json",
                "--salesforce", "no-such.properties");
        assertThat(run.exit()).isEqualTo(Lockstep.EXIT_USAGE);
        assertThat(run.err()).contains("Cannot read --salesforce no-such.properties");
    }
}
