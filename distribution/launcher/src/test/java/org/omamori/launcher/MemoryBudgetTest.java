package org.omamori.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM options the launch derives from a home's memory budget (docs/operations.md "Memory budget"). */
class MemoryBudgetTest {

    @TempDir
    Path home;

    private void budgetFile(String content) throws IOException {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve(MemoryBudget.CONFIG_FILE), content);
    }

    @Test
    void theDefault512MbGivesAHeapOf256MbAndBoundsEveryOtherArea() throws IOException {
        MemoryBudget b = MemoryBudget.read(home, MemoryBudget.DEFAULT_MEGABYTES).orElseThrow();

        assertThat(b.megabytes()).isEqualTo(512);
        assertThat(b.shares()).isEqualTo(new MemoryBudget.Shares(256, 64, 64, 32, 96));
        assertThat(b.jvmOptions(25, 2)).containsExactly("-Xmx256m", "-Xms64m", "-XX:MaxMetaspaceSize=64m",
                "-XX:ReservedCodeCacheSize=64m", "-XX:MaxDirectMemorySize=32m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-XX:-G1UseAdaptiveIHOP", "-XX:InitiatingHeapOccupancyPercent=60", "-XX:G1ReservePercent=20",
                "-XX:+ExplicitGCInvokesConcurrent",
                "-XX:+UseCompactObjectHeaders", "-XX:TrimNativeHeapInterval=10000", "-Djdk.readPollers=1", "-Domamori.memory.budgetMegabytes=512");
        assertThat(b.jvmOptions(25)).noneMatch(o -> o.contains("ExitOnOutOfMemoryError"));
    }

    @Test
    void onlyASmallBoxGetsOneReadPoller() throws IOException {
        MemoryBudget b = MemoryBudget.read(home, MemoryBudget.DEFAULT_MEGABYTES).orElseThrow();

        assertThat(b.jvmOptions(25, 1)).contains("-Djdk.readPollers=1");
        assertThat(b.jvmOptions(25, 2)).contains("-Djdk.readPollers=1");
        assertThat(b.jvmOptions(25, 4)).noneMatch(o -> o.startsWith("-Djdk.readPollers"));
        assertThat(b.jvmOptions(17, 2)).noneMatch(o -> o.startsWith("-Djdk.readPollers"));
    }

    @Test
    void theSharesAddUpToTheBudgetForEverySizeAllowed() {
        for (int mb = MemoryBudget.MIN_MEGABYTES; mb <= 8192; mb += 64) {
            MemoryBudget.Shares s = new MemoryBudget(mb, "test").shares();
            assertThat(s.heap() + s.metaspace() + s.codeCache() + s.directMemory() + s.nativeReserve()).as("%d MB", mb).isEqualTo(mb);
            assertThat(s.heap()).as("heap of %d MB", mb).isGreaterThanOrEqualTo(mb * 37 / 100).isGreaterThan(100);
        }
    }

    @Test
    void aBudgetFromTheHomeScalesTheHeapAndOlderJvmsGetNoFlagTheyLack() throws IOException {
        budgetFile("# the box has 2 GB\nbudgetMegabytes = 1024\n");

        MemoryBudget b = MemoryBudget.read(home, MemoryBudget.DEFAULT_MEGABYTES).orElseThrow();

        assertThat(b.source()).isEqualTo(MemoryBudget.CONFIG_FILE);
        assertThat(b.jvmOptions(21)).contains("-Xmx512m", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=128m",
                "-XX:MaxDirectMemorySize=64m", "-Domamori.memory.budgetMegabytes=1024")
                .doesNotContain("-XX:+UseCompactObjectHeaders", "-XX:TrimNativeHeapInterval=10000");
    }

    @Test
    void otherKeysOfTheGuardsConfigurationAreLeftToIt() throws IOException {
        budgetFile("heapHighPercent = 80\n");

        assertThat(MemoryBudget.read(home, 512).orElseThrow().megabytes()).isEqualTo(512);
        assertThat(MemoryBudget.read(home, null)).isEmpty(); // a runtime without a default budget (the cloud)
    }

    @Test
    void aBudgetThatIsNotANumberOrTooSmallIsRefusedNamingTheFileAndKey() throws IOException {
        budgetFile("budgetMegabytes = lots\n");
        assertThatThrownBy(() -> MemoryBudget.read(home, 512)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("etc/org.omamori.memory.cfg: budgetMegabytes = 'lots'");

        budgetFile("budgetMegabytes = 128\n");
        assertThatThrownBy(() -> MemoryBudget.read(home, 512)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("budgetMegabytes = 128").hasMessageContaining("from 384");
    }

    @Test
    void aJvmStartedWithoutTheOptionsIsToldHowToStart() {
        MemoryBudget b = new MemoryBudget(512, "default");

        assertThat(b.mismatch("512", 256L << 20)).isEmpty();
        assertThat(b.mismatch(null, 1024L << 20)).hasValueSatisfying(why -> assertThat(why)
                .contains("heap 1024 MB instead of 256 MB", "--jvm-options"));
    }

    @Test
    void theLauncherTakesTheRuntimesDefaultFromItsFrameworkProperties() throws IOException {
        assertThat(Launcher.budget(Map.of(MemoryBudget.DEFAULT_PROPERTY, "640"))).hasValueSatisfying(b ->
                assertThat(b.megabytes()).isEqualTo(640));
        assertThat(Launcher.budget(Map.of())).isEmpty();
    }

    @Test
    void mallocIsToldToKeepTwoArenas() {
        assertThat(MemoryBudget.ENVIRONMENT).containsEntry("MALLOC_ARENA_MAX", "2");
    }
}
