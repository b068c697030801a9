package org.omamori.cloud.component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.omamori.cloud.rest.MetricsServer;
import org.omamori.metrics.Meters;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the node's meters on their own port (configuration {@value #PID}); a failure to bind leaves the API running. */
@Component(service = {}, immediate = true, configurationPid = CloudMetricsComponent.PID)
public final class CloudMetricsComponent {

    public static final String PID = "org.omamori.cloud.metrics";

    private static final Logger LOG = LoggerFactory.getLogger(CloudMetricsComponent.class);

    private final Path state;
    private MetricsServer server;

    @Activate
    public CloudMetricsComponent(BundleContext context, CloudMetricsConfig config) {
        String homeProperty = context.getProperty(CloudApiComponent.HOME_PROPERTY);
        this.state = Path.of(homeProperty == null ? "" : homeProperty).toAbsolutePath().resolve("state");
        start(config);
    }

    @Modified
    void modified(CloudMetricsConfig config) {
        stop();
        start(config);
    }

    @Deactivate
    void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private void start(CloudMetricsConfig c) {
        if (c.port() < 0) {
            LOG.info("metrics endpoint off (port < 0 in configuration {})", PID);
            return;
        }
        try {
            server = MetricsServer.start(c.host().trim(), c.port(), Meters.shared());
            Files.createDirectories(state);
            Path tmp = state.resolve("metrics.port.tmp");
            Files.writeString(tmp, server.port() + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, state.resolve("metrics.port"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.info("metrics on http://{}:{}/metrics", c.host().trim(), server.port());
        } catch (Exception e) {
            LOG.error("metrics endpoint not started on {}:{}: {}; is the port in use? Set port in configuration {}"
                    + " to a free one, 0 to pick one or -1 for none", c.host(), c.port(), e.getMessage(), PID);
            stop();
        }
    }
}
