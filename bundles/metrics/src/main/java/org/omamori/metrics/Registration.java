package org.omamori.metrics;

/**
 * A meter read from its owner at each scrape (a gauge, or a counter the owner keeps). Closing
 * removes it, so a component that stops does not leave a meter reading a dead object (or keep
 * that object alive).
 */
public interface Registration extends AutoCloseable {

    @Override
    void close();
}
