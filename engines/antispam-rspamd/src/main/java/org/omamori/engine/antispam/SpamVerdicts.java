package org.omamori.engine.antispam;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.antispam.rspamd.Reply;

/**
 * rspamd's score turned into the engine's verdict and its note. The note is what the SMTP
 * intake writes into {@code X-Spam-Status} and what the event carries: score, the threshold
 * and symbol names, printable ASCII, bounded, never a byte of the mail.
 */
final class SpamVerdicts {

    static final String RULE_ID = "rspamd:spam";
    static final String RULE_NAME = "迷惑メール (spam)";
    /** Longest note; the symbol list is cut with {@code ,...} to fit. */
    static final int MAX_NOTE = 300;

    static final Finding NOT_SCORED = new Finding("rspamd:not-scored", "迷惑メール未判定 (not scored)", Level.LOW, 100,
            Evidence.NONE);

    private SpamVerdicts() {
    }

    static Verdict of(Reply reply, Thresholds thresholds) {
        SpamAction action = thresholds.actionFor(reply.score());
        String note = note(reply.score(), thresholds.required(action), reply.symbols());
        return switch (action) {
            // Ham carries its score in the note, for the access log; no finding, so nothing to grade.
            case HAM -> new Verdict(Action.PASS, Optional.empty(), note);
            // Spam is unwanted, not an attack: policy evidence for the grading.
            case TAG -> Verdict.neutralise(new Finding(RULE_ID, RULE_NAME, Level.MEDIUM, 80, Evidence.POLICY)).withNote(note);
            case REFUSE -> Verdict.block(new Finding(RULE_ID, RULE_NAME, Level.HIGH, 95, Evidence.POLICY)).withNote(note);
        };
    }

    /** A mail over the size limit: passed unscored, and the event says so. */
    static Verdict notScored(long maxMailBytes) {
        return Verdict.pass(NOT_SCORED).withNote("not scored: larger than " + maxMailBytes + " bytes");
    }

    static String note(double score, double required, List<String> symbols) {
        StringBuilder note = new StringBuilder(64)
                .append("score=").append(String.format(Locale.ROOT, "%.2f", score))
                .append(" required=").append(Double.isInfinite(required) ? "off" : String.format(Locale.ROOT, "%.2f", required))
                .append(" symbols=");
        for (int i = 0; i < symbols.size(); i++) {
            String s = symbols.get(i);
            int room = MAX_NOTE - note.length() - (i == 0 ? 0 : 1);
            if (s.length() > room || (i < symbols.size() - 1 && s.length() > room - 4)) {
                note.append(i == 0 ? "..." : ",...");
                break;
            }
            note.append(i == 0 ? "" : ",").append(s);
        }
        return note.toString();
    }
}
