package org.omamori.fleet.component;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.api.engine.Level;
import org.omamori.fleet.SettingsDocument;
import org.omamori.fleet.SettingsPlan;
import org.omamori.fleet.SettingsState;
import org.omamori.uplink.CloudAnswer;
import org.omamori.uplink.CloudClient;
import org.omamori.uplink.CloudTls;
import org.omamori.uplink.DeviceToken;
import org.omamori.uplink.SettingsListener;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's settings held by the cloud (docs/fleet.md): fetched when a heartbeat's answer offers a
 * version this appliance has neither applied nor refused (and every {@code pollSeconds} besides), checked
 * whole against the components' metatype, applied through Configuration Admin, reported to the cloud and
 * as an event. The cloud's address and credentials are the uplink's ({@code org.omamori.uplink}).
 */
@Component(service = SettingsListener.class, immediate = true, configurationPid = SettingsComponent.PID)
@Designate(ocd = SettingsConfig.class)
public final class SettingsComponent implements SettingsListener {

    public static final String PID = "org.omamori.settings";
    static final String UPLINK_PID = "org.omamori.uplink";

    private static final Logger LOG = LoggerFactory.getLogger(SettingsComponent.class);

    private final Path home;
    private final org.osgi.framework.Bundle framework;
    private final Path stateFile;
    private final ConfigurationAdmin admin;
    private final org.osgi.service.component.runtime.ServiceComponentRuntime scr;
    private final BundleContext context;
    private final MetaTypeService metatype;
    private final EventFactory events;
    private final EventSink sink;
    private final Duration timeout;
    private final ScheduledExecutorService worker;
    private final AtomicBoolean queued = new AtomicBoolean();

