package org.omamori.engine.ips.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.omamori.engine.ips.rules.ThresholdConfig.EventFilter;
import org.omamori.engine.ips.rules.ThresholdConfig.NewAction;
import org.omamori.engine.ips.rules.ThresholdConfig.RateFilter;
import org.omamori.engine.ips.rules.ThresholdConfig.Suppress;
import org.omamori.engine.ips.rules.ThresholdConfig.SuppressTrack;

/** Suricata's threshold.config lines as docs.suricata.io writes them, and each kind of bad line with its file and line. */
class ThresholdConfigParserTest {

    private final ThresholdConfigParser parser = new ThresholdConfigParser(Variables.defaults()
            .withAddress("MY_SERVERS", "[192.0.2.10,192.0.2.11]"));

    private ThresholdConfig read(String text) throws Exception {
        return parser.read("threshold.config", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] ip(String a) throws Exception {
        return InetAddress.getByName(a).getAddress();
    }

    @Test
    void readsEveryKindOfLineOfSuricatasDocumentation() throws Exception {
        ThresholdConfig c = read("""
                \uFEFF# ET Open noise, tuned by the operator (コメント)

                suppress gen_id 1, sig_id 2002087
                suppress gen_id 1, sig_id 2003614, track by_src, ip 217.110.97.128/25
                suppress gen_id 1, sig_id 2003614, track by_dst, ip [192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]
                suppress gen_id 0, sig_id 0, track by_either, ip $MY_SERVERS
                threshold gen_id 1, sig_id 2002087, type both, track by_src, count 3, seconds 5
                event_filter gen_id 1, sig_id 0, type limit, track by_flow, count 1, seconds 15
                rate_filter gen_id 1, sig_id 1000, track by_rule, count 100, seconds 60, \\
                    new_action drop, timeout 30
                   threshold   gen_id 1 ,sig_id 7,seconds 10, count 2, track by_dst, type threshold\r
                """);
        assertThat(c.entries()).hasSize(8);
        Suppress all = (Suppress) c.entries().get(0);
        assertThat(all.sid()).isEqualTo(2002087);
        assertThat(all.track()).isNull();
        assertThat(all.origin().line()).isEqualTo(3);
        Suppress cidr = (Suppress) c.entries().get(1);
        assertThat(cidr.track()).isEqualTo(SuppressTrack.BY_SRC);
        assertThat(cidr.ip().matches(ip("217.110.97.200"))).isTrue();
        assertThat(cidr.ip().matches(ip("217.110.97.100"))).isFalse();
        Suppress list = (Suppress) c.entries().get(2);
        assertThat(list.ip().matches(ip("172.20.1.1"))).isTrue();
        assertThat(list.ip().matches(ip("8.8.8.8"))).isFalse();
        Suppress variable = (Suppress) c.entries().get(3);
        assertThat(variable.gid()).isZero();
        assertThat(variable.track()).isEqualTo(SuppressTrack.BY_EITHER);
        assertThat(variable.ip().matches(ip("192.0.2.11"))).isTrue();
        assertThat(variable.ip().matches(ip("192.0.2.12"))).isFalse();
        assertThat(((EventFilter) c.entries().get(4)).threshold())
                .isEqualTo(new Threshold(Threshold.Type.BOTH, Threshold.Track.BY_SRC, 3, 5));
        EventFilter wildcard = (EventFilter) c.entries().get(5);
        assertThat(wildcard.sid()).isZero();
        assertThat(wildcard.threshold()).isEqualTo(new Threshold(Threshold.Type.LIMIT, Threshold.Track.BY_FLOW, 1, 15));
        RateFilter rate = (RateFilter) c.entries().get(6);
        assertThat(rate).extracting(RateFilter::track, RateFilter::count, RateFilter::seconds, RateFilter::action, RateFilter::timeout)
                .containsExactly(Threshold.Track.BY_RULE, 100, 60, NewAction.DROP, 30);
        assertThat(rate.origin().line()).as("a continued entry is where it starts").isEqualTo(9);
        assertThat(((EventFilter) c.entries().get(7)).threshold()).as("options in any order, CRLF")
                .isEqualTo(new Threshold(Threshold.Type.THRESHOLD, Threshold.Track.BY_DST, 2, 10));
        assertThat(c.entries().get(7).origin().line()).isEqualTo(11);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown entry              | supress gen_id 1, sig_id 5                                                              | unknown entry 'supress'
            no gen_id                  | suppress sig_id 5                                                                       | needs 'gen_id G, sig_id S'
            gen_id misspelt            | suppress gid 1, sig_id 5                                                                | expected 'gen_id N'
            sid not a number           | suppress gen_id 1, sig_id 20x                                                           | sig_id must be a number
            gen_id 0 with a sid        | suppress gen_id 0, sig_id 5                                                             | gen_id 0 with sig_id 5
            track without ip           | suppress gen_id 1, sig_id 5, track by_src                                               | 'track' and 'ip' together
            suppress track by_rule     | suppress gen_id 1, sig_id 5, track by_rule, ip 10.0.0.1                                 | by_src, by_dst or by_either
            bad address                | suppress gen_id 1, sig_id 5, track by_src, ip 10.0.0.300                                | suppress ip: bad address
            unknown variable           | suppress gen_id 1, sig_id 5, track by_src, ip $NOPE                                     | suppress ip:
            unclosed list              | suppress gen_id 1, sig_id 5, track by_src, ip [10.0.0.1                                 | '[' without ']'
            threshold without count    | threshold gen_id 1, sig_id 5, type limit, track by_src, seconds 60                      | needs 'count'
            threshold bad type         | threshold gen_id 1, sig_id 5, type backoff, track by_src, count 1, seconds 60           | type must be limit, threshold or both
            threshold count zero       | event_filter gen_id 1, sig_id 5, type limit, track by_src, count 0, seconds 60          | count must be at least 1
            unknown option             | threshold gen_id 1, sig_id 5, type limit, track by_src, count 1, seconds 6, timeout 9   | unknown option 'timeout'
            option twice               | threshold gen_id 1, sig_id 5, type limit, type both, track by_src, count 1, seconds 6   | 'type' given twice
            empty option               | threshold gen_id 1, sig_id 5, type limit,, track by_src, count 1, seconds 6             | empty option
            rate by_flow               | rate_filter gen_id 1, sig_id 5, track by_flow, count 1, seconds 6, new_action drop, timeout 9 | not 'by_flow'
            rate sdrop                 | rate_filter gen_id 1, sig_id 5, track by_src, count 1, seconds 6, new_action sdrop, timeout 9 | is not supported
            rate bad action            | rate_filter gen_id 1, sig_id 5, track by_src, count 1, seconds 6, new_action block, timeout 9 | new_action must be alert, drop, pass or reject
            rate no timeout            | rate_filter gen_id 1, sig_id 5, track by_src, count 1, seconds 6, new_action drop       | needs 'timeout'
            number too large           | rate_filter gen_id 1, sig_id 5, track by_src, count 9999999999, seconds 6, new_action drop, timeout 9 | too large
            trailing comment           | suppress gen_id 1, sig_id 5 # noisy                                                     | sig_id must be a number
            """)
    void aBadLineFailsTheFileWithItsFileAndLine(String kind, String line, String why) {
        assertThatThrownBy(() -> read("# tuning\n\nsuppress gen_id 1, sig_id 1\n" + line + "\n"))
                .as(kind)
                .isInstanceOf(ThresholdConfigParser.Invalid.class)
                .hasMessageStartingWith("threshold.config:4: ")
                .hasMessageContaining(why);
    }

    @Test
    void everyBadLineIsListedNotOnlyTheFirst() {
        assertThatThrownBy(() -> read("suppress gen_id 1, sig_id x\nsuppress gen_id 1, sig_id 2\nthreshold gen_id 1, sig_id 3\n"))
                .isInstanceOfSatisfying(ThresholdConfigParser.Invalid.class, e -> {
                    assertThat(e.errors()).extracting(RuleParseException::line).containsExactly(1, 3);
                    assertThat(e.getMessage()).contains("threshold.config:1:").contains("threshold.config:3:");
                });
    }

    @Test
    void bytesThatAreNotUtf8AndAnEntryLeftOpenAreErrorsWithTheirLine() {
        byte[] latin1 = "suppress gen_id 1, sig_id 1\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> parser.read("t.config", new ByteArrayInputStream(latin1)))
                .isInstanceOf(ThresholdConfigParser.Invalid.class).hasMessage("t.config:2: not UTF-8");
        assertThatThrownBy(() -> read("suppress gen_id 1, \\\n"))
                .isInstanceOf(ThresholdConfigParser.Invalid.class).hasMessageContaining("threshold.config:1: file ends inside an entry");
    }

    @Test
    void hostileSizesAreRefused() {
        String longLine = "suppress gen_id 1, sig_id 1, track by_src, ip [" + "10.0.0.1,".repeat(1000) + "10.0.0.2]\n";
        assertThatThrownBy(() -> read(longLine)).isInstanceOf(ThresholdConfigParser.Invalid.class)
                .hasMessageContaining("threshold.config:1: line longer than");
        byte[] huge = new byte[ThresholdConfigParser.MAX_BYTES + 1];
        java.util.Arrays.fill(huge, (byte) '#');
        assertThatThrownBy(() -> parser.read("big.config", new ByteArrayInputStream(huge)))
                .isInstanceOf(ThresholdConfigParser.Invalid.class).hasMessageContaining("big.config:0: larger than");
    }

    @Test
    void anEmptyFileOrOnlyCommentsIsNoEntries() throws Exception {
        assertThat(read("").entries()).isEmpty();
        assertThat(read("# nothing yet\n\n   \n").entries()).isEmpty();
    }
}
