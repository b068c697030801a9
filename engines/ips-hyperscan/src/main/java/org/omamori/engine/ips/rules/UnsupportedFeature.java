package org.omamori.engine.ips.rules;

/**
 * Inside the parser: the rule is valid but uses something the engine does not do, so the rule
 * is skipped and counted under {@code keyword} rather than half understood.
 */
final class UnsupportedFeature extends Exception {

    private final String keyword;

    UnsupportedFeature(String keyword, String reason) {
        super(reason, null, false, false);
        this.keyword = keyword;
    }

    String keyword() {
        return keyword;
    }
}
