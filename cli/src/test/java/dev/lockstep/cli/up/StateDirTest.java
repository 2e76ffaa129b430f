package dev.lockstep.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {

    @TempDir
    Path dir;

    @Test
    void newDirectoryIsFreshAndRemembersPortsAndTargetsForTheNextRun() {
        Path root = dir.resolve("state");
        try (StateDir first = StateDir.open(root)) {
            assertThat(first.isFresh()).isTrue();
            assertThat(first.port("port.kafka")).isEqualTo(-1);
            first.put("port.kafka", "9192");
            first.requireSameTarget("salesforce", "emulator");
            first.save();
        }
        try (StateDir second = StateDir.open(root)) {
            assertThat(second.isFresh()).isFalse();
            assertThat(second.port("port.kafka")).isEqualTo(9192);
            assertThat(second.get("salesforce")).isEqualTo("emulator");
            assertThat(second.kafka()).isEqualTo(root.resolve("kafka"));
        }
    }

    @Test
    void secondRunOnTheSameDirectoryIsRefusedWhileTheFirstHoldsIt() {
        try (StateDir first = StateDir.open(dir)) {
            assertThat(first.root()).isEqualTo(dir);
            assertThatThrownBy(() -> StateDir.open(dir))
                    .isInstanceOf(UpException.class)
                    .hasMessageContaining("Another lockstep up is running with the state directory " + dir)
                    .hasMessageContaining("--state-dir");
        }
        StateDir.open(dir).close();
    }

    @Test
    void anotherOrgOrDatabaseThanTheStateBelongsToIsRefused() {
        try (StateDir state = StateDir.open(dir)) {
            state.requireSameTarget("postgres", "private");
            state.save();
        }
        try (StateDir state = StateDir.open(dir)) {
            assertThatThrownBy(() -> state.requireSameTarget("postgres", "jdbc:postgresql://db:5432/app"))
                    .isInstanceOf(UpException.class)
                    .hasMessageContaining("holds the sync of postgres private")
                    .hasMessageContaining("this run would sync jdbc:postgresql://db:5432/app")
                    .hasMessageContaining("Use another --state-dir");
            state.requireSameTarget("postgres", "private");
        }
    }
}
