package org.omamori.appliance.component;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.omamori.api.pipeline.Pipeline;
import org.omamori.appliance.admin.AdminEndpoint;
import org.omamori.appliance.deploy.DeployFolder;
import org.omamori.appliance.install.EngineInstaller;
import org.omamori.appliance.trust.BundleVerifier;
import org.omamori.metrics.Meters;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the engine bundle management of an appliance: the signature verifier, the installer
 * over the framework, the deploy folder and the local admin endpoint, all from configuration
 * {@value #PID}. A configuration change restarts the whole (DS deactivates and activates again).
 */
@Component(configurationPid = EngineAppliance.PID, immediate = true, service = {})
@Designate(ocd = ApplianceConfiguration.class)
public final class EngineAppliance {

    public static final String PID = "org.omamori.appliance";
    /** Framework property: the directory relative configured paths are resolved against. */
    public static final String HOME_PROPERTY = "omamori.home";

    private static final Logger LOG = LoggerFactory.getLogger(EngineAppliance.class);
    private static final Duration SCAN_INTERVAL = Duration.ofSeconds(1);

    private DeployFolder deployFolder;
    private AdminEndpoint admin;

    @Activate
    public EngineAppliance(BundleContext context, ApplianceConfiguration configuration, @Reference Pipeline pipeline)
            throws IOException {
        String homeProperty = context.getProperty(HOME_PROPERTY);
        Path home = Path.of(homeProperty == null ? "" : homeProperty).toAbsolutePath();
        Path trust = home.resolve(configuration.trustDir());
        Path state = home.resolve(configuration.stateDir());
        Path deploy = home.resolve(configuration.deployDir());

        BundleVerifier verifier = new BundleVerifier(trust, configuration.maxBundleBytes());
        EngineInstaller installer = new EngineInstaller(verifier, new FrameworkBundles(context), state.resolve("work"));
        deployFolder = new DeployFolder(deploy, installer, state.resolve("deploy.index"), SCAN_INTERVAL, Clock.systemUTC());
        deployFolder.start(SCAN_INTERVAL);
        LOG.info("engine bundles: trusted signers from {}, deploy folder {}, largest bundle {} bytes", trust, deploy,
                configuration.maxBundleBytes());

        if (configuration.adminPort() < 0) {
            LOG.info("admin endpoint off (adminPort < 0)");
            return;
        }
        try {
            admin = AdminEndpoint.start(new AdminEndpoint.Settings(configuration.adminPort(), state, configuration.maxBundleBytes()),
                    installer, new RegisteredEngines(context), deployFolder::status);
            admin.inspectWith(pipeline);
            admin.observeWith(Meters.shared(), new RegisteredHealthChecks(context, pipeline)::report);
        } catch (IOException | IllegalArgumentException e) {
            // The deploy folder keeps working without it.
            LOG.error("admin endpoint not started on 127.0.0.1:{}: {}; is the port in use? Set adminPort in configuration {}"
                    + " to a free port, or 0 to pick one", configuration.adminPort(), e.getMessage(), PID);
        }
    }

    @Deactivate
    void deactivate() {
        if (admin != null) {
            admin.close();
        }
        deployFolder.close();
    }
}
