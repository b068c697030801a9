package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;

/**
 * Which stream triggers become candidates: a rule whose protocol, addresses or ports rule out the
 * exchange is never one (Suricata keeps it out of the flow's rule group), so however often such
 * rules trigger they take no place among the {@link Candidates#LIMIT} and cost no try.
 */
class StreamCandidatesTest {

    @TempDir
    Path tmp;
    IpsEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void triggersOfRulesWhoseHeaderRulesOutTheExchangeTakeNoCandidatePlace() throws Exception {
        int others = Candidates.LIMIT + 100;
        List<String> rules = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= others; i++) {
            // A game server's port: never this exchange's (a web server on 80, a client on 50123).
            rules.add("alert tcp any 25565 -> any any (msg:\"game " + i + "\"; content:\"gx" + i + "q\"; sid:" + i + ";)");
            body.append("gx").append(i).append("q ");
        }
        rules.add("alert http any any -> any any (msg:\"page\"; file.data; content:\"zzpagezz\"; sid:99999;)");
        body.append("zzpagezz");
        engine = IpsEngineTest.loaded(IpsEngineTest.rulesFile(tmp, rules.toArray(String[]::new)));
        InspectionRequest request = InspectionRequest.http("GET", "http://198.51.100.5/index.html")
                .connection(IpsEngineTest.connection("192.168.1.10", 50123, "198.51.100.5", 80)).build();
        Verdict verdict;
        try (Inspection i = engine.inspect(request)) {
            // One piece (well under half the window): every trigger is taken before any is confirmed.
            i.body(Direction.RESPONSE, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.ISO_8859_1)));
            i.endOfBody(Direction.RESPONSE);
            verdict = i.verdict();
        }
        assertThat(verdict.findings()).extracting(f -> f.ruleId()).containsExactly("sid:99999");
        assertThat(verdict.note()).doesNotContain("too many candidate rules");
        // The same rules do trigger where their header fits: from the game server's port.
        InspectionRequest game = InspectionRequest.http("GET", "http://198.51.100.5:25565/")
                .connection(IpsEngineTest.connection("192.168.1.10", 50123, "198.51.100.5", 25565)).build();
        try (Inspection i = engine.inspect(game)) {
            i.body(Direction.RESPONSE, ByteBuffer.wrap("gx7q".getBytes(StandardCharsets.ISO_8859_1)));
            i.endOfBody(Direction.RESPONSE);
            assertThat(i.verdict().findings()).extracting(f -> f.ruleId()).containsExactly("sid:7");
        }
    }
}
