package org.omamori.hyperscan;

/**
 * Receives matches on the scanning thread, inside the native scan. Keep it quick and free of
 * allocation on the hot path. An exception thrown here stops the scan and is rethrown by the
 * scanning method.
 */
@FunctionalInterface
public interface MatchListener {

    /**
     * @param id   the {@link Expression#id()} that matched
     * @param from the start offset, only with {@link ExpressionFlag#SOM_LEFTMOST}; otherwise 0
     * @param to   the offset just past the match's last byte; in streams, counted from the
     *             start of the stream
     * @return {@code true} to go on, {@code false} to stop this scan (a stopped stream stays
     *         stopped and reports nothing more)
     */
    boolean onMatch(int id, long from, long to);
}
