package org.omamori.grading;

import static java.time.Duration.ofHours;
import static java.time.Duration.ofMinutes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.omamori.grading.Traffic.AV;
import static org.omamori.grading.Traffic.C2_BEACON;
import static org.omamori.grading.Traffic.C2_CATEGORY;
import static org.omamori.grading.Traffic.IPS;
import static org.omamori.grading.Traffic.MALWARE_SITE;
import static org.omamori.grading.Traffic.NEWS;
import static org.omamori.grading.Traffic.NEW_DOMAIN;
import static org.omamori.grading.Traffic.NIKTO;
import static org.omamori.grading.Traffic.NOT_SCANNED;
import static org.omamori.grading.Traffic.PC;
import static org.omamori.grading.Traffic.PHISHING;
import static org.omamori.grading.Traffic.SERVER;
import static org.omamori.grading.Traffic.SQLI;
import static org.omamori.grading.Traffic.T0;
import static org.omamori.grading.Traffic.URL;
import static org.omamori.grading.Traffic.WEAK_C2;
import static org.omamori.grading.Traffic.infected;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Verdict;
import org.omamori.events.Event;
import org.omamori.events.Kind;
import org.omamori.events.Result;

class GraderTest {

    final Traffic traffic = new Traffic();
    final Grader grader = new Grader(StarTable.standard());

    Event beacon(Duration at, String to) {
        return traffic.at(at).http(Traffic.outbound(PC, to), "http://" + to + "/c2/beacon", IPS, Verdict.block(C2_BEACON));
    }

    Event virus(Duration at, String signature) {
        return traffic.at(at).http("http://dl.example.jp/" + signature + ".zip", AV, infected(signature));
    }

    static AlertChange only(List<AlertChange> changes) {
        assertThat(changes).hasSize(1);
        return changes.getFirst();
    }

    // --- the default rules, one by one -------------------------------------------------------

    @Test
    void aLanHostBeaconingToC2IsThreeStarsEvenWhenBlocked() {
        Event e = beacon(Duration.ZERO, "198.51.100.9");
        assertThat(e.result()).isEqualTo(Result.BLOCK);

        AlertChange c = only(grader.accept(e));

        assertThat(c.type()).isEqualTo(AlertChange.Type.OPENED);
        assertThat(c.mails()).isTrue();
        Alert a = c.alert();
        assertThat(a.grade()).isEqualTo(Grade.HIGH);
        assertThat(a.grade().stars()).isEqualTo("★★★");
        assertThat(a.rule()).isEqualTo("c2-communication");
        assertThat(a.host().toString()).isEqualTo("192.168.1.23 (00:1a:2b:3c:4d:5e)");
        assertThat(a.events()).containsExactly(e.id());
        assertThat(a.id()).isEqualTo(AlertId.of("c2-communication", e.appliance(), e.id()));
    }

    @Test
    void aC2DomainFromTheListsIsThreeStarsWhetherBlockedOrPassed() {
        Event blocked = traffic.dns("gate.bad-c2.example", Verdict.block(C2_CATEGORY));
        Event passed = traffic.at(ofHours(2)).dns("other-c2.example", Verdict.pass(C2_CATEGORY));

        assertThat(only(grader.accept(blocked)).alert().grade()).isEqualTo(Grade.HIGH);
        Alert a = only(grader.accept(passed)).alert();
        assertThat(a.grade()).isEqualTo(Grade.HIGH);
        assertThat(a.facts().dnsName()).isEqualTo("other-c2.example");
    }

    @Test
    void malwareThatReachedTheHostUnblockedIsTwoStars() {
        Event unscanned = traffic.http("http://files.example.jp/big.iso", AV,
                Verdict.pass(NOT_SCANNED).withNote("not scanned: over the scan limit"));
        Event site = traffic.at(ofHours(1)).http("http://malware.example/dropper.exe", URL, Verdict.pass(MALWARE_SITE));
        assertThat(unscanned.result()).isEqualTo(Result.NOT_SCANNED);

        assertThat(only(grader.accept(unscanned)).alert()).satisfies(a -> {
            assertThat(a.grade()).isEqualTo(Grade.MEDIUM);
            assertThat(a.rule()).isEqualTo("unscanned-passed");
        });
        assertThat(only(grader.accept(site)).alert()).satisfies(a -> {
            assertThat(a.grade()).isEqualTo(Grade.MEDIUM);
            assertThat(a.rule()).isEqualTo("malware-passed");
        });
    }

