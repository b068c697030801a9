package org.omamori.smtp.component;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.omamori.api.config.ListSetting;
import org.omamori.api.config.PemTrust;
import org.omamori.api.pipeline.Pipeline;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;
import org.omamori.smtp.HopTls;
import org.omamori.smtp.InfectedAction;
import org.omamori.smtp.QueueSettings;
import org.omamori.smtp.RelayPolicy;
import org.omamori.smtp.SmtpCertificate;
import org.omamori.smtp.SmtpIntake;
import org.omamori.smtp.SmtpListener;
import org.omamori.smtp.SmtpSettings;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the SMTP intake: configuration {@value #PID}, the pipeline, the event factory and sink.
 * Off until {@code nextHop} is set. A bad setting or a port that cannot be bound is logged with
 * the key to change; the component then stays up without listening.
 */
@Component(configurationPid = SmtpComponent.PID, immediate = true, service = {})
@Designate(ocd = SmtpConfig.class)
public final class SmtpComponent {

    public static final String PID = "org.omamori.smtp";

    private static final Logger LOG = LoggerFactory.getLogger(SmtpComponent.class);

    private SmtpIntake intake;

    @Activate
    public SmtpComponent(SmtpConfig config, @Reference Pipeline pipeline, @Reference EventFactory events,
                         @Reference EventSink sink) {
        if (config.nextHop().isBlank()) {
            LOG.info("SMTP intake off: no nextHop in configuration {}", PID);
            return;
        }
        SmtpSettings settings;
        try {
            settings = settingsOf(config);
        } catch (IllegalArgumentException e) {
            LOG.error("SMTP intake not started: {}; fix configuration {}", e.getMessage(), PID);
            return;
        }
        try {
            intake = SmtpIntake.start(settings, pipeline, events, sink);
        } catch (Exception e) {
            LOG.error("SMTP intake not started: {}; does port 25 need privileges, or is another server on it?"
                    + " Change 'listeners' in configuration {}", e.getMessage(), PID);
        }
    }

    static SmtpSettings settingsOf(SmtpConfig c) {
        List<SmtpListener> listeners = ListSetting.entries(c.listeners()).stream().map(SmtpListener::parse).toList();
        Optional<SSLContext> tls = Optional.empty();
        if (c.tls()) {
            try {
                tls = Optional.of(SmtpCertificate.at(Path.of(c.tlsKeyStore())).ensure(c.hostname()).context());
            } catch (Exception e) {
                throw new IllegalArgumentException("tlsKeyStore " + c.tlsKeyStore() + " cannot be used (" + e.getMessage() + ")", e);
            }
        }
        return new SmtpSettings(listeners, SmtpListener.parse(c.nextHop()), c.hostname(),
                new RelayPolicy(ListSetting.entries(c.relayDomains()), ListSetting.entries(c.relayNetworks())),
                InfectedAction.parse(c.infected()), c.maxMessageBytes(), c.maxRecipients(), c.maxLineBytes(),
                c.maxHeaderBytes(), c.maxHeaderFields(), c.maxMimeDepth(), c.maxMimeParts(), c.maxHops(), c.maxErrors(),
                c.maxConnections(), Duration.ofMillis(c.idleTimeoutMillis()), Duration.ofMillis(c.nextHopTimeoutMillis()),
                tls, Path.of(c.spool()), c.brandName(), c.brandContact(),
                new QueueSettings(Path.of(c.queue()), c.queueMaxMails(), c.queueMaxBytes(), Duration.ofSeconds(c.queueFirstRetrySeconds()),
                        Duration.ofSeconds(c.queueMaxRetrySeconds()), Duration.ofHours(c.queueBounceAfterHours())),
                hopTls(c));
    }

    static HopTls hopTls(SmtpConfig c) {
        HopTls.Mode mode = HopTls.parse(c.nextHopTls());
        if (mode != HopTls.Mode.REQUIRED) {
            return new HopTls(mode, Optional.empty());
        }
        if (c.nextHopTrust().isBlank()) {
            throw new IllegalArgumentException("nextHopTls = required needs nextHopTrust, a PEM file with the next hop's certificate or CA");
        }
        try {
            return new HopTls(mode, Optional.of(PemTrust.context(Path.of(c.nextHopTrust()), "TLS")));
        } catch (Exception e) {
            throw new IllegalArgumentException("nextHopTrust " + c.nextHopTrust() + " cannot be used (" + e.getMessage() + ")", e);
        }
    }

    @Deactivate
    void deactivate() {
        if (intake != null) {
            intake.close();
        }
    }
}
