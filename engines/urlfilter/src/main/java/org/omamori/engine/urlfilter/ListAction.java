package org.omamori.engine.urlfilter;

/** What a category does with a request that matches it. */
public enum ListAction {
    /** Refuse the request (phishing, malware, command-and-control by default). */
    BLOCK,
    /** Access logging only: pass, recording the category; never blocks. */
    LOG
}
