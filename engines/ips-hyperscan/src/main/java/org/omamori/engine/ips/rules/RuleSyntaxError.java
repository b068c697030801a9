package org.omamori.engine.ips.rules;

/**
 * Inside the parser: the text is not a valid rule. {@link RuleParser#parse} turns it into a
 * {@link RuleParseException} with the file and line, which the field parsers do not know.
 */
final class RuleSyntaxError extends Exception {

    RuleSyntaxError(String reason) {
        super(reason, null, false, false);
    }
}
