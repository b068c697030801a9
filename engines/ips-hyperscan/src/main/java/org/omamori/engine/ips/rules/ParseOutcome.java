package org.omamori.engine.ips.rules;

import java.util.Objects;

/** What {@link RuleParser#parse} made of one rule: a rule the engine can run, or a skip. */
public sealed interface ParseOutcome permits ParseOutcome.Parsed, ParseOutcome.Skipped {

    /** The rule parsed and everything in it is supported. */
    record Parsed(Rule rule) implements ParseOutcome {
        public Parsed {
            Objects.requireNonNull(rule, "rule");
        }
    }

    /**
     * The rule is valid but uses something the engine does not support.
     *
     * @param keyword what made it skipped, for counting: an option name ({@code byte_test}),
     *                or a qualified one ({@code protocol:icmp}, {@code pcre:C}, {@code flow:only_stream})
     * @param reason  one line for a person, naming the sid when known
     */
    record Skipped(String keyword, String reason) implements ParseOutcome {
        public Skipped {
            Objects.requireNonNull(keyword, "keyword");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
