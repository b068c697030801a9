package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.ThresholdConfigParser;
import org.omamori.engine.ips.rules.Variables;

/**
 * Suricata's global threshold.config on the engine: suppress by source with a CIDR, a threshold
 * line that overrides the rule's own, sid 0 wildcards, and rate_filter's new actions, on a
 * controlled clock; every alert held back is counted.
 */
class ThresholdConfigTest {

    @TempDir
    Path tmp;
    IpsEngine engine;
    final AtomicLong now = new AtomicLong(1_000_000_000L);

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private void load(String thresholds, String... rules) throws Exception {
        Path ruleFile = tmp.resolve("t.rules");
        Files.writeString(ruleFile, String.join("\n", rules) + "\n");
        Path config = tmp.resolve("threshold.config");
        Files.writeString(config, thresholds);
        engine = new IpsEngine("1.0.0", IpsSettings.DEFAULTS);
        RuleSetSource source = RuleSets.source(List.of(ruleFile), RuleSets.thresholdFilesNextTo(List.of(ruleFile)),
                Variables.defaults(), Classtypes.standard(), n -> { });
        assertThat(engine.loadNow(source, IpsSettings.DEFAULTS)).isTrue();
        assertThat(engine.report().errors()).isEmpty();
        engine.thresholds().clock(now::get);
    }

    private Verdict verdict(InspectionRequest request) {
        try (Inspection i = engine.inspect(request)) {
            return i.verdict();
        }
    }

    private String sid(InspectionRequest request) {
        return verdict(request).finding().map(f -> f.ruleId()).orElse("");
    }

    private static InspectionRequest from(String client, String uri) throws Exception {
        return InspectionRequest.http("GET", "http://shop.example.jp" + uri)
                .connection(IpsEngineTest.connection(client, 40000, "192.168.1.20", 80)).build();
    }

    @Test
    void suppressBySourceWithACidrHidesOnlyThoseSourcesAndCountsWhatItHides() throws Exception {
        load("# the office's scanner\nsuppress gen_id 1, sig_id 1, track by_src, ip 203.0.113.0/28\n",
                "alert http any any -> any any (msg:\"probe\"; http.uri; content:\"/admin\"; sid:1;)",
                "alert http any any -> any any (msg:\"other\"; http.uri; content:\"/setup\"; sid:2;)");
        assertThat(sid(from("203.0.113.7", "/admin"))).as("inside the /28").isEmpty();
        assertThat(sid(from("203.0.113.15", "/admin"))).as("its last address").isEmpty();
        assertThat(sid(from("203.0.113.16", "/admin"))).as("just outside").isEqualTo("sid:1");
        assertThat(sid(from("203.0.113.7", "/setup"))).as("another sid from the same source").isEqualTo("sid:2");
        assertThat(engine.thresholdSuppressed()).isEqualTo(2);
    }

    @Test
    void suppressByDestinationAndEitherLookAtTheMatchsDirection() throws Exception {
        load("suppress gen_id 1, sig_id 1, track by_dst, ip 192.168.1.20\nsuppress gen_id 0, sig_id 0, track by_either, ip [198.51.100.9]\n",
                "alert http any any -> any any (msg:\"a\"; http.uri; content:\"/a\"; sid:1;)",
                "alert http any any -> any any (msg:\"b\"; http.uri; content:\"/b\"; sid:2;)");
        assertThat(sid(from("203.0.113.7", "/a"))).as("to the suppressed server").isEmpty();
        assertThat(sid(from("203.0.113.7", "/b"))).isEqualTo("sid:2");
        assertThat(sid(from("198.51.100.9", "/b"))).as("gen_id 0, sig_id 0: every rule, either address").isEmpty();
    }

    @Test
    void aSuppressedDropRuleStillBlocksAndSaysSo() throws Exception {
        load("suppress gen_id 1, sig_id 1\n",
                "drop http any any -> any any (msg:\"shell\"; http.uri; content:\"/shell\"; sid:1;)");
        Verdict v = verdict(from("203.0.113.7", "/shell"));
        assertThat(v.action()).isEqualTo(Action.BLOCK);
        assertThat(v.note()).contains("alert suppressed by threshold.config");
        assertThat(engine.thresholdSuppressed()).isEqualTo(1);
    }

