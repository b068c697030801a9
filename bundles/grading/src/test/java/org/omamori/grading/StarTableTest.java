package org.omamori.grading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omamori.api.engine.Verdict;
import org.omamori.events.Event;

class StarTableTest {

    static StarTable parse(String text) throws Exception {
        return StarTable.parse("reseller.table", new StringReader(text));
    }

    @Test
    void theStandardTableLoads() {
        StarTable t = StarTable.standard();
        assertThat(t.dedup()).hasHours(1);
        assertThat(t.rules()).extracting(StarTable.Rule::id).startsWith("low-confidence", "suspicious", "c2-communication");
        assertThat(t.counts()).extracting(StarTable.CountRule::id).containsExactly("repeated-malware", "mixed-threats");
        assertThat(t.longestWindow()).hasHours(24);
    }

    @Test
    void aResellerTableRegradesAndTheFirstMatchingRuleWins() throws Exception {
        StarTable t = parse("""
                # a stricter reseller: phishing is ★★☆, everything else off
                dedup 30m
                rule phishing ★★☆ evidence=phishing
                rule rest     none
                rule never    ★★★ evidence=phishing
                """);
        Traffic traffic = new Traffic();
        Event e = traffic.http("http://login.bank-jp.example/", Traffic.URL, Verdict.block(Traffic.PHISHING));
        Event virus = traffic.http("http://dl.example.jp/a.zip", Traffic.AV, Traffic.infected("Eicar-Signature"));

        Grader g = new Grader(t);
        assertThat(g.accept(e)).singleElement().satisfies(c -> assertThat(c.alert().grade()).isEqualTo(Grade.MEDIUM));
        assertThat(g.accept(virus)).isEmpty();
        assertThat(t.dedup()).hasMinutes(30);
    }

    @Test
    void conditionsCompareLevelsConfidenceAndRulePrefixes() throws Exception {
        StarTable t = parse("""
                rule a 調査中 level>=high confidence<=40
                rule b ★★★ rule=sid:9000011,sid:9000012 result!=pass
                rule c ★☆☆ rule=category:* from=lan to=wan function=url-filtering engine=urlfilter
                """);
        Facts beacon = Facts.of(new Traffic().http("http://x.example/c2/beacon", Traffic.IPS, Verdict.block(Traffic.C2_BEACON)));
        Facts weak = Facts.of(new Traffic().http("http://x.example/", Traffic.IPS, Verdict.pass(Traffic.WEAK_C2)));
        Facts phishing = Facts.of(new Traffic().http("http://x.example/", Traffic.URL, Verdict.block(Traffic.PHISHING)));

        assertThat(t.grade(beacon)).map(StarTable.Rule::id).contains("b");
        assertThat(t.grade(weak)).map(StarTable.Rule::id).contains("a");
        assertThat(t.grade(phishing)).map(StarTable.Rule::id).contains("c");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            rule a ★★★ evidence=infection\\nrule a ★★☆ evidence=malware        | reseller.table:2: rule id 'a' used twice
            dedup 1h\\n\\nrule a ★★★★ evidence=infection                       | reseller.table:3: unknown grade '★★★★'
            rule a ★★★ evidnce=infection                                      | reseller.table:1: unknown key 'evidnce'
            rule a ★★★ evidence=Infection!                                    | reseller.table:1: bad value 'infection!' for evidence
            rule a ★★★ result=allowed                                         | reseller.table:1: bad value 'allowed' for result: expected pass, block, neutralise or not-scanned
            rule a ★★★ level>=severe                                          | reseller.table:1: bad value 'severe' for level
            rule a ★★★ confidence<150                                         | reseller.table:1: bad value '150' for confidence: expected 0 to 100
            rule a ★★★ direction>=outbound                                    | reseller.table:1: direction takes = or !=
            rule a ★★★ direction=sideways                                     | reseller.table:1: bad value 'sideways' for direction
            rule a ★★★ evidence                                               | reseller.table:1: expected a condition such as 'evidence=malware'
            # ok\\nalert a ★★★ evidence=infection                             | reseller.table:2: expected 'dedup', 'rule' or 'count' but found 'alert'
            rule A ★★★                                                        | reseller.table:1: bad rule id 'A'
            rule a                                                            | reseller.table:1: expected 'rule <id> <grade> <condition>...'
            count m ★★★ evidence=malware at-least=3 within=24h                | reseller.table:1: a count rule needs distinct=, at-least= and within=
            count m ★★★ evidence=malware distinct=rule at-least=3 within=48h  | reseller.table:1: within=48h is longer than the 24h the grader keeps
            count m ★★★ evidence=malware distinct=host at-least=3 within=1h   | reseller.table:1: bad 'distinct=host'
            count m ★★★ evidence=malware distinct=rule at-least=1 within=1h   | reseller.table:1: bad 'at-least=1'
            count m none evidence=malware distinct=rule at-least=3 within=1h  | reseller.table:1: a count rule must grade
            dedup 1h\\ndedup 2h\\nrule a ★★★                                  | reseller.table:2: dedup given twice
            dedup soon\\nrule a ★★★                                           | reseller.table:1: bad dedup time 'soon'
            # nothing but comments                                            | reseller.table:1: the table has no rule
            """)
    void aBadTableFailsWithFileAndLine(String text, String message) {
        assertThatThrownBy(() -> parse(text.replace("\\n", "\n")))
                .isInstanceOf(StarTableException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void theExceptionCarriesTheLine() {
        assertThatThrownBy(() -> parse("dedup 1h\nrule ok ★★★ evidence=infection\nrule bad ★★★ zone=lan\n"))
                .isInstanceOfSatisfying(StarTableException.class, e -> {
                    assertThat(e.file()).isEqualTo("reseller.table");
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("expected one of evidence, result, level");
                });
    }

    @Test
    void gradesReadAsTheTableWritesThemAndOrderByImportance() {
        assertThat(Grade.parse("★★★")).isEqualTo(Grade.HIGH);
        assertThat(Grade.parse("調査中")).isEqualTo(Grade.UNDER_INVESTIGATION);
        assertThat(Grade.parse("medium")).isEqualTo(Grade.MEDIUM);
        assertThat(Grade.LOW.max(Grade.HIGH)).isEqualTo(Grade.HIGH);
        assertThat(Grade.UNDER_INVESTIGATION.max(Grade.LOW)).isEqualTo(Grade.LOW);
        assertThat(Grade.HIGH.mark()).isEqualTo("重要度: ★★★(高)");
        assertThat(Grade.MEDIUM.meaningJa()).startsWith("マルウェアに感染している可能性があり");
    }
}