    @Activate
    public SettingsComponent(BundleContext context, SettingsConfig config, @Reference ConfigurationAdmin admin,
                             @Reference MetaTypeService metatype, @Reference org.osgi.service.component.runtime.ServiceComponentRuntime scr,
                             @Reference EventFactory events, @Reference EventSink sink) {
        String homeProperty = context.getProperty("omamori.home");
        this.home = Path.of(homeProperty == null ? "" : homeProperty).toAbsolutePath().normalize();
        this.stateFile = home.resolve(config.stateFile());
        this.framework = context.getBundle(0);
        this.admin = admin;
        this.scr = scr;
        this.context = context;
        this.metatype = metatype;
        this.events = events;
        this.sink = sink;
        this.timeout = Duration.ofSeconds(config.requestTimeoutSeconds());
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "omamori-settings");
            t.setDaemon(true);
            return t;
        });
        if (config.pollSeconds() > 0) {
            worker.scheduleWithFixedDelay(this::fetchQuietly, ThreadLocalRandom.current().nextLong(5, 60), config.pollSeconds(), TimeUnit.SECONDS);
        }
    }

    @Override
    public void newerSettings(int version) {
        if (queued.compareAndSet(false, true)) { // several offers before the worker runs make one fetch
            worker.execute(this::fetchQuietly);
        }
    }

    private void fetchQuietly() {
        queued.set(false);
        if (framework.getState() != org.osgi.framework.Bundle.ACTIVE) {
            // Still starting: a component being activated for the first time and reconfigured at once may find its own
            // port still held. Settings wait until every bundle has started.
            if (queued.compareAndSet(false, true)) {
                worker.schedule(this::fetchQuietly, 2, TimeUnit.SECONDS);
            }
            return;
        }
        try {
            fetch();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warn("settings: not fetched from the cloud: {}", e.getMessage());
        }
    }

    /** One round: ask, then apply, refuse or only report again what was done. */
    void fetch() throws IOException, GeneralSecurityException {
        Optional<Uplink> uplink = uplink();
        if (uplink.isEmpty()) {
            return;
        }
        Optional<DeviceToken> token = DeviceToken.load(uplink.get().credentials());
        if (token.isEmpty()) {
            return; // not activated yet
        }
        SettingsState state = SettingsState.read(stateFile);
        try (CloudClient cloud = new CloudClient(CloudTls.client(uplink.get().trusted(), timeout), uplink.get().cloud(), timeout)) {
            Optional<byte[]> answer = cloud.settings(token.get(), state.inForce());
            if (answer.isEmpty()) {
                state.inForce().ifPresent(v -> report(cloud, token.get(), v, Optional.empty())); // the cloud may not have heard
                return;
            }
            SettingsDocument doc;
            try {
                doc = SettingsDocument.parse(answer.get(), events.appliance());
            } catch (IllegalArgumentException e) {
                LOG.warn("settings: the cloud's answer is refused: {}", e.getMessage());
                return;
            }
            if (state.inForce().isPresent() && doc.version() <= state.inForce().getAsInt()) {
                report(cloud, token.get(), state.inForce().getAsInt(), Optional.empty());
                return;
            }
            if (state.refused().isPresent() && state.refused().getAsInt() == doc.version()) {
                report(cloud, token.get(), doc.version(), state.reason());
                return;
            }
            apply(cloud, token.get(), state, doc);
        }
    }

    private void apply(CloudClient cloud, DeviceToken token, SettingsState state, SettingsDocument doc) throws IOException {
        try {
            SettingsPlan plan = SettingsPlan.of(doc, state.keys(), new MetaTypeSchema(context, metatype));
            new ConfigurationWriter(admin, scr).write(plan);
        } catch (IllegalArgumentException | IOException refused) {
            String why = refused.getMessage();
            state.refused(doc.version(), why).write(stateFile);
            LOG.warn("settings: version {} from the cloud refused: {}", doc.version(), why);
            publish("settings:refused", "settings refused", Level.MEDIUM, "version " + doc.version() + ": " + why);
            report(cloud, token, doc.version(), Optional.of(why));
            return;
        }
        state.applied(doc.version(), doc.settings().keySet()).write(stateFile);
        LOG.info("settings: version {} from the cloud applied ({} settings)", doc.version(), doc.settings().size());
        publish("settings:applied", "settings applied", Level.LOW, "version " + doc.version());
        report(cloud, token, doc.version(), Optional.empty());
    }

    private void report(CloudClient cloud, DeviceToken token, int version, Optional<String> refusal) {
        CloudAnswer a = cloud.reportSettings(token, events.appliance(), version, refusal);
        if (!(a instanceof CloudAnswer.Accepted)) {
            LOG.warn("settings: the report of version {} did not reach the cloud ({}); sent again on the next offer", version, a);
        }
    }

    private void publish(String ruleId, String ruleName, Level level, String note) {
        sink.publish(List.of(events.system(ruleId, ruleName, level, note)));
    }

    private record Uplink(URI cloud, Optional<Path> trusted, Path credentials) {
    }

    /** The uplink's cloud, trust and token file; empty while no cloud is configured. */
    private Optional<Uplink> uplink() throws IOException {
        Configuration[] found;
        try {
            found = admin.listConfigurations("(service.pid=" + UPLINK_PID + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        Dictionary<String, Object> p = found == null || found.length == 0 ? null : found[0].getProperties();
        String url = p == null ? "" : String.valueOf(Optional.ofNullable(p.get("cloudUrl")).orElse("")).strip();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String trusted = String.valueOf(Optional.ofNullable(p.get("trustedCertificates")).orElse("")).strip();
        String credentials = String.valueOf(Optional.ofNullable(p.get("credentials")).orElse("state/uplink/device.token")).strip();
        URI base = URI.create(url.endsWith("/") ? url : url + "/");
        return Optional.of(new Uplink(base, trusted.isEmpty() ? Optional.empty() : Optional.of(home.resolve(trusted)), home.resolve(credentials)));
    }

    @Deactivate
    void deactivate() {
        worker.shutdownNow();
    }
}
