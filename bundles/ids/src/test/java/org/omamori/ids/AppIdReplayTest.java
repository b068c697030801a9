package org.omamori.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.omamori.engine.appid.AppIdEngine;
import org.omamori.engine.appid.NdpiInstalled;
import org.omamori.engine.appid.ndpi.Ndpi;
import org.omamori.events.Event;
import org.omamori.events.Kind;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** A capture's applications: the replay runs the application-identification engine on what it reads. */
class AppIdReplayTest {

    private static final Path TESTS = RealPipeline.ROOT.resolve("bundles/ids/src/test/resources/suricata-verify/tests");

    private static Ndpi ndpi;
    private static InspectionPipeline pipeline;

    @BeforeAll
    static void open() {
        ndpi = NdpiInstalled.open(1);
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(new AppIdEngine("test", ndpi));
    }

    @AfterAll
    static void close() {
        pipeline.close();
        ndpi.close();
    }

    @Test
    void aTlsClientHelloSplitOverSegmentsIsNamedBySni() throws Exception {
        List<Event> events = replay("tls/tls-client-hello-frag-01/dump_mtu300.pcap");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.ACCESS);
            assertThat(e.function().id()).isEqualTo("application-identification");
            assertThat(e.ruleId()).isEqualTo("app:web:google");
            assertThat(e.ruleName()).isEqualTo("Google");
            assertThat(e.host()).isEqualTo("www.google.com");
            assertThat(e.note()).isEqualTo("sni");
        });
    }

    @Test
    void dnsQueriesAndHttpRequestsAreNamed() throws Exception {
        assertThat(replay("dns/dns-query/dns-detect-query-01/input.pcap"))
                .extracting(Event::ruleId, Event::dnsName, Event::note).containsExactly(tuple("app:web:google", "google.com", "dns"));
        assertThat(replay("alert-testmyids/input.pcap"))
                .extracting(Event::ruleId, Event::host, Event::note).containsExactly(tuple("app:web:http", "www.testmyids.com", "host"));
        assertThat(replay("bug-2158/public-ex1_section8_Sofacy.pcap")).extracting(Event::ruleId).containsOnly("app:network:dns");
    }

    @Test
    void aConnectionInNoProtocolTheReplayReadsIsNamedFromItsPayload() throws Exception {
        // An SMTP session (a raw stream to the replay): nDPI reads the banner and the commands.
        assertThat(replay("bug-1045/smtpsuricataflowbitsFN.pcap")).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.ACCESS);
            assertThat(e.note()).isEqualTo("payload");
            assertThat(e.ruleId()).startsWith("app:");
        });
    }

    private static List<Event> replay(String capture) throws Exception {
        return ReplayTest.replay(Files.readAllBytes(TESTS.resolve(capture)), Replay.Options.DEFAULTS, pipeline).events();
    }
}
