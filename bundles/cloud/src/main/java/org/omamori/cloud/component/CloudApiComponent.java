package org.omamori.cloud.component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.omamori.api.config.ListSetting;
import org.omamori.cloud.ingest.IngestLimits;
import org.omamori.cloud.rest.ActivationLimits;
import org.omamori.cloud.rest.CloudServer;
import org.omamori.cloud.rest.ServerCertificate;
import org.omamori.cloud.rest.ServerSettings;
import org.omamori.metrics.HealthCheck;
import org.omamori.store.IngestStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cloud API (configuration {@value #PID}). The {@link IngestStore} is a dynamic,
 * optional reference: without it the server still answers, the API with 503 and /health with
 * "degraded", so an operator sees why.
 */
@Component(service = {}, immediate = true, configurationPid = CloudApiComponent.PID)
public final class CloudApiComponent {

    public static final String PID = "org.omamori.cloud.api";
    public static final String HOME_PROPERTY = "omamori.home";

    private static final Logger LOG = LoggerFactory.getLogger(CloudApiComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile IngestStore store;

    /** The definitions packages served to appliances (the store's), when the store is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile org.omamori.store.DefinitionPackages packages;

    /** Each appliance's desired settings (the store's), when the store is there. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile org.omamori.store.ApplianceSettings applianceSettings;

    /** The node's other health checks (mail, scheduler, monitor...), shown on /health by name. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<HealthCheck> checks;

    private final Path home;
    private CloudServer server;

    @Activate
    public CloudApiComponent(BundleContext context, CloudApiConfig config) {
        String homeProperty = context.getProperty(HOME_PROPERTY);
        this.home = Path.of(homeProperty == null ? "" : homeProperty).toAbsolutePath();
        start(config);
    }

    @Modified
    void modified(CloudApiConfig config) {
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

    private void start(CloudApiConfig c) {
        try {
            Path keyStore = home.resolve(c.keyStore());
            ServerCertificate certificate = ServerCertificate.at(keyStore);
            String password = c._keyStorePassword();
            if (!certificate.exists()) {
                List<String> names = ListSetting.entries(c.certificateNames());
                certificate.ensure(names.isEmpty() ? List.of("localhost") : names, 825);
                LOG.info("made a self-signed certificate for {} in {}; appliances trust it with trustedCertificates = {}", names,
                        keyStore, certificate.pem());
            }
            if (password.isEmpty()) {
                password = certificate.password();
            }
            ServerSettings settings = new ServerSettings(c.host().trim(), c.port(), keyStore, password,
                    new IngestLimits(c.maxBodyBytes(), Duration.ofMinutes(c.futureToleranceMinutes()), Duration.ofDays(c.maxEventAgeDays())),
                    Duration.ofSeconds(c.idleTimeoutSeconds()),
                    new ActivationLimits(new ActivationLimits.Bucket(c.activateAddressBurst(), c.activateAddressPerMinute()),
                            new ActivationLimits.Bucket(c.activateGlobalBurst(), c.activateGlobalPerMinute()),
                            ActivationLimits.defaults().maxAddresses(), ActivationLimits.defaults().logInterval()));
            server = CloudServer.start(settings, () -> Optional.ofNullable(store), () -> Optional.ofNullable(packages),
                    () -> Optional.ofNullable(applianceSettings), () -> checks == null ? List.<HealthCheck>of() : checks, Clock.systemUTC());
            writePort(server.port());
            LOG.info("cloud API listening on https://{}:{}/ (TLS 1.3){}", settings.host().isEmpty() ? "0.0.0.0" : settings.host(),
                    server.port(), store == null ? "; no store yet: answering 503 until one is available" : "");
        } catch (Exception e) {
            LOG.error("cloud API not started: {}; fix configuration {}", e.getMessage(), PID, e);
            stop();
        }
    }

    /** state/cloud.port: the port, for scripts and tests that asked for port 0. */
    private void writePort(int port) throws IOException {
        Path state = home.resolve("state");
        Files.createDirectories(state);
        Path tmp = state.resolve("cloud.port.tmp");
        Files.writeString(tmp, port + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, state.resolve("cloud.port"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
