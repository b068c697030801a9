package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Finding;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;

/** A compiled rule keeps its header and what its alert says, not the texts only compiling reads. */
class CompiledRuleTextsTest {

    @TempDir
    Path tmp;

    @Test
    void alertKeepsMsgAndConfidenceWhileTheTextsAreDropped() throws Exception {
        Path file = IpsEngineTest.rulesFile(tmp, "alert http $HOME_NET any -> $EXTERNAL_NET 8080 (msg:\"ET MALWARE beacon\"; "
                + "flow:established,to_server; http.uri; content:\"/gate.php\"; content:\"id=\"; distance:0; "
                + "reference:url,example.com/x; classtype:trojan-activity; "
                + "metadata: confidence Low, signature_severity Major, created_at 2024_01_01; sid:9001; rev:3;)");
        try (CompiledRules compiled = RuleSets.compile(List.of(file), Variables.defaults(), Classtypes.standard(),
                IpsSettings.DEFAULTS, n -> { })) {
            CompiledRule r = compiled.rules[0];
            assertThat(r.rule.metadata()).isEmpty();
            assertThat(r.rule.references()).isEmpty();
            assertThat(r.rule.matches()).isEmpty();
            assertThat(r.rule.msg()).isEmpty();
            // What the header check and the alert use is still there.
            assertThat(r.rule.sid()).isEqualTo(9001);
            assertThat(r.rule.destinationPorts().matches(8080)).isTrue();
            assertThat(r.rule.flow().toServer()).isTrue();
            assertThat(r.chains).hasSize(1);
            assertThat(r.headerOnly).isFalse();
            Finding f = r.verdict.findings().get(0);
            assertThat(f.ruleId()).isEqualTo("sid:9001");
            assertThat(f.ruleName()).isEqualTo("ET MALWARE beacon");
            assertThat(f.confidence()).isEqualTo(40);
            assertThat(r.verdict.note()).contains("rev 3");
        }
    }
}
