package dev.lockstep.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.cli.connect.ConnectRest;
import dev.lockstep.cli.mapping.Mapping;
import dev.lockstep.cli.mapping.MappingCheck;
import dev.lockstep.cli.mapping.MappingFiles;
import dev.lockstep.cli.testing.EmulatedOrg;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LocalStackTest {

    @RegisterExtension
    static final EmulatedOrg ORG = new EmulatedOrg();

    @Test
    void demoMappingIsAHerokuConnectExportOfAccountContactAndOpportunityWithoutWarnings() throws Exception {
        MappingFiles.Parsed parsed = MappingFiles.parse(LocalStack.demoMapping(), "demo");

        assertThat(parsed.warnings()).isEmpty();
        assertThat(parsed.file().mappings()).extracting(Mapping::objectName)
                .containsExactly("Account", "Contact", "Opportunity");
        assertThat(parsed.file().mappings()).allSatisfy(m -> assertThat(m.readWrite()).isFalse());
    }

    @Test
    void demoMappingResolvesAgainstTheDemoOrgsObjects() throws Exception {
        List<MappingCheck.Resolved> resolved = MappingCheck.resolveAll(
                MappingFiles.parse(LocalStack.demoMapping(), "demo").file(), ORG::describe, "demo");

        assertThat(resolved).hasSize(3).allSatisfy(r -> assertThat(r.warnings()).isEmpty());
        assertThat(resolved.get(0).mapping().fields()).contains("Id", "Name", "SystemModstamp", "IsDeleted");
        assertThat(LocalOrg.DEMO_OBJECTS).containsExactly("Account", "Contact", "Opportunity");
    }

    @Test
    void rebalanceRefusalsAreRetriedAndOtherRefusalsAreNot() {
        assertThat(LocalStack.rebalancing(new ConnectRest.ConnectRestException("PUT /connectors/x/config answered"
                + " HTTP 409: Cannot complete request momentarily due to stale configuration", 409))).isTrue();
        assertThat(LocalStack.rebalancing(new ConnectRest.ConnectRestException("GET /connectors/x/config answered"
                + " HTTP 500: Request cannot be completed because a rebalance is expected", 500))).isTrue();
        assertThat(LocalStack.rebalancing(new ConnectRest.ConnectRestException("PUT /connectors/x/config answered"
                + " HTTP 400: Connector configuration is invalid", 400))).isFalse();
    }
}
