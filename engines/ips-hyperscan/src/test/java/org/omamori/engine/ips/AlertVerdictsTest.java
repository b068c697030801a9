package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.Verdict;

/** The inspection's alerts make the verdict {@link Verdict#of} makes of them, whatever their actions, levels and order. */
class AlertVerdictsTest {

    @Test
    void makesTheVerdictVerdictOfMakes() {
        Random random = new Random(18);
        for (int round = 0; round < 2_000; round++) {
            AlertVerdicts alerts = new AlertVerdicts();
            List<Verdict> list = new ArrayList<>();
            assertThat(alerts.verdict()).isEqualTo(Verdict.of(list));
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                Verdict v = verdict(random, i);
                alerts.add(v);
                list.add(v);
                Verdict made = alerts.verdict();
                Verdict expected = Verdict.of(list);
                assertThat(made).as("round %d after %d alerts", round, i + 1).isEqualTo(expected);
                assertThat(made.findings()).isEqualTo(expected.findings());
            }
            assertThat(alerts.size()).isEqualTo(n);
        }
    }

    private static Verdict verdict(Random random, int i) {
        Action action = Action.values()[random.nextInt(Action.values().length)];
        Optional<Finding> finding = action == Action.PASS && random.nextInt(3) == 0 ? Optional.empty()
                : Optional.of(new Finding("sid:" + i, "rule " + i, Level.values()[random.nextInt(Level.values().length)], 50));
        List<Verdict> further = finding.isPresent() && random.nextInt(5) == 0
                ? List.of(Verdict.pass(new Finding("sid:f" + i, "further", Level.LOW, 10))) : List.of();
        return new Verdict(action, finding, "note " + i, further);
    }
}