    @Test
    void aThresholdLineForASidReplacesTheRulesOwnThreshold() throws Exception {
        load("threshold gen_id 1, sig_id 1, type limit, track by_src, count 1, seconds 60\n",
                "alert http any any -> any any (msg:\"own limit 3\"; http.uri; content:\"/x\"; "
                        + "threshold: type limit, track by_src, count 3, seconds 60; sid:1;)");
        StringBuilder seen = new StringBuilder();
        for (int k = 0; k < 4; k++) {
            seen.append(sid(from("203.0.113.7", "/x")).isEmpty() ? '.' : 'A');
        }
        assertThat(seen.toString()).as("limit 1 from threshold.config, not the rule's 3").isEqualTo("A...");
        assertThat(engine.thresholdSuppressed()).isEqualTo(3);
    }

    @Test
    void aSidZeroLimitAppliesToRulesWithoutAThresholdOfTheirOwn() throws Exception {
        load("event_filter gen_id 0, sig_id 0, type limit, track by_rule, count 2, seconds 60\n",
                "alert http any any -> any any (msg:\"plain\"; http.uri; content:\"/p\"; sid:1;)",
                "alert http any any -> any any (msg:\"own\"; http.uri; content:\"/o\"; "
                        + "threshold: type limit, track by_rule, count 3, seconds 60; sid:2;)");
        StringBuilder plain = new StringBuilder();
        StringBuilder own = new StringBuilder();
        for (int k = 0; k < 4; k++) {
            plain.append(sid(from("203.0.113.7", "/p")).isEmpty() ? '.' : 'A');
            own.append(sid(from("203.0.113.7", "/o")).isEmpty() ? '.' : 'A');
        }
        assertThat(plain.toString()).isEqualTo("AA..");
        assertThat(own.toString()).as("its own threshold is kept (Suricata does not override it with sid 0)").isEqualTo("AAA.");
        now.addAndGet(61_000_000_000L);
        assertThat(sid(from("203.0.113.7", "/p"))).as("a new window").isEqualTo("sid:1");
    }

    @Test
    void aRateFilterDropsASourceThatMatchesTooOftenUntilItsTimeout() throws Exception {
        load("rate_filter gen_id 1, sig_id 1, track by_src, count 2, seconds 10, new_action drop, timeout 30\n",
                "alert http any any -> any any (msg:\"login\"; http.uri; content:\"/login\"; classtype:misc-activity; sid:1;)");
        InspectionRequest a = from("203.0.113.7", "/login");
        Verdict first = verdict(a);
        assertThat(first.action()).as("1st: an alert, below the block level").isEqualTo(Action.PASS);
        assertThat(first.finding()).isPresent();
        assertThat(verdict(a).action()).as("2nd: still within count").isEqualTo(Action.PASS);
        Verdict third = verdict(a);
        assertThat(third.action()).as("3rd within 10 s: the new action").isEqualTo(Action.BLOCK);
        assertThat(third.note()).contains("rate_filter drop");
        assertThat(verdict(from("203.0.113.8", "/login")).action()).as("another source counts alone").isEqualTo(Action.PASS);
        now.addAndGet(30_000_000_000L);
        assertThat(verdict(a).action()).as("30 s on: the timeout is inclusive").isEqualTo(Action.BLOCK);
        now.addAndGet(1_000_000_000L);
        assertThat(verdict(a).action()).as("past the timeout: the rule's own action").isEqualTo(Action.PASS);
        now.addAndGet(20_000_000_000L);
        assertThat(verdict(a).action()).as("a new window").isEqualTo(Action.PASS);
    }

    @Test
    void aRateFilterToPassHoldsTheAlertBackAndCountsIt() throws Exception {
        load("rate_filter gen_id 1, sig_id 1, track by_rule, count 1, seconds 60, new_action pass, timeout 60\n",
                "drop http any any -> any any (msg:\"noisy\"; http.uri; content:\"/n\"; sid:1;)");
        assertThat(verdict(from("203.0.113.7", "/n")).action()).isEqualTo(Action.BLOCK);
        Verdict second = verdict(from("198.51.100.1", "/n"));
        assertThat(second.action()).as("by_rule: the second match anywhere passes").isEqualTo(Action.PASS);
        assertThat(second.finding()).isEmpty();
        assertThat(engine.thresholdSuppressed()).isEqualTo(1);
    }

