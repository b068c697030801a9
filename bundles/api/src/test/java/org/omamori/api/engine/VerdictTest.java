package org.omamori.api.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VerdictTest {

    private static final Finding PHISHING = new Finding("category:phishing", "フィッシング", Level.HIGH, 90);

    @Test
    void blockMustNameTheRuleThatDecided() {
        assertThatThrownBy(() -> new Verdict(Action.BLOCK, java.util.Optional.empty(), ""))
                .hasMessageContaining("must name the rule");
        assertThat(Verdict.block(PHISHING).intervenes()).isTrue();
    }

    @Test
    void blockBeatsNeutraliseBeatsPass() {
        assertThat(Action.PASS.strongest(Action.NEUTRALISE)).isEqualTo(Action.NEUTRALISE);
        assertThat(Action.BLOCK.strongest(Action.NEUTRALISE)).isEqualTo(Action.BLOCK);
        assertThat(Action.NEUTRALISE.strongest(Action.PASS)).isEqualTo(Action.NEUTRALISE);
    }

    @Test
    void aVerdictOutranksByActionThenLevelThenHavingAFinding() {
        Finding low = new Finding("a", "a", Level.LOW, 100);
        Finding high = new Finding("b", "b", Level.HIGH, 100);
        assertThat(Verdict.block(low).outranks(Verdict.neutralise(high))).isTrue();
        assertThat(Verdict.neutralise(high).outranks(Verdict.block(low))).isFalse();
        assertThat(Verdict.pass(high).outranks(Verdict.pass(low))).isTrue();
        assertThat(Verdict.pass(low).outranks(Verdict.pass(low))).as("a tie keeps the first").isFalse();
        assertThat(Verdict.pass(low).outranks(Verdict.clean())).isTrue();
        assertThat(Verdict.clean().outranks(Verdict.pass(low))).isFalse();
    }

    @Test
    void severalVerdictsOfOneEngineMakeOneThatDecidesAndReportsEveryFinding() {
        Finding low = new Finding("sid:1", "a", Level.LOW, 100);
        Finding high = new Finding("sid:2", "b", Level.HIGH, 100);
        Finding other = new Finding("sid:3", "c", Level.LOW, 100);
        Verdict merged = Verdict.of(java.util.List.of(Verdict.pass(low), Verdict.block(high), Verdict.pass(other)));

        assertThat(merged.action()).isEqualTo(Action.BLOCK);
        assertThat(merged.finding()).contains(high);
        assertThat(merged.further()).extracting(v -> v.finding().orElseThrow()).containsExactly(low, other);
        assertThat(merged.further()).extracting(Verdict::action).containsExactly(Action.PASS, Action.PASS);
        assertThat(merged.findings()).containsExactly(high, low, other);
        assertThat(merged.withNote("n").further()).isEqualTo(merged.further());
        assertThat(Verdict.of(java.util.List.of(Verdict.pass(low)))).isEqualTo(Verdict.pass(low));
        assertThat(Verdict.of(java.util.List.of())).isEqualTo(Verdict.clean());
        assertThat(Verdict.clean().findings()).isEmpty();
    }

    /**
     * Whatever the actions, levels and order: the first verdict that nothing outranks decides, the
     * others with a finding follow as further verdicts in the order given, stripped of their own.
     */
    @Test
    void severalVerdictsMakeTheFirstUnoutrankedOneWithTheOthersFindingsInOrder() {
        java.util.Random random = new java.util.Random(18);
        for (int round = 0; round < 2_000; round++) {
            java.util.List<Verdict> given = new java.util.ArrayList<>();
            for (int i = random.nextInt(12); i > 0; i--) {
                given.add(randomVerdict(random, given.size()));
            }
            Verdict made = Verdict.of(given);
            if (given.isEmpty()) {
                assertThat(made).isEqualTo(Verdict.clean());
                continue;
            }
            int top = -1;
            for (int i = 0; i < given.size() && top < 0; i++) {
                Verdict candidate = given.get(i);
                if (given.stream().noneMatch(v -> v.outranks(candidate))) {
                    top = i;
                }
            }
            Verdict decided = given.get(top);
            assertThat(made.action()).as("round %d", round).isEqualTo(decided.action());
            assertThat(made.finding()).isEqualTo(decided.finding());
            assertThat(made.note()).isEqualTo(decided.note());
            java.util.List<Finding> expected = new java.util.ArrayList<>(decided.finding().stream().toList());
            for (int i = 0; i < given.size(); i++) {
                if (i != top) {
                    given.get(i).finding().ifPresent(expected::add);
                }
            }
            assertThat(made.findings()).as("round %d", round).isEqualTo(expected);
            assertThat(made.further()).allSatisfy(v -> assertThat(v.further()).isEmpty());
            assertThatThrownBy(() -> made.further().add(Verdict.clean())).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    private static Verdict randomVerdict(java.util.Random random, int i) {
        Action action = Action.values()[random.nextInt(Action.values().length)];
        java.util.Optional<Finding> finding = action == Action.PASS && random.nextInt(3) == 0 ? java.util.Optional.empty()
                : java.util.Optional.of(new Finding("sid:" + i, "rule " + i, Level.values()[random.nextInt(Level.values().length)], 50));
        java.util.List<Verdict> further = finding.isPresent() && random.nextInt(5) == 0
                ? java.util.List.of(Verdict.pass(new Finding("sid:f" + i, "further", Level.LOW, 10))) : java.util.List.of();
        return new Verdict(action, finding, "note " + i, further);
    }

    @Test
    void aFurtherVerdictNamesItsFindingAndHasNoFurtherOfItsOwn() {
        Finding low = new Finding("sid:1", "a", Level.LOW, 100);
        assertThatThrownBy(() -> new Verdict(Action.PASS, java.util.Optional.of(low), "", java.util.List.of(Verdict.clean())))
                .hasMessageContaining("further verdict");
        Verdict nested = new Verdict(Action.PASS, java.util.Optional.of(low), "", java.util.List.of(Verdict.pass(low)));
        assertThatThrownBy(() -> new Verdict(Action.PASS, java.util.Optional.of(low), "", java.util.List.of(nested)))
                .hasMessageContaining("further verdict");
        assertThat(new Verdict(Action.PASS, java.util.Optional.of(low), "").further()).as("the 1.2 constructor").isEmpty();
    }

    @Test
    void confidenceIsAPercentage() {
        assertThatThrownBy(() -> new Finding("x", "x", Level.LOW, 101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void httpRequestTakesItsHostFromTheUrl() {
        assertThat(InspectionRequest.http("GET", "http://user@Example.JP:8080/a?b").build().host()).isEqualTo("Example.JP");
        assertThat(InspectionRequest.http("GET", "http://[2001:db8::1]:80/").build().host()).isEqualTo("[2001:db8::1]");
        assertThat(InspectionRequest.http("GET", "https://example.jp").build().host()).isEqualTo("example.jp");
    }

    @Test
    void macAddressPrintsCanonically() {
        assertThat(MacAddress.parse("00-1A-2B-3C-4D-5E").toString()).isEqualTo("00:1a:2b:3c:4d:5e");
        assertThatThrownBy(() -> MacAddress.parse("00:1a")).hasMessageContaining("not a MAC");
    }

    @Test
    void engineIdsAreBounded() {
        assertThatThrownBy(() -> new EngineDescriptor("Bad Id", "1", java.util.Set.of(SecurityFunction.IPS)))
                .hasMessageContaining("engine id");
    }
}
