package org.omamori.engine.ips;

import java.util.Objects;
import java.util.Optional;

import org.omamori.api.engine.Level;

/**
 * How the IPS acts on what its rules find.
 *
 * @param blockLevel   an {@code alert} rule at this level or above blocks (IPS); below it, it only
 *                     alerts (pass with a finding). {@code drop} and {@code reject} rules always block.
 * @param windowBytes  bytes of each body direction kept to confirm rules on: the memory bound per flow
 * @param maxBodyBytes bytes of each body direction inspected; the rest passes uninspected and the
 *                     event says so
 */
public record IpsSettings(Optional<Level> blockLevel, int windowBytes, long maxBodyBytes) {

    public static final IpsSettings DEFAULTS = new IpsSettings(Optional.of(Level.HIGH), 64 * 1024, 64L * 1024 * 1024);

    public IpsSettings {
        Objects.requireNonNull(blockLevel, "blockLevel");
        if (windowBytes < 1024 || windowBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("windowBytes must be 1 KiB to 16 MiB: " + windowBytes);
        }
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must not be negative: " + maxBodyBytes);
        }
    }
}
