package org.omamori.appliance.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplianceIdentityTest {

    @TempDir
    Path state;

    @Test
    void aMadeUpIdIsKeptAcrossRestarts() throws IOException {
        String first = ApplianceIdentity.load(state, "").value();
        assertThat(first).matches("[0-9a-f]{12}");
        assertThat(ApplianceIdentity.load(state, "").value()).isEqualTo(first);
    }

    @Test
    void theConfiguredSerialWins() throws IOException {
        assertThat(ApplianceIdentity.load(state, "00A0DE123456").value()).isEqualTo("00a0de123456");
    }

    @Test
    void aDamagedIdFileIsAnErrorThatNamesTheFile() throws IOException {
        Files.writeString(state.resolve("appliance.id"), "not an id");
        assertThatThrownBy(() -> ApplianceIdentity.load(state, "")).hasMessageContaining("appliance.id");
    }
}
