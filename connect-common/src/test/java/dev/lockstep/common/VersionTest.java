package dev.lockstep.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    void versionIsTheProjectVersionFilledInByTheBuild() {
        assertThat(Version.get()).isEqualTo(System.getProperty("lockstep.expected.version"));
    }
}
