package org.omamori.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./omamori appliance} starts the appliance's JVM with the limits of its home's memory budget (docs/operations.md "Memory budget"). */
class ApplianceLaunchTest {

    @TempDir
    Path home;

    @Test
    void theJvmGetsTheDefaultBudgetsLimitsBeforeTheJarAndMallocTwoArenas() throws Exception {
        ProcessBuilder pb = new ApplianceHome(home).process();

        List<String> cmd = pb.command();
        int jar = cmd.indexOf("-jar");
        assertThat(cmd.subList(1, jar)).contains("-Xmx256m", "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=64m",
                "-XX:MaxDirectMemorySize=32m", "-XX:+UseG1GC", "-Domamori.memory.budgetMegabytes=512");
        assertThat(cmd.get(jar + 1)).endsWith("omamori-appliance.jar");
        assertThat(pb.environment()).containsEntry("MALLOC_ARENA_MAX", "2");
        assertThat(pb.directory().toPath()).isEqualTo(home);
    }

    @Test
    void theHomesBudgetWinsAndABadOneIsRefusedByName() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/org.omamori.memory.cfg"), "budgetMegabytes = 768\n");
        assertThat(new ApplianceHome(home).process().command()).contains("-Xmx384m", "-Domamori.memory.budgetMegabytes=768");

        Files.writeString(home.resolve("etc/org.omamori.memory.cfg"), "budgetMegabytes = 100\n");
        assertThatThrownBy(() -> new ApplianceHome(home).process()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budgetMegabytes = 100");
    }
}