    @Test
    void anExploitAgainstALanServerIsTwoStarsUnblockedAndOneStarBlocked() {
        var passedFinding = new org.omamori.api.engine.Finding(SQLI.ruleId(), SQLI.ruleName(),
                org.omamori.api.engine.Level.MEDIUM, 80, Evidence.EXPLOIT_ATTEMPT);
        Event passed = traffic.http(Traffic.inbound("203.0.113.66", SERVER), "http://shop.example.jp/item?id=1%20union%20select",
                IPS, Verdict.pass(passedFinding));
        Event blocked = traffic.at(ofHours(3)).http(Traffic.inbound("203.0.113.66", SERVER),
                "http://shop.example.jp/item?id=2%20union%20select", IPS, Verdict.block(SQLI));

        Alert a = only(grader.accept(passed)).alert();
        assertThat(a.grade()).isEqualTo(Grade.MEDIUM);
        assertThat(a.rule()).isEqualTo("exploit-passed");
        assertThat(a.host().toString()).as("the attacked host is the LAN server").isEqualTo(SERVER);
        assertThat(a.facts().peerKey()).isEqualTo("203.0.113.66");
        Alert b = only(grader.accept(blocked)).alert();
        assertThat(b.grade()).isEqualTo(Grade.LOW);
        assertThat(b.rule()).isEqualTo("exploit-blocked");
    }

    @Test
    void aBlockedThreatIsOneStar() {
        Alert neutralised = only(grader.accept(virus(Duration.ZERO, "Eicar-Signature"))).alert();
        Alert phishing = only(grader.accept(traffic.at(ofMinutes(5))
                .http("http://login.bank-jp.example/", URL, Verdict.block(PHISHING)))).alert();

        assertThat(neutralised.grade()).isEqualTo(Grade.LOW);
        assertThat(neutralised.rule()).isEqualTo("malware-stopped");
        assertThat(phishing.grade()).isEqualTo(Grade.LOW);
        assertThat(phishing.rule()).isEqualTo("phishing-blocked");
    }

    @Test
    void suspiciousOrLowConfidenceFindingsAreUnderInvestigation() {
        Alert suspicious = only(grader.accept(traffic.dns("x7f3.newly-seen.cloud", Verdict.pass(NEW_DOMAIN)))).alert();
        Alert weak = only(grader.accept(traffic.at(ofMinutes(1))
                .http("http://203.0.113.50/img.gif?u=1", IPS, Verdict.pass(WEAK_C2)))).alert();

        assertThat(suspicious.grade()).isEqualTo(Grade.UNDER_INVESTIGATION);
        assertThat(suspicious.grade().mark()).isEqualTo("※調査中※");
        assertThat(weak.grade()).isEqualTo(Grade.UNDER_INVESTIGATION);
        assertThat(weak.rule()).isEqualTo("low-confidence");
        assertThat(only(grader.accept(traffic.at(ofMinutes(2)).dns("y.newly-seen.cloud", Verdict.pass(NEW_DOMAIN)))).mails())
                .as("a new alert under investigation is mailed with ※調査中※").isTrue();
    }

    @Test
    void reconnaissancePolicyAndFailClosedUnscannedAreNoImportantAlert() {
        Event recon = traffic.http(Traffic.inbound("203.0.113.66", SERVER), "http://shop.example.jp/", IPS, Verdict.pass(NIKTO));
        // EventFactory (events 1.0) reports every unscanned item as not-scanned, even a fail-closed
        // block; the event below is what it would say if it kept the block.
        Event failClosed = with(traffic.http("http://files.example.jp/big.iso", AV,
                Verdict.block(NOT_SCANNED).withNote("blocked because it could not be scanned: clamd down")),
                Kind.THREAT, Result.BLOCK);

        assertThat(grader.accept(recon)).isEmpty();
        assertThat(grader.accept(failClosed)).isEmpty();
        assertThat(grader.remembered()).isEqualTo(2);
    }

    @Test
    void accessLogsAreNeverGraded() {
        Event clean = traffic.dns("www.example.jp", Verdict.clean());
        Event news = traffic.http("http://news.example.jp/", URL, Verdict.pass(NEWS));
        assertThat(clean.kind()).isEqualTo(Kind.ACCESS);
        assertThat(news.kind()).isEqualTo(Kind.ACCESS);
        Event c2 = beacon(Duration.ZERO, "198.51.100.9");
        Event mislabelled = with(c2, Kind.ACCESS, c2.result());

        assertThat(grader.accept(clean)).isEmpty();
        assertThat(grader.accept(news)).isEmpty();
        assertThat(grader.accept(mislabelled)).as("even an access log carrying infection evidence").isEmpty();
        assertThat(grader.accept(traffic.factory.system("spool:dropped", "access logs dropped",
                org.omamori.api.engine.Level.MEDIUM, "12 dropped"))).isEmpty();
        assertThat(grader.remembered()).isZero();
    }

