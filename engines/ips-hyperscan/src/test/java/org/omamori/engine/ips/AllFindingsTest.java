package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.Verdict;

/** Every rule that matches one exchange is reported, as Suricata alerts once per rule; the highest decides. */
class AllFindingsTest {

    @Test
    void fourRulesOnOneRequestGiveFourFindingsAndTheBlockingOneDecides(@TempDir Path tmp) throws Exception {
        Path rules = tmp.resolve("four.rules");
        Files.writeString(rules, String.join("\n",
                "alert http any any -> any any (msg:\"uri admin\"; http.uri; content:\"/admin\"; sid:1; rev:1;)",
                "alert http any any -> any any (msg:\"scanner\"; http.user_agent; content:\"sqlmap\"; sid:2; rev:1;)",
                "drop http any any -> any any (msg:\"union\"; http.uri; content:\"union\"; nocase; sid:3; rev:1;)",
                "alert http any any -> any any (msg:\"response\"; flow:to_client; http.response_body; content:\"root:\"; sid:4; rev:1;)",
                "alert http any any -> any any (msg:\"never\"; http.uri; content:\"/nothing-here\"; sid:5; rev:1;)", ""));
        try (IpsEngine engine = new IpsEngine("1", IpsSettings.DEFAULTS)) {
            assertThat(engine.loadNow(IpsEngineTest.source(rules), IpsSettings.DEFAULTS)).isTrue();
            try (Inspection i = engine.inspect(IpsEngineTest.inbound("GET", "http://shop.example.jp/admin?q=UNION")
                    .header("User-Agent", "sqlmap/1.7").build())) {
                i.body(Direction.RESPONSE, IpsEngineTest.ascii("root:x:0:0"));
                i.endOfBody(Direction.RESPONSE);
                Verdict v = i.verdict();

                assertThat(v.action()).isEqualTo(Action.BLOCK);
                assertThat(v.finding().orElseThrow().ruleId()).isEqualTo("sid:3");
                assertThat(v.findings()).extracting(Finding::ruleId)
                        .containsExactlyInAnyOrder("sid:1", "sid:2", "sid:3", "sid:4");
                assertThat(v.further()).allSatisfy(f -> assertThat(f.note()).startsWith("IPS rule "));
            }
        }
    }
}
