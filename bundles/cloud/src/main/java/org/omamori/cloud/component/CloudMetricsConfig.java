package org.omamori.cloud.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.omamori.cloud.metrics}: where the node's metrics are scraped (docs/metrics.md). */
@ObjectClassDefinition(pid = CloudMetricsComponent.PID, name = "Omamori cloud metrics",
        description = "GET /metrics in the Prometheus text format, plain HTTP on a port of its own.")
public @interface CloudMetricsConfig {

    @AttributeDefinition(description = "Address to listen on; loopback by default: put a scraper on this host, or"
            + " open it to the monitoring network only (the scrape has no authentication).")
    String host() default "127.0.0.1";

    @AttributeDefinition(description = "Port; 0 picks a free one (written to state/metrics.port); -1 turns the endpoint off.",
            min = "-1", max = "65535")
    int port() default 9464;
}
