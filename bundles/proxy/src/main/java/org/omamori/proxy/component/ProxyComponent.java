package org.omamori.proxy.component;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.omamori.api.config.ListSetting;
import org.omamori.api.engine.Zone;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.proxy.Brand;
import org.omamori.proxy.DestinationPolicy;
import org.omamori.proxy.Listener;
import org.omamori.proxy.PortSet;
import org.omamori.proxy.ProxyRuntime;
import org.omamori.proxy.ProxySettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** Starts the web proxy with its configuration; a new configuration restarts it. */
@Component(configurationPid = "org.omamori.proxy", immediate = true)
@Designate(ocd = ProxyConfig.class)
public final class ProxyComponent {

    private final ProxyRuntime proxy;

    @Activate
    public ProxyComponent(ProxyConfig config, @Reference Pipeline pipeline, @Reference EventFactory events,
                          @Reference EventSink sink) throws IOException {
        proxy = ProxyRuntime.start(settingsOf(config), pipeline, events, sink);
    }

    static ProxySettings settingsOf(ProxyConfig config) {
        List<Listener> listeners = new ArrayList<>();
        for (String entry : ListSetting.entries(config.listeners())) {
            listeners.add(Listener.parse(entry));
        }
        return new ProxySettings(listeners, new Zone(config.serverZone()), config.maxRequestLineBytes(), config.maxHeadBytes(),
                Duration.ofMillis(config.headTimeoutMillis()), Duration.ofMillis(config.idleTimeoutMillis()),
                Duration.ofMillis(config.connectTimeoutMillis()), Duration.ofMillis(config.originTimeoutMillis()),
                config.holdBytes(), config.holdBudgetBytes(), config.maxConnections(), config.maxConnectionsPerClient(),
                PortSet.parse(ListSetting.entries(config.connectPorts())), PortSet.parse(ListSetting.entries(config.httpPorts())),
                DestinationPolicy.of(ListSetting.entries(config.forbiddenNetworks()),
                        ListSetting.entries(config.allowedNetworks()), config.forbidOwnAddresses()),
                config.blockSniMismatch(), new Brand(config.brandName(), config.brandContact(), config.brandColour().strip()));
    }

    @Deactivate
    void deactivate() {
        proxy.close();
    }
}
