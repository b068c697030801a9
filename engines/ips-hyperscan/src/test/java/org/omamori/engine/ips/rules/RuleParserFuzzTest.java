package org.omamori.engine.ips.rules;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the rule parser: for any text, {@link RuleParser#parse} returns an outcome or throws
 * {@link RuleParseException}, and nothing else (no other exception, no hang, no unbounded
 * memory). Any other exception fails the test and Jazzer keeps the input that caused it.
 *
 * <p>By default (a plain {@code ./mvnw test}) this runs in regression mode: only the seeds under
 * {@code src/test/resources/org/omamori/engine/ips/rules/RuleParserFuzzTestInputs/<method>/} and
 * any crash files kept there. To fuzz for real:
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl engines/ips-hyperscan test -Dtest=RuleParserFuzzTest
 * </pre>
 * each method then fuzzes for its {@code maxDuration}; for longer runs add
 * {@code -Djazzer.max_duration=10m}. Findings are written next to the seeds.
 */
class RuleParserFuzzTest {

    private static final RuleParser PARSER = new RuleParser(Variables.defaults()
            .withAddress("A", "[$B,$B,!10.0.0.0/8]").withAddress("B", "[$HOME_NET,2001:db8::/32]")
            .withAddress("SELF", "[$SELF]").withPort("P", "[$HTTP_PORTS,!8080,1024:]"));

    /** Whole rules, the main target. */
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            PARSER.parse(text, "fuzz.rules", 1);
        } catch (RuleParseException expected) {
            // a clean refusal is the point
        }
    }

    /** Header fields alone: the list, negation and variable syntax, digs deeper than whole rules. */
    @FuzzTest(maxDuration = "10s")
    void addressAndPort(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            PARSER.address(text);
        } catch (RuleParseException expected) {
            // fine
        }
        try {
            PARSER.port(text);
        } catch (RuleParseException expected) {
            // fine
        }
    }

    /** Files: continuation lines, comments and line limits around the parser. */
    @FuzzTest(maxDuration = "10s")
    void ruleFile(byte[] input) {
        try {
            RuleFiles.Result r = RuleFiles.read("fuzz.rules", new StringReader(new String(input, StandardCharsets.UTF_8)), PARSER);
            for (RuleParseException e : r.errors()) {
                if (e.reason().startsWith("parser failed: ")) {
                    throw new AssertionError("the parser threw something else than RuleParseException: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }
}
