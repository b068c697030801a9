package org.omamori.engine.antispam;

/**
 * The rspamd scores at which a mail is tagged as spam and refused. A score at or above
 * {@code refuse} is refused, else at or above {@code tag} tagged, else passed. Either may be
 * {@link Double#POSITIVE_INFINITY} (configured as {@code off}): that action never happens.
 */
public record Thresholds(double tag, double refuse) {

    /** rspamd's own defaults (add_header 6, reject 15). */
    public static final Thresholds DEFAULTS = new Thresholds(6, 15);

    public Thresholds {
        if (Double.isNaN(tag) || Double.isNaN(refuse) || tag == Double.NEGATIVE_INFINITY || refuse == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("thresholds must be numbers or off: tag=" + tag + " refuse=" + refuse);
        }
        if (refuse < tag) {
            throw new IllegalArgumentException("refuse (" + refuse + ") must not be below tag (" + tag + ")");
        }
    }

    /** What a mail with this score gets. */
    public SpamAction actionFor(double score) {
        if (score >= refuse) {
            return SpamAction.REFUSE;
        }
        return score >= tag ? SpamAction.TAG : SpamAction.HAM;
    }

    /** The threshold a mail with this action crossed, or the tag threshold for ham (rspamd's "required"). */
    public double required(SpamAction action) {
        return action == SpamAction.REFUSE ? refuse : tag;
    }
}
