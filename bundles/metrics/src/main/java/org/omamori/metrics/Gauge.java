package org.omamori.metrics;

/**
 * A registered gauge, read at each scrape. Closing removes it, so a component that is
 * deactivated does not leave a gauge reading a dead object (or keep that object alive).
 */
public interface Gauge extends AutoCloseable {

    @Override
    void close();
}
