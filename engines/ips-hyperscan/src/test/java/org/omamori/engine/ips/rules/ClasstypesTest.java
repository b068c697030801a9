package org.omamori.engine.ips.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;

class ClasstypesTest {

    private final Classtypes standard = Classtypes.standard();

    @ParameterizedTest
    @CsvSource({
            "trojan-activity,CRITICAL,infection", "command-and-control,CRITICAL,infection", "domain-c2,CRITICAL,infection",
            "coin-mining,MEDIUM,infection", "malware-download,HIGH,malware",
            "web-application-attack,HIGH,exploit-attempt", "attempted-admin,HIGH,exploit-attempt",
            "attempted-user,HIGH,exploit-attempt", "shellcode-detect,HIGH,exploit-attempt",
            "successful-admin,HIGH,exploit-attempt", "exploit-kit,HIGH,exploit-attempt", "attempted-dos,MEDIUM,exploit-attempt",
            "attempted-recon,MEDIUM,reconnaissance", "network-scan,LOW,reconnaissance",
            "policy-violation,HIGH,policy", "pup-activity,MEDIUM,policy",
            "social-engineering,MEDIUM,phishing", "credential-theft,HIGH,phishing",
            "bad-unknown,MEDIUM,suspicious", "misc-activity,LOW,suspicious", "unknown,LOW,suspicious",
            "not-suspicious,LOW,", "tcp-connection,LOW,"})
    void standardClasses(String classtype, Level level, String evidence) {
        assertThat(standard.grade(classtype, 0))
                .isEqualTo(new Classtypes.Grade(level, evidence == null ? Evidence.NONE : new Evidence(evidence), true));
    }

    @Test
    void theRulesPriorityWinsButCriticalNeedsPriorityOne() {
        assertThat(standard.grade("trojan-activity", 2).level()).isEqualTo(Level.MEDIUM);
        assertThat(standard.grade("misc-activity", 1).level()).isEqualTo(Level.HIGH);
        assertThat(standard.grade("trojan-activity", 1).level()).isEqualTo(Level.CRITICAL);
        assertThat(standard.grade("web-application-attack", 4).level()).isEqualTo(Level.LOW);
        assertThat(standard.grade("Trojan-Activity", 0).level()).isEqualTo(Level.CRITICAL);
    }

    @Test
    void unknownClassIsLowSuspiciousAndReported() throws Exception {
        assertThat(standard.grade("made-up", 1)).isEqualTo(new Classtypes.Grade(Level.LOW, Evidence.SUSPICIOUS, false));
        assertThat(standard.grade("", 0)).isEqualTo(new Classtypes.Grade(Level.LOW, Evidence.SUSPICIOUS, true));
        assertThat(standard.grade("", 1).level()).isEqualTo(Level.HIGH);
        RuleParser p = new RuleParser(Variables.defaults());
        Rule known = ((ParseOutcome.Parsed) p.parse("alert tcp any any -> any any (classtype:trojan-activity; sid:1;)", "t", 1)).rule();
        Rule unknown = ((ParseOutcome.Parsed) p.parse("alert tcp any any -> any any (classtype:made-up; sid:2;)", "t", 2)).rule();
        assertThat(standard.unknownIn(List.of(known, unknown))).containsExactly("made-up");
    }

    @Test
    void everyStandardClassIsGraded() {
        assertThat(standard.all()).hasSizeGreaterThan(40);
        assertThat(standard.all().values()).allSatisfy(c -> assertThat(c.description()).isNotBlank());
    }

    @Test
    void operatorOverridesReplaceAndAdd(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("classification.config");
        Files.writeString(f, """
                # operator's file
                config classification: misc-activity,Other activity we care about,1
                config classification: company-rule,Against our house rules,2
                config grading: company-rule,policy
                config grading: misc-activity,infection,critical
                """);
        Classtypes c = standard.with(f);
        assertThat(c.grade("misc-activity", 0)).isEqualTo(new Classtypes.Grade(Level.CRITICAL, Evidence.INFECTION, true));
        assertThat(c.grade("company-rule", 0)).isEqualTo(new Classtypes.Grade(Level.MEDIUM, Evidence.POLICY, true));
        assertThat(c.grade("trojan-activity", 0).level()).isEqualTo(Level.CRITICAL);
        assertThat(standard.grade("misc-activity", 0).level()).isEqualTo(Level.LOW);
    }

    @Test
    void badLinesSayWhereAndWhy() {
        assertThatThrownBy(() -> Classtypes.parse("c.config", new StringReader("config classification: x,y\n")))
                .hasMessage("c.config:1: classification: expected shortname,description,priority");
        assertThatThrownBy(() -> Classtypes.parse("c.config", new StringReader("\nconfig grading: x,policy\n")))
                .hasMessage("c.config:2: grading: no classification line for x before it");
        assertThatThrownBy(() -> Classtypes.parse("c.config", new StringReader("config classification: x,y,z\n")))
                .hasMessage("c.config:1: bad priority 'z'");
        assertThatThrownBy(() -> Classtypes.parse("c.config", new StringReader("config classification: x,y,1\nconfig grading: x,Bad Id\n")))
                .hasMessage("c.config:2: grading: bad evidence 'bad id'");
        assertThatThrownBy(() -> Classtypes.parse("c.config", new StringReader("classification x\n")))
                .hasMessage("c.config:1: expected 'config classification:' or 'config grading:'");
    }
}
