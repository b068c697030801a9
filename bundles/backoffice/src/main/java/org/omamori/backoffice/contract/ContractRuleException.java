package org.omamori.backoffice.contract;

/** A step the contract's state or its edition's terms do not allow; the message names the rule. */
public final class ContractRuleException extends IllegalStateException {

    private final String rule;

    public ContractRuleException(String rule, String message) {
        super(message + " (" + rule + ")");
        this.rule = rule;
    }

    /** The rule, e.g. {@code state} or {@code cancel-before-start}. */
    public String rule() {
        return rule;
    }
}
