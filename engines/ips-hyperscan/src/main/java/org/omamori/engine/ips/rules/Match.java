package org.omamori.engine.ips.rules;

/** A content or pcre of a rule, in the buffer it looks at. */
public sealed interface Match permits Content, Pcre, Probe {

    Buffer buffer();

    /** {@code content:!"..."} or {@code pcre:!"..."}: the rule needs it absent. */
    boolean negated();
}