    // --- accumulation over 24 h ------------------------------------------------------------------

    @Test
    void threeDifferentMalwareDetectionsWithin24HoursAreThreeStars() {
        Event a = virus(Duration.ZERO, "Win.Trojan.Agent-1");
        Event b = virus(ofHours(8), "Doc.Downloader.Emotet-2");
        Event c = virus(ofHours(23), "Js.Coinminer.Generic-3");

        assertThat(grader.accept(a)).extracting(x -> x.alert().grade()).containsExactly(Grade.LOW);
        assertThat(grader.accept(b)).extracting(x -> x.alert().grade()).containsExactly(Grade.LOW);
        List<AlertChange> third = grader.accept(c);

        assertThat(third).extracting(x -> x.alert().grade()).containsExactly(Grade.LOW, Grade.HIGH);
        Alert high = third.get(1).alert();
        assertThat(high.rule()).isEqualTo("repeated-malware");
        assertThat(high.accumulated()).isTrue();
        assertThat(high.events()).containsExactly(a.id(), b.id(), c.id());
        assertThat(high.count()).isEqualTo(3);
        assertThat(high.first()).isEqualTo(T0);
        assertThat(high.last()).isEqualTo(T0.plus(ofHours(23)));
        assertThat(third.get(1).mails()).isTrue();
        assertThat(Advice.of(high).ja()).contains("192.168.1.23", "3件", "フルスキャン");
    }

    @Test
    void twoKindsOfMalwareAreNotEnoughHoweverOftenTheyRepeat() {
        List<AlertChange> all = new ArrayList<>();
        all.addAll(grader.accept(virus(Duration.ZERO, "Win.Trojan.Agent-1")));
        all.addAll(grader.accept(virus(ofHours(2), "Doc.Downloader.Emotet-2")));
        all.addAll(grader.accept(virus(ofHours(4), "Win.Trojan.Agent-1")));
        all.addAll(grader.accept(virus(ofHours(6), "Doc.Downloader.Emotet-2")));

        assertThat(all).extracting(x -> x.alert().grade()).containsOnly(Grade.LOW);
    }

    @Test
    void threeKindsSpreadOver25HoursAreNotThreeStars() {
        List<AlertChange> all = new ArrayList<>();
        all.addAll(grader.accept(virus(Duration.ZERO, "Win.Trojan.Agent-1")));
        all.addAll(grader.accept(virus(ofHours(12), "Doc.Downloader.Emotet-2")));
        all.addAll(grader.accept(virus(ofHours(25), "Js.Coinminer.Generic-3")));

        assertThat(all).extracting(x -> x.alert().grade()).containsOnly(Grade.LOW);
    }

    @Test
    void evidenceAccumulatesPerHostNotPerCustomer() {
        grader.accept(virus(Duration.ZERO, "Win.Trojan.Agent-1"));
        grader.accept(virus(ofHours(1), "Doc.Downloader.Emotet-2"));
        Event otherHost = traffic.at(ofHours(2)).http(Traffic.outboundNoMac("192.168.1.99", "203.0.113.7"),
                "http://dl.example.jp/x.zip", AV, infected("Js.Coinminer.Generic-3"));

        assertThat(grader.accept(otherHost)).extracting(x -> x.alert().grade()).containsExactly(Grade.LOW);
    }

    @Test
    void threeKindsOfThreatAtOneHostAreTwoStars() {
        grader.accept(traffic.http("http://login.bank-jp.example/", URL, Verdict.block(PHISHING)));
        grader.accept(virus(ofHours(1), "Win.Trojan.Agent-1"));
        List<AlertChange> third = grader.accept(traffic.at(ofHours(2)).http("http://files.example.jp/big.iso", AV,
                Verdict.pass(NOT_SCANNED).withNote("not scanned: over the scan limit")));

        assertThat(third).extracting(x -> x.alert().rule()).containsExactly("unscanned-passed", "mixed-threats");
        assertThat(third.get(1).alert().grade()).isEqualTo(Grade.MEDIUM);
    }

    // --- noise control ----------------------------------------------------------------------------

    @Test
    void repeatsOfOneFindingWithinTheHourAreOneAlertWithACount() {
        List<AlertChange> changes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            changes.addAll(grader.accept(beacon(ofMinutes(10L * i), "198.51.100.9")));
        }

