package org.omamori.ids.conformance;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The selection of suricata-verify tests as a build step on request: with
 * {@code -Dsuricata.verify.repo=GIT_DIR} it rewrites {@code src/test/resources/suricata-verify}
 * from that repository's HEAD ({@link SuricataVerifySelect}); without it, nothing happens.
 */
class SuricataVerifySelection {

    @Test
    @EnabledIfSystemProperty(named = "suricata.verify.repo", matches = ".+")
    void selectIntoTheResources() throws Exception {
        Path root = Path.of(System.getProperty("omamori.root", "../..")).toAbsolutePath().normalize();
        System.out.println(SuricataVerifySelect.select(Path.of(System.getProperty("suricata.verify.repo")),
                root.resolve("bundles/ids/src/test/resources/suricata-verify")));
    }
}
