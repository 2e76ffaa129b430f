package dev.lockstep.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.output.Output;
import dev.lockstep.cli.output.Style;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPrinterTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    private static StatusReport report() {
        StatusReport.Connector source = new StatusReport.Connector("lockstep-salesforce", "source", "RUNNING", null,
                List.of(new StatusReport.Task(0, "RUNNING", null)));
        StatusReport.Connector sink = new StatusReport.Connector("lockstep-postgres-salesforce-contact", "sink",
                "RUNNING", null, List.of(new StatusReport.Task(0, "FAILED", "ConnectException: boom")));
        StatusReport.MappingStatus account = StatusRulesTest.status(Health.OK);
        StatusReport.MappingStatus contact = new StatusReport.MappingStatus("Contact", "salesforce.contact",
                "lockstep-salesforce", "lockstep-postgres-salesforce-contact",
                new StatusReport.Progress("snapshot", 250L, 1000L, null), new StatusReport.Counts(1000L, 250L, 0L, 0L),
                new StatusReport.Lag(Duration.ofSeconds(185), NOW, NOW.minusSeconds(185), 750L),
                List.of(new StatusReport.DeadLetter(NOW.minusSeconds(60), "lockstep-postgres-salesforce-contact",
                        "lockstep.Contact", 0, 17L, "Contact 003A: text__c holds a NUL character")),
                1, List.of(), List.of(new StatusReport.FailedRow("003B", 7, "{\"message\":\"bad\"}")), 1L,
                Health.FAILED, List.of("sink lockstep-postgres-salesforce-contact task 0 FAILED: boom"));
        return new StatusReport(NOW, List.of(source, sink), List.of(account, contact), List.of(),
                List.of("Salesforce record counts and lag: give --salesforce FILE"));
    }

    @Test
    void connectorsAndMappingsAreTablesFollowedByProblemsErrorsAndTheHealth() {
        StringWriter out = new StringWriter();
        StatusPrinter.print(new Output(new PrintWriter(out), new PrintWriter(new StringWriter()), Style.plain()),
                report());
        assertThat(out.toString()).contains("""
                Connectors
                  CONNECTOR                             TYPE    STATE    TASKS
                  lockstep-salesforce                   source  RUNNING  1 of 1 running
                  lockstep-postgres-salesforce-contact  sink    RUNNING  0 of 1 running, task 0 FAILED
                  lockstep-postgres-salesforce-contact task 0: ConnectException: boom
                """).contains("""
                Mappings
                  OBJECT   TABLE               PHASE                    SALESFORCE  LIVE ROWS  DELETED     LAG  SINK QUEUE  HEALTH
                  Account  salesforce.account  streaming                        20         20        1      0s           -  ok
                  Contact  salesforce.contact  snapshot 25% (250/1000)        1000        250        0  3m 05s         750  failed
                """).contains("""
                Problems
                  Contact: sink lockstep-postgres-salesforce-contact task 0 FAILED: boom
                """).contains("  Contact: dead letter 2026-05-01T11:59:00Z from lockstep.Contact[0]@17: Contact 003A:"
                        + " text__c holds a NUL character\n")
                .contains("  Contact: row 003B (id 7) _hc_lastop = FAILED: {\"message\":\"bad\"}\n")
                .contains("Not measured\n  Salesforce record counts and lag: give --salesforce FILE\n")
                .endsWith("\nHealth: failed (exit 5)\n");
    }

    @Test
    void jsonCarriesTheHealthExitCodeAndEveryMeasuredValue() {
        ObjectNode json = StatusPrinter.json(report());
        assertThat(json.path("health").asText()).isEqualTo("failed");
        assertThat(json.path("exitCode").asInt()).isEqualTo(5);
        assertThat(json.path("connectors").get(1).path("tasks").get(0).path("trace").asText())
                .isEqualTo("ConnectException: boom");
        ObjectNode contact = (ObjectNode) json.path("mappings").get(1);
        assertThat(contact.path("progress").path("snapshotDone").asLong()).isEqualTo(250);
        assertThat(contact.path("counts").path("liveRows").asLong()).isEqualTo(250);
        assertThat(contact.path("lag").path("lagSeconds").asDouble()).isEqualTo(185.0);
        assertThat(contact.path("lag").path("sinkRecordsBehind").asLong()).isEqualTo(750);
        assertThat(contact.path("deadLetters").get(0).path("offset").asLong()).isEqualTo(17);
        assertThat(contact.path("failedRows").get(0).path("sfid").asText()).isEqualTo("003B");
        assertThat(contact.path("problems")).hasSize(1);
        assertThat(json.path("notMeasured")).hasSize(1);
    }
}
