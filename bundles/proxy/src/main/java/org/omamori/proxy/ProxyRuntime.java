package org.omamori.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import org.omamori.api.pipeline.Pipeline;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.metrics.Meters;

/** A running proxy: the public handle for the DS component, the benchmark and tools. */
public final class ProxyRuntime implements AutoCloseable {

    private final WebProxy proxy;
    private final ProxyMeters meters;

    private ProxyRuntime(WebProxy proxy, Meters meters) {
        this.proxy = proxy;
        this.meters = new ProxyMeters(meters, proxy);
    }

    /** Starts a proxy that shows in the runtime's meters ({@link Meters#shared()}). */
    public static ProxyRuntime start(ProxySettings settings, Pipeline pipeline, EventFactory events, EventSink sink)
            throws IOException {
        return start(settings, pipeline, events, sink, Meters.shared());
    }

    public static ProxyRuntime start(ProxySettings settings, Pipeline pipeline, EventFactory events, EventSink sink,
                                     Meters meters) throws IOException {
        return new ProxyRuntime(WebProxy.start(settings, pipeline, events, sink), meters);
    }

    public List<InetSocketAddress> addresses() {
        return proxy.addresses();
    }

    public WebProxy.Counters counters() {
        return proxy.counters();
    }

    @Override
    public void close() {
        meters.close();
        proxy.close();
    }
}
