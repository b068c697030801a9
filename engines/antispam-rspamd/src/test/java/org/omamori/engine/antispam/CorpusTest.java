package org.omamori.engine.antispam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.omamori.api.engine.Action;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.antispam.rspamd.RspamdDaemon;

/**
 * Every mail of the hand-written corpus (src/test/resources/corpus, Japanese and English, ham
 * and spam) gets the verdict its name says from the real rspamd with the project's rules and
 * the default thresholds (tag 6, refuse 15): ham-* passes, tag-* is neutralised (tagged),
 * refuse-* is blocked (refused).
 */
class CorpusTest {

    private static AntispamEngine engine;

    @BeforeAll
    static void startRspamd() {
        engine = new AntispamEngine("test", AntispamSettings.DEFAULTS.withRspamd(RspamdDaemon.SHARED.start()));
    }

    static Stream<String> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(CorpusTest.class.getResource("/corpus").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml")).sorted().toList().stream();
        }
    }

    @Test
    void theCorpusHasAFewDozenMailsOfEveryKindInBothLanguages() throws Exception {
        List<String> names = corpus().toList();
        assertThat(names).hasSizeGreaterThanOrEqualTo(30);
        for (String kind : List.of("ham-ja-", "ham-en-", "tag-ja-", "tag-en-", "refuse-ja-", "refuse-en-")) {
            assertThat(names).as(kind).filteredOn(n -> n.startsWith(kind)).hasSizeGreaterThanOrEqualTo(3);
        }
        assertThat(names).anyMatch(n -> n.contains("iso2022jp")).anyMatch(n -> n.contains("utf8")).anyMatch(n -> n.contains("qp"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachMailGetsItsExpectedVerdict(String name) {
        byte[] mail = Mails.corpus(name);
        Verdict v = Mails.scan(engine, Mails.request(mail, Mails.INBOUND), mail, 1000);

        Action expected = name.startsWith("ham-") ? Action.PASS : name.startsWith("tag-") ? Action.NEUTRALISE : Action.BLOCK;
        assertThat(v.action()).as("%s: %s", name, v.note()).isEqualTo(expected);
        assertThat(v.note()).matches("score=-?[0-9]+\\.[0-9]{2} required=[0-9]+\\.[0-9]{2} symbols=[A-Za-z0-9_.,-]*")
                .hasSizeLessThanOrEqualTo(SpamVerdicts.MAX_NOTE).doesNotContain("@").doesNotContain("example");
        if (expected == Action.PASS) {
            assertThat(v.finding()).isEmpty();
            assertThat(v.note()).contains("required=6.00");
        } else {
            assertThat(v.finding()).hasValueSatisfying(f -> {
                assertThat(f.ruleId()).isEqualTo("rspamd:spam");
                assertThat(f.ruleName()).isEqualTo("迷惑メール (spam)");
                assertThat(f.evidence()).isEqualTo(Evidence.POLICY);
            });
            assertThat(v.note()).contains(expected == Action.BLOCK ? "required=15.00" : "required=6.00").contains("OMAMORI_");
        }
    }
}
