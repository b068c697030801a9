package org.omamori.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import org.omamori.api.pipeline.Pipeline;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;

/** A running proxy: the public handle for the DS component, the benchmark and tools. */
public final class ProxyRuntime implements AutoCloseable {

    private final WebProxy proxy;

    private ProxyRuntime(WebProxy proxy) {
        this.proxy = proxy;
    }

    public static ProxyRuntime start(ProxySettings settings, Pipeline pipeline, EventFactory events, EventSink sink)
            throws IOException {
        return new ProxyRuntime(WebProxy.start(settings, pipeline, events, sink));
    }

    public List<InetSocketAddress> addresses() {
        return proxy.addresses();
    }

    public WebProxy.Counters counters() {
        return proxy.counters();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
