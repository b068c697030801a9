package org.omamori.engine.ips.rules;

/** The rule's action word. */
public enum RuleAction {
    ALERT, DROP, REJECT, PASS
}
