package org.omamori.engine.antispam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.antispam.rspamd.Reply;

class SpamVerdictsTest {

    @Test
    void scoreMapsToPassTagOrRefuseWithTheNoteTheIntakeWrites() {
        Reply reply = new Reply(7.3, 15, List.of("SYM_A", "SYM_B"));
        Verdict tag = SpamVerdicts.of(reply, Thresholds.DEFAULTS);
        assertThat(tag.action()).isEqualTo(Action.NEUTRALISE);
        assertThat(tag.note()).isEqualTo("score=7.30 required=6.00 symbols=SYM_A,SYM_B");
        assertThat(tag.finding().orElseThrow().level()).isEqualTo(Level.MEDIUM);

        Verdict refuse = SpamVerdicts.of(new Reply(22, 15, List.of("X")), Thresholds.DEFAULTS);
        assertThat(refuse.action()).isEqualTo(Action.BLOCK);
        assertThat(refuse.note()).isEqualTo("score=22.00 required=15.00 symbols=X");
        assertThat(refuse.finding().orElseThrow().ruleId()).isEqualTo("rspamd:spam");

        Verdict ham = SpamVerdicts.of(new Reply(-0.5, 15, List.of()), Thresholds.DEFAULTS);
        assertThat(ham.intervenes()).isFalse();
        assertThat(ham.finding()).isEmpty();
        assertThat(ham.note()).isEqualTo("score=-0.50 required=6.00 symbols=");
    }

    @Test
    void theNoteIsBoundedAndCutBetweenSymbols() {
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            symbols.add("A_RATHER_LONG_SYMBOL_NAME_" + i);
        }
        String note = SpamVerdicts.of(new Reply(30, 15, symbols), Thresholds.DEFAULTS).note();
        assertThat(note).hasSizeLessThanOrEqualTo(SpamVerdicts.MAX_NOTE).endsWith(",...").matches("[\\x20-\\x7e]+");
        assertThat(note.split("symbols=")[1].split(",")).allMatch(s -> s.equals("...") || s.startsWith("A_RATHER_LONG_SYMBOL_NAME_"));
        String oneTooLong = SpamVerdicts.note(1, 6, List.of("X".repeat(400)));
        assertThat(oneTooLong).isEqualTo("score=1.00 required=6.00 symbols=...");
    }
}
