package org.omamori.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Zone;
import org.omamori.engine.av.clamd.ClamdDaemon;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.grading.Alert;
import org.omamori.grading.AlertChange;
import org.omamori.grading.Grade;
import org.omamori.grading.Grader;
import org.omamori.grading.StarTable;

/**
 * The standard profile once through the real engines (sample lists, project rules, real clamd
 * started by scripts/clamd.sh), its events made by the appliance's EventFactory, graded by the
 * real grader with the standard star table.
 */
class ProfileThroughRealEnginesTest {

    static Engines engines;

    @BeforeAll
    static void engines() {
        ClamdDaemon.SHARED.start();
        engines = Engines.start(Engines.sampleLists(), Engines.projectRules(), ClamdDaemon.SHARED.address());
        assertThat(engines.antivirus()).as("clamd answered, the antivirus takes part").isTrue();
    }

    @AfterAll
    static void close() {
        engines.close();
    }

    @Test
    void theStandardProfileMakesRealThreatsAndAccessLogsThatGradeHighAndLow() {
        EventFactory factory = new EventFactory(new ApplianceId("00a0de51a001"));
        CustomerHost host = CustomerHost.numbered(13);
        Map<TrafficStep, List<Event>> byStep = new LinkedHashMap<>();
        for (TrafficStep step : TrafficProfile.standard().once()) {
            byStep.put(step, StepRunner.run(engines.pipeline(), factory, host, step).events());
        }
        List<Event> all = byStep.values().stream().flatMap(List::stream).toList();
        all.forEach(e -> System.out.printf("%-7s %-10s %-12s %-22s %-11s %s%n", e.kind(), e.engineId(), e.evidence(), e.ruleId(),
                e.result(), e.url()));
        assertThat(all).allSatisfy(e -> {
            assertThat(e.zones().from()).isEqualTo(Zone.LAN);
            assertThat(e.zones().to()).isEqualTo(Zone.WAN);
            assertThat(e.source()).isEqualTo(host.address());
            assertThat(e.mac()).isEqualTo(host.mac());
        });

        // C2 beacon: outbound infection, from the URL filter's c2 category and the IPS rule.
        List<Event> beacon = events(byStep, TrafficStep.Kind.C2_BEACON);
        assertThat(beacon).allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Kind.THREAT);
            assertThat(e.evidence()).isEqualTo(Evidence.INFECTION);
            assertThat(e.result()).isEqualTo(Result.BLOCK);
        });
        assertThat(beacon).extracting(Event::ruleId).contains("category:c2", "sid:9000012");

        // EICAR (zipped): found by clamd inside the zip, neutralised by the antivirus.
        List<Event> eicar = events(byStep, TrafficStep.Kind.EICAR_DOWNLOAD);
        assertThat(eicar).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.THREAT);
            assertThat(e.engineId()).isEqualTo("av-clamav");
            assertThat(e.ruleId()).startsWith("clamav:").containsIgnoringCase("eicar");
            assertThat(e.evidence()).isEqualTo(Evidence.MALWARE);
            assertThat(e.result()).isEqualTo(Result.NEUTRALISE);
        });

        // Phishing visit: blocked by the URL filter.
        List<Event> phishing = events(byStep, TrafficStep.Kind.PHISHING);
        assertThat(phishing).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.THREAT);
            assertThat(e.evidence()).isEqualTo(Evidence.PHISHING);
            assertThat(e.result()).isEqualTo(Result.BLOCK);
            assertThat(e.ruleId()).isEqualTo("category:phishing");
        });

        // Ordinary browsing: access logs of categorised sites, passed; no threat.
        List<Event> browsing = events(byStep, TrafficStep.Kind.BROWSING);
        assertThat(browsing).isNotEmpty().allSatisfy(e -> {
            assertThat(e.kind()).isEqualTo(Kind.ACCESS);
            assertThat(e.result()).isEqualTo(Result.PASS);
        });
        assertThat(browsing).extracting(Event::ruleId).contains("category:news", "category:social", "category:games");

        // Graded as the cloud does: ★★★ c2-communication and ★☆☆ malware-stopped, phishing-blocked.
        Grader grader = new Grader(StarTable.standard());
        List<Alert> opened = new ArrayList<>();
        for (Event e : all) {
            for (AlertChange c : grader.accept(e)) {
                if (c.type() == AlertChange.Type.OPENED) {
                    opened.add(c.alert());
                }
            }
        }
        opened.forEach(a -> System.out.println(a.grade().mark() + " " + a.rule() + " " + a.facts().url() + " mails=" + !a.suppressed()));
        assertThat(opened).extracting(Alert::rule, Alert::grade).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("c2-communication", Grade.HIGH),
                org.assertj.core.groups.Tuple.tuple("malware-stopped", Grade.LOW),
                org.assertj.core.groups.Tuple.tuple("phishing-blocked", Grade.LOW));
    }

    @Test
    void withoutTheBeaconOnlyLowAlertsOpen() {
        EventFactory factory = new EventFactory(new ApplianceId("00a0de51a002"));
        Grader grader = new Grader(StarTable.standard());
        List<Grade> grades = new ArrayList<>();
        for (TrafficStep step : TrafficProfile.withoutBeacon().once()) {
            for (Event e : StepRunner.run(engines.pipeline(), factory, CustomerHost.numbered(14), step).events()) {
                grader.accept(e).stream().filter(AlertChange::mails).forEach(c -> grades.add(c.alert().grade()));
            }
        }
        assertThat(grades).isNotEmpty().containsOnly(Grade.LOW);
    }

    private static List<Event> events(Map<TrafficStep, List<Event>> byStep, TrafficStep.Kind kind) {
        List<Event> out = new ArrayList<>();
        byStep.forEach((step, events) -> {
            if (step.kind() == kind) {
                out.addAll(events);
            }
        });
        assertThat(out).as("events of the %s step(s)", kind).isNotEmpty();
        return out;
    }
}
