package org.omamori.engine.ips.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;

/** The project's own rule set must load whole: every rule parsed, none skipped, none in error. */
class OmamoriRulesTest {

    private static final Path FILE = Path.of("rules", "omamori.rules");

    private final RuleFiles.Result result = RuleFiles.read(List.of(FILE), new RuleParser(Variables.defaults()), n -> { });

    @Test
    void loadsWithoutErrorsOrSkips() {
        assertThat(result.errors()).as("errors in %s", FILE).isEmpty();
        assertThat(result.skippedByKeyword()).as("rules of %s using unsupported features", FILE).isEmpty();
        assertThat(result.rules()).hasSizeGreaterThanOrEqualTo(23);
    }

    @Test
    void sidsAreOursAndDated() {
        assertThat(result.rules()).allSatisfy(r -> {
            assertThat(r.sid()).as("sid of %s", r.origin()).isBetween(9_000_001L, 9_999_999L);
            assertThat(r.metadata()).as("metadata of sid %d", r.sid()).containsEntry("created_at", List.of("2026_11_23"));
            assertThat(r.msg()).startsWith("OMAMORI ");
        });
    }

    @Test
    void everyClassIsKnownAndC2IsCritical() {
        Classtypes classes = Classtypes.standard();
        assertThat(classes.unknownIn(result.rules())).isEmpty();
        Map<Long, Rule> bySid = new java.util.HashMap<>();
        result.rules().forEach(r -> bySid.put(r.sid(), r));
        assertThat(classes.grade(bySid.get(9000011L))).isEqualTo(new Classtypes.Grade(Level.CRITICAL, Evidence.INFECTION, true));
        assertThat(classes.grade(bySid.get(9000018L)).evidence()).isEqualTo(Evidence.MALWARE);
        assertThat(classes.grade(bySid.get(9000001L)).evidence()).isEqualTo(Evidence.EXPLOIT_ATTEMPT);
    }

    @Test
    void eicarIsTheExactTestString() {
        Rule eicar = result.rules().stream().filter(r -> r.sid() == 9000018L).findFirst().orElseThrow();
        Content c = (Content) eicar.matches().getFirst();
        assertThat(new String(c.bytes(), StandardCharsets.US_ASCII))
                .isEqualTo("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");
        assertThat(c.buffer()).isEqualTo(Buffer.HTTP_RESPONSE_BODY);
    }

    @Test
    void beaconFlowbitIsSetOnTheRequestAndTestedOnTheResponse() {
        Rule set = result.rules().stream().filter(r -> r.sid() == 9000012L).findFirst().orElseThrow();
        Rule isset = result.rules().stream().filter(r -> r.sid() == 9000013L).findFirst().orElseThrow();
        assertThat(set.flowbits()).containsExactly(new Flowbit(Flowbit.Op.SET, "omamori.c2.beacon"));
        assertThat(set.flow().toServer()).isTrue();
        assertThat(isset.flowbits()).containsExactly(new Flowbit(Flowbit.Op.ISSET, "omamori.c2.beacon"));
        assertThat(isset.flow().toClient()).isTrue();
    }
}
