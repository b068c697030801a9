package org.omamori.engine.antispam.rspamd;

import java.util.List;

/**
 * What rspamd said about a mail: its score, its own required score (for reference; the engine
 * decides by its configured thresholds) and the names of the symbols that scored, highest
 * absolute score first. Names are checked to be rspamd symbol names ({@code [A-Za-z0-9_.-]}).
 */
public record Reply(double score, double requiredScore, List<String> symbols) {

    public Reply {
        symbols = List.copyOf(symbols);
    }
}
