package org.omamori.engine.antispam;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How the antispam engine scores mail.
 *
 * @param rspamd        where rspamd's normal worker listens (loopback; scripts/rspamd.sh uses 3398)
 * @param timeout       the longest wait for one step with rspamd (connect, rspamd reading a
 *                      chunk, its reply); keep it below the pipeline's engine budget (5 s by
 *                      default) so the event names rspamd, not a watchdog
 * @param maxMailBytes  the largest mail scored; a larger one passes unscored with a note
 * @param maxReplyBytes the largest rspamd reply read; a larger one is an engine error
 * @param thresholds    the tag and refuse scores per zone
 */
public record AntispamSettings(InetSocketAddress rspamd, Duration timeout, long maxMailBytes, int maxReplyBytes,
                               ZoneThresholds thresholds) {

    public static final int DEFAULT_PORT = 3398;

    public static final AntispamSettings DEFAULTS = new AntispamSettings(new InetSocketAddress("127.0.0.1", DEFAULT_PORT),
            Duration.ofMillis(4000), 10L << 20, 256 << 10, ZoneThresholds.DEFAULTS);

    public AntispamSettings {
        Objects.requireNonNull(rspamd, "rspamd");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(thresholds, "thresholds");
        if (maxMailBytes <= 0) {
            throw new IllegalArgumentException("maxMailBytes must be positive: " + maxMailBytes);
        }
    }

    public AntispamSettings withRspamd(InetSocketAddress address) {
        return new AntispamSettings(address, timeout, maxMailBytes, maxReplyBytes, thresholds);
    }

    public AntispamSettings withTimeout(Duration value) {
        return new AntispamSettings(rspamd, value, maxMailBytes, maxReplyBytes, thresholds);
    }

    public AntispamSettings withMaxMailBytes(long value) {
        return new AntispamSettings(rspamd, timeout, value, maxReplyBytes, thresholds);
    }

    public AntispamSettings withThresholds(ZoneThresholds value) {
        return new AntispamSettings(rspamd, timeout, maxMailBytes, maxReplyBytes, value);
    }
}
