package org.omamori.engine.antispam;

/** What the engine decides for a scored mail. */
public enum SpamAction {
    /** Below the tag threshold: delivered as it is. */
    HAM,
    /** At or above the tag threshold: delivered with X-Spam headers and a [SPAM] subject tag (neutralise). */
    TAG,
    /** At or above the refuse threshold: refused with 550 5.7.1 (block). */
    REFUSE
}