        assertThat(changes).extracting(AlertChange::type).containsExactly(AlertChange.Type.OPENED,
                AlertChange.Type.REPEATED, AlertChange.Type.REPEATED, AlertChange.Type.REPEATED, AlertChange.Type.REPEATED);
        assertThat(changes).filteredOn(AlertChange::mails).hasSize(1);
        Alert last = changes.getLast().alert();
        assertThat(last.id()).isEqualTo(changes.getFirst().alert().id());
        assertThat(last.count()).isEqualTo(5);
        assertThat(last.events()).hasSize(5);
        assertThat(last.first()).isEqualTo(T0);
        assertThat(last.last()).isEqualTo(T0.plus(ofMinutes(40)));
    }

    @Test
    void aFoldedEventAddsItsOccurrencesToTheAlert() {
        // the appliance sends the first blocks at once and a loop's repeats in a minute as one event (decision 0028)
        AlertChange opened = only(grader.accept(beacon(Duration.ZERO, "198.51.100.9")));
        Event repeats = beacon(ofMinutes(1), "198.51.100.9");
        repeats = repeats.withCount(120, repeats.time().plusSeconds(59));
        AlertChange repeated = only(grader.accept(repeats));

        assertThat(opened.alert().count()).isEqualTo(1);
        assertThat(repeated.type()).isEqualTo(AlertChange.Type.REPEATED);
        assertThat(repeated.mails()).isFalse();
        assertThat(repeated.alert().id()).isEqualTo(opened.alert().id());
        assertThat(repeated.alert().count()).isEqualTo(121);
        assertThat(repeated.alert().last()).isEqualTo(T0.plus(ofMinutes(1)).plusSeconds(59));

        // an alert opened by a folded event counts its occurrences from the start
        Event folded = beacon(ofMinutes(200), "198.51.100.77");
        AlertChange other = only(grader.accept(folded.withCount(7, folded.time().plusSeconds(30))));
        assertThat(other.type()).isEqualTo(AlertChange.Type.OPENED);
        assertThat(other.alert().count()).isEqualTo(7);
        assertThat(other.alert().last()).isEqualTo(folded.time().plusSeconds(30));
    }

    @Test
    void anotherDestinationOrAGapLongerThanTheWindowOpensANewAlert() {
        AlertChange first = only(grader.accept(beacon(Duration.ZERO, "198.51.100.9")));
        AlertChange otherC2 = only(grader.accept(beacon(ofMinutes(5), "198.51.100.10")));
        AlertChange later = only(grader.accept(beacon(ofMinutes(5 + 61), "198.51.100.9")));

        assertThat(otherC2.type()).isEqualTo(AlertChange.Type.OPENED);
        assertThat(later.type()).isEqualTo(AlertChange.Type.OPENED);
        assertThat(later.alert().id()).isNotEqualTo(first.alert().id());
    }

    @Test
    void anEventSeenTwiceIsGradedOnce() {
        Event e = beacon(Duration.ZERO, "198.51.100.9");
        assertThat(grader.accept(e)).hasSize(1);
        assertThat(grader.accept(e)).isEmpty();
    }

    // --- suppressions -----------------------------------------------------------------------------

    @Test
    void aSuppressedRuleIsCountedButNeverMailedUntilItExpires() {
        grader.suppressions(List.of(new Suppression("s1", "clamav:Win.Trojan.Agent-1", Optional.of(PC_MAC()),
                "test machine of the IT vendor", "operator:tanaka", T0, T0.plus(ofHours(10)))));

        AlertChange suppressed = only(grader.accept(virus(Duration.ZERO, "Win.Trojan.Agent-1")));
        assertThat(suppressed.alert().suppressedBy()).contains("s1");
        assertThat(suppressed.mails()).isFalse();

        grader.accept(virus(ofHours(1), "Doc.Downloader.Emotet-2"));
        List<AlertChange> third = grader.accept(virus(ofHours(2), "Js.Coinminer.Generic-3"));
        assertThat(third).extracting(x -> x.alert().rule()).as("the suppressed detection still counts")
                .containsExactly("malware-stopped", "repeated-malware");

        List<AlertChange> later = grader.accept(virus(ofHours(10), "Win.Trojan.Agent-1"));
        assertThat(later).extracting(x -> x.alert().rule()).containsExactly("malware-stopped", "repeated-malware");
        assertThat(later.get(1).type()).as("still the same ★★★ host").isEqualTo(AlertChange.Type.REPEATED);
        AlertChange afterExpiry = later.getFirst();
        assertThat(afterExpiry.alert().suppressed()).isFalse();
        assertThat(afterExpiry.mails()).isTrue();
    }

    @Test
    void aCustomerWideSuppressionOfATableRuleCoversEveryHost() {
        grader.suppressions(List.of(new Suppression("s2", "phishing-blocked", Optional.empty(),
                "training campaign by the customer", "customer:admin@example.jp", T0, T0.plus(ofHours(24)))));
        AlertChange a = only(grader.accept(traffic.http("http://login.bank-jp.example/", URL, Verdict.block(PHISHING))));
        AlertChange b = only(grader.accept(traffic.http(Traffic.outboundNoMac("192.168.1.99", "203.0.113.7"),
                "http://login.bank-jp.example/", URL, Verdict.block(PHISHING))));
        AlertChange c2 = only(grader.accept(beacon(ofMinutes(1), "198.51.100.9")));

        assertThat(a.mails()).isFalse();
        assertThat(b.mails()).isFalse();
        assertThat(c2.mails()).as("other rules are not suppressed").isTrue();
    }

    @Test
    void aHostSuppressionLeavesOtherHostsAlone() {
        grader.suppressions(List.of(new Suppression("s3", "c2-communication", Optional.of("192.168.1.99"),
                "sinkhole tester", "operator:sato", T0, T0.plus(ofHours(1)))));
        assertThat(only(grader.accept(beacon(Duration.ZERO, "198.51.100.9"))).mails()).isTrue();
    }

    @Test
    void aSuppressionSaysWhyWhoAndUntilWhen() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Suppression("s", "c2-communication", Optional.empty(), " ",
                "operator:sato", T0, T0.plus(ofHours(1)))).hasMessageContaining("reason is empty");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Suppression("s", "c2-communication", Optional.empty(), "why",
                "operator:sato", T0, T0)).hasMessageContaining("must end after it starts");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Suppression("s", "c2-communication", Optional.of("pc-23.local"),
                "why", "operator:sato", T0, T0.plus(ofHours(1)))).hasMessageContaining("not an IP address literal");
        Suppression s = new Suppression("s", "c2-communication", Optional.of("00-1A-2B-3C-4D-5E"), "why", "operator:sato",
                T0, T0.plus(ofHours(1)));
        assertThat(s.host()).contains("00:1a:2b:3c:4d:5e");
        assertThat(s.activeAt(T0.plus(ofHours(1)))).as("until is exclusive").isFalse();
    }

    // --- another node continues ------------------------------------------------------------------

    @Test
    void aResumedGraderContinuesFromStoredAlertsAndEvents() {
        Event a = virus(Duration.ZERO, "Win.Trojan.Agent-1");
        Event b = virus(ofHours(1), "Doc.Downloader.Emotet-2");
        Event beacon = beacon(ofHours(1), "198.51.100.9");
        grader.accept(a);
        grader.accept(b);
        Alert open = only(grader.accept(beacon)).alert();

        Grader next = Grader.resume(StarTable.standard(), grader.openAlerts(), List.of(a, b, beacon));

        assertThat(next.accept(b)).as("already graded").isEmpty();
        AlertChange repeat = only(next.accept(beacon(ofHours(1).plusMinutes(10), "198.51.100.9")));
        assertThat(repeat.type()).isEqualTo(AlertChange.Type.REPEATED);
        assertThat(repeat.alert().id()).isEqualTo(open.id());
        assertThat(next.accept(virus(ofHours(2), "Js.Coinminer.Generic-3")))
                .extracting(x -> x.alert().grade()).contains(Grade.HIGH);
    }

    @Test
    void aGraderResumedFromNothingStartsEmpty() {
        Grader empty = Grader.resume(StarTable.standard(), List.of(), List.of());
        assertThat(empty.remembered()).isZero();
        assertThat(empty.accept(beacon(Duration.ZERO, "198.51.100.9"))).hasSize(1);
    }

    @Test
    void stateStaysWithinTheLast24Hours() {
        for (int i = 0; i < 30; i++) {
            grader.accept(virus(ofHours(i), "Win.Trojan.Agent-" + i));
        }
        assertThat(grader.remembered()).isLessThanOrEqualTo(25);
        assertThat(grader.openAlerts()).allSatisfy(x -> assertThat(x.last()).isAfter(T0.plus(ofHours(29 - 25))));
    }

    static Event with(Event e, Kind kind, Result result) {
        return new Event(e.id(), e.appliance(), e.time(), kind, e.zones(), e.source(), e.sourcePort(),
                e.destination(), e.destinationPort(), e.mac(), e.host(), e.url(), e.dnsName(), e.function(),
                e.engineId(), e.engineVersion(), e.ruleId(), e.ruleName(), result, e.level(), e.confidence(),
                e.evidence(), e.note());
    }

    private static String PC_MAC() {
        return "00-1A-2B-3C-4D-5E";
    }

    static Instant t(Duration d) {
        return T0.plus(d);
    }
}