    @Test
    void aRateFilterIsIgnoredForARuleWithItsOwnThresholdAndLinesWithoutEffectAreNamed() throws Exception {
        load("rate_filter gen_id 1, sig_id 1, track by_src, count 1, seconds 10, new_action drop, timeout 30\n"
                        + "suppress gen_id 1, sig_id 99\nsuppress gen_id 3, sig_id 1\n",
                "alert http any any -> any any (msg:\"own\"; http.uri; content:\"/o\"; classtype:misc-activity; "
                        + "threshold: type limit, track by_src, count 5, seconds 60; sid:1;)");
        for (int k = 0; k < 3; k++) {
            assertThat(verdict(from("203.0.113.7", "/o")).action()).isEqualTo(Action.PASS);
        }
        assertThat(engine.thresholdNotes()).satisfiesExactly(
                n -> assertThat(n).startsWith(tmp.resolve("threshold.config") + ":1:").contains("precedence"),
                n -> assertThat(n).contains(":2:").contains("sid 99 is not in the rule set"),
                n -> assertThat(n).contains(":3:").contains("gen_id 3"));
    }

    @Test
    void anAddressOnlyRuleAlertsInBothDirectionsOfAnExchangeAndARateFilterCountsBoth() throws Exception {
        // suricata-verify threshold-config-rate-filter-drop-rule: the response's match is the second, which drops
        load("rate_filter gen_id 1, sig_id 1, track by_rule, count 1, seconds 60, new_action drop, timeout 1000\n",
                "alert http any any -> any any (msg:\"any http\"; classtype:misc-activity; sid:1;)");
        try (Inspection i = engine.inspect(from("203.0.113.7", "/"))) {
            assertThat(i.verdict().action()).as("the request's match: an alert").isEqualTo(Action.PASS);
            i.headers(org.omamori.api.engine.Direction.RESPONSE, List.of(new org.omamori.api.engine.Header(":status-line", "HTTP/1.1 200 OK")));
            Verdict v = i.verdict();
            assertThat(v.action()).as("the response's match: the rate filter's drop").isEqualTo(Action.BLOCK);
            assertThat(v.findings()).extracting(f -> f.ruleId()).containsExactly("sid:1", "sid:1");
            assertThat(v.note()).contains("; response; rate_filter drop");
        }
    }

    @Test
    void anAddressOnlyRuleDoesNotAlertOnTheResponseOfABlockedExchange() throws Exception {
        load("", "drop http any any -> any any (msg:\"any http\"; sid:1;)");
        try (Inspection i = engine.inspect(from("203.0.113.7", "/"))) {
            i.headers(org.omamori.api.engine.Direction.RESPONSE, List.of(new org.omamori.api.engine.Header(":status-line", "HTTP/1.1 200 OK")));
            assertThat(i.verdict().findings()).hasSize(1);
        }
    }

    @Test
    void aBadThresholdFileKeepsTheRulesInForceAndNamesFileAndLine() throws Exception {
        load("suppress gen_id 1, sig_id 1\n", "alert http any any -> any any (msg:\"a\"; http.uri; content:\"/a\"; sid:1;)");
        Path config = tmp.resolve("threshold.config");
        Files.writeString(config, "suppress gen_id 1, sig_id 1\nsuppress gen_id 1, sig_id 2, track by_src\n");
        Path ruleFile = tmp.resolve("t.rules");
        RuleSetSource source = RuleSets.source(List.of(ruleFile), List.of(config), Variables.defaults(), Classtypes.standard(), n -> { });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.compile(IpsSettings.DEFAULTS))
                .isInstanceOf(ThresholdConfigParser.Invalid.class).hasMessageContaining(config + ":2:");
        assertThat(engine.loadNow(source, IpsSettings.DEFAULTS)).isFalse();
        assertThat(sid(from("203.0.113.7", "/a"))).as("the set in force, with its suppression").isEmpty();
    }
}
