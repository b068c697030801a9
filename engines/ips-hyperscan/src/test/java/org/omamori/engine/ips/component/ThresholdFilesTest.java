package org.omamori.engine.ips.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which threshold.config files the appliance reads with its rules: beside them, and the configured one, each once. */
class ThresholdFilesTest {

    @TempDir
    Path home;

    @Test
    void theDefaultRuleFolderAndTheDefaultPropertyNameOneFileReadOnce() throws Exception {
        Path rules = Files.createDirectories(home.resolve("rules"));
        Path own = Files.writeString(rules.resolve("threshold.config"), "suppress gen_id 1, sig_id 1\n");
        assertThat(IpsComponent.thresholdFiles(List.of(rules), home.resolve("rules/threshold.config")))
                .containsExactly(own.toAbsolutePath().normalize());
    }

    @Test
    void aPackagesRuleFolderKeepsTheAppliancesOwnFileAfterItsOwn() throws Exception {
        Path pkg = Files.createDirectories(home.resolve("definitions/ips/7/files"));
        Files.writeString(pkg.resolve("emerging-scan.rules"), "");
        Path fromPackage = Files.writeString(pkg.resolve("threshold.config"), "");
        Path own = Files.writeString(Files.createDirectories(home.resolve("rules")).resolve("threshold.config"), "");
        assertThat(IpsComponent.thresholdFiles(List.of(pkg.resolve("emerging-scan.rules")), home.resolve("rules/threshold.config")))
                .as("beside a rule file, then the property's").containsExactly(fromPackage.toAbsolutePath().normalize(),
                        own.toAbsolutePath().normalize());
    }

    @Test
    void missingFilesAreNone() throws Exception {
        Path rules = Files.createDirectories(home.resolve("rules"));
        assertThat(IpsComponent.thresholdFiles(List.of(rules), home.resolve("rules/threshold.config"))).isEmpty();
        assertThat(IpsComponent.thresholdFiles(List.of(rules), null)).isEmpty();
    }
}
