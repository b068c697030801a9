package org.omamori.appliance.component;

import java.util.ArrayList;
import java.util.List;

import org.omamori.api.pipeline.Pipeline;
import org.omamori.metrics.Health;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.HealthReport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The appliance's health: its own check that engines are in force (essential: without one
 * nothing is inspected) and every {@link HealthCheck} service (spool, uplink, clamd...).
 */
final class RegisteredHealthChecks {

    private final BundleContext context;
    private final Pipeline pipeline;

    RegisteredHealthChecks(BundleContext context, Pipeline pipeline) {
        this.context = context;
        this.pipeline = pipeline;
    }

    HealthReport report() {
        List<HealthCheck> checks = new ArrayList<>();
        List<ServiceReference<HealthCheck>> references = new ArrayList<>();
        try {
            references.addAll(context.getServiceReferences(HealthCheck.class, null));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("no filter was given, yet: " + e.getMessage(), e);
        }
        try {
            for (ServiceReference<HealthCheck> reference : references) {
                HealthCheck check = context.getService(reference);
                if (check != null) {
                    checks.add(check);
                }
            }
            return HealthReport.of(checks).with("engines", true, engines());
        } finally {
            references.forEach(context::ungetService);
        }
    }

    private Health engines() {
        int n = pipeline.engines().size();
        return n > 0 ? Health.ok() : Health.degraded("no engine in force: nothing is inspected; see GET /deploy and the log");
    }
}
