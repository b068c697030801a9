package org.omamori.definitions.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.definitions.InstalledVersions;
import org.omamori.definitions.Kind;
import org.omamori.definitions.PackageVersion;
import org.omamori.metrics.Meters;

class DefinitionsMetersTest {

    @TempDir
    Path dir;

    @Test
    void theVersionInForceIsALabelThatMovesAndItsAgeCountsFromWhenItWasApplied() throws Exception {
        Meters registry = Meters.isolated();
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        Map<Kind, Instant> applied = new EnumMap<>(Kind.class);
        InstalledVersions installed = InstalledVersions.open(dir.resolve("versions.properties"));
        try (DefinitionsMeters meters = new DefinitionsMeters(registry, k -> Optional.ofNullable(applied.get(k)),
                Clock.fixed(now, ZoneOffset.UTC))) {
            installed.onPut(meters::inForce);
            assertThat(registry.scrape()).doesNotContain("omamori_definitions");

            applied.put(Kind.URLFILTER, now.minusSeconds(90));
            installed.put(Kind.URLFILTER, PackageVersion.parse("2026.12.1"));
            assertThat(registry.scrape()).contains("omamori_definitions_info{kind=\"urlfilter\",version=\"2026.12.1\"} 1\n")
                    .contains("omamori_definitions_age_seconds{kind=\"urlfilter\"} 90.0");

            applied.put(Kind.URLFILTER, now.minusSeconds(5));
            installed.put(Kind.URLFILTER, PackageVersion.parse("2026.12.2"));
            String scrape = registry.scrape();
            assertThat(scrape).contains("omamori_definitions_info{kind=\"urlfilter\",version=\"2026.12.2\"} 1\n")
                    .doesNotContain("version=\"2026.12.1\"")
                    .contains("omamori_definitions_age_seconds{kind=\"urlfilter\"} 5.0")
                    .doesNotContain("kind=\"ips\"");
        }
        assertThat(registry.scrape()).as("closed with the component").doesNotContain("omamori_definitions");
    }
}
