package org.omamori.engine.ips.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFilesTest {

    private final RuleParser parser = new RuleParser(Variables.defaults());

    private RuleFiles.Result read(String text) throws Exception {
        return RuleFiles.read("omamori.rules", new StringReader(text), parser);
    }

    private static List<String> messages(RuleFiles.Result r) {
        return r.errors().stream().map(RuleParseException::getMessage).toList();
    }

    @Test
    void commentsBlankLinesContinuationsAndDisabledRules() throws Exception {
        RuleFiles.Result r = read("""
                # a comment, not a rule
                
                alert tcp any any -> any any (msg:"one"; \\
                    content:"a"; \\
                    sid:1;)
                # alert tcp any any -> any any (msg:"off"; sid:2;)
                #alert tcp any any -> any any (msg:"off too"; sid:3;)
                # alert on this and that, says the prose
                alert tcp any any -> any any (msg:"four"; sid:4;)\r
                """);
        assertThat(r.rules()).extracting(Rule::sid).containsExactly(1L, 4L);
        assertThat(r.rules().getFirst().origin()).isEqualTo(new Rule.Origin("omamori.rules", 3));
        assertThat(r.rules().get(1).origin().line()).isEqualTo(9);
        assertThat(r.disabled()).isEqualTo(2);
        assertThat(r.lines()).isEqualTo(9);
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void badRulesAreReportedAndTheOthersLoad() throws Exception {
        RuleFiles.Result r = read("""
                alert tcp any any -> any any (sid:1;)
                alert tcp any any -> any any (content:"ab|41"; sid:2;)
                alert tcp any any -> any any (stream_size:server,>,1; sid:3;)
                alert icmp any any -> any any (sid:4;)
                alert tcp any any -> any any (sid:5;)
                """);
        assertThat(r.rules()).extracting(Rule::sid).containsExactly(1L, 5L);
        assertThat(messages(r)).containsExactly("omamori.rules:2: content: unterminated |hex| block");
        assertThat(r.skippedByKeyword()).isEqualTo(Map.of("stream_size", 1, "protocol:icmp", 1));
        assertThat(r.skipped()).isEqualTo(2);
    }

    @Test
    void duplicateSidsKeepTheHigherRev() throws Exception {
        RuleFiles.Result r = read("""
                alert tcp any any -> any any (msg:"old"; sid:7; rev:1;)
                alert tcp any any -> any any (msg:"new"; sid:7; rev:2;)
                alert tcp any any -> any any (msg:"stale"; sid:7; rev:2;)
                """);
        assertThat(r.rules()).extracting(Rule::msg).containsExactly("new");
        assertThat(messages(r)).containsExactly(
                "omamori.rules:1: duplicate sid 7: rev 1 replaced by rev 2 at omamori.rules:2",
                "omamori.rules:3: duplicate sid 7: rev 2 ignored, rev 2 kept from omamori.rules:2");
    }

    @Test
    void overlongLinesAndUnfinishedContinuationsAreErrors() throws Exception {
        RuleFiles.Result r = read("alert tcp any any -> any any (msg:\"" + "x".repeat(70_000) + "\"; sid:1;)\n"
                + "alert tcp any any -> any any (sid:2;)\n"
                + "alert tcp any any -> any any (sid:3; \\\n");
        assertThat(r.rules()).extracting(Rule::sid).containsExactly(2L);
        assertThat(messages(r)).containsExactly(
                "omamori.rules:1: line longer than 65536 characters",
                "omamori.rules:3: file ends inside a rule continued with '\\'");
    }

    @Test
    void readsFilesAndDirectoriesWithProgress(@TempDir Path dir) throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 2500; i++) {
            many.append("alert tcp any any -> any any (sid:").append(i).append(";)\n");
        }
        Files.writeString(dir.resolve("b.rules"), many);
        Files.writeString(dir.resolve("a.rules"), "alert tcp any any -> any any (sid:9999;)\n");
        Files.writeString(dir.resolve("notes.txt"), "not rules");
        List<Integer> progress = new ArrayList<>();
        RuleFiles.Result r = RuleFiles.read(List.of(dir, dir.resolve("missing.rules")), parser, progress::add);
        assertThat(r.files()).isEqualTo(2);
        assertThat(r.rules()).hasSize(2501);
        assertThat(r.rules().getFirst().origin().file()).isEqualTo("a.rules");
        assertThat(progress).containsExactly(1000, 2000);
        assertThat(messages(r)).singleElement().asString().startsWith("missing.rules:0: cannot read: ");
    }
}
