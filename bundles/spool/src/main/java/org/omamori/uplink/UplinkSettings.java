package org.omamori.uplink;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import org.omamori.events.ApplianceId;

/**
 * How the appliance reaches its cloud.
 *
 * @param cloud             base address, {@code https://...}; the API is under {@code api/v1/}
 * @param appliance         this appliance
 * @param activationCode    the one-time code that buys the device token; may be empty once the token is stored
 * @param trustedCertificates PEM file of the CA (or the cloud's own) certificates to trust; empty: the JDK's trust store
 * @param credentials       file holding the device token (made with mode 600)
 * @param heartbeatInterval time between heartbeats
 * @param batchEvents       most events per POST
 * @param batchBytes        about the most JSON bytes of events per POST
 * @param backoffBase       first retry waits up to this long (full jitter)
 * @param backoffCap        no retry waits longer than this
 * @param requestTimeout    limit of one request, connection included
 * @param firmwareVersion   reported in the heartbeat and at activation
 */
public record UplinkSettings(URI cloud, ApplianceId appliance, String activationCode, Optional<Path> trustedCertificates,
                             Path credentials, Duration heartbeatInterval, int batchEvents, long batchBytes,
                             Duration backoffBase, Duration backoffCap, Duration requestTimeout, String firmwareVersion) {

    public UplinkSettings {
        Objects.requireNonNull(cloud, "cloud");
        Objects.requireNonNull(appliance, "appliance");
        Objects.requireNonNull(activationCode, "activationCode");
        Objects.requireNonNull(trustedCertificates, "trustedCertificates");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(firmwareVersion, "firmwareVersion");
        if (!"https".equals(String.valueOf(cloud.getScheme()).toLowerCase(Locale.ROOT)) || cloud.getHost() == null) {
            throw new IllegalArgumentException("the cloud address must be https://host[:port]/...: " + cloud);
        }
        if (!cloud.getPath().endsWith("/")) {
            cloud = URI.create(cloud + "/");
        }
        positive(heartbeatInterval, "heartbeatInterval");
        positive(backoffBase, "backoffBase");
        positive(backoffCap, "backoffCap");
        positive(requestTimeout, "requestTimeout");
        if (batchEvents < 1 || batchBytes < 1024) {
            throw new IllegalArgumentException("a batch is at least 1 event and 1024 bytes");
        }
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** Defaults for the rest: heartbeat 60 s, 500 events or 1 MiB a batch, backoff 1 s to 5 min, requests 30 s. */
    public static UplinkSettings of(URI cloud, ApplianceId appliance, String activationCode, Optional<Path> trusted,
                                    Path credentials, String firmwareVersion) {
        return new UplinkSettings(cloud, appliance, activationCode, trusted, credentials, Duration.ofSeconds(60), 500,
                1024 * 1024, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofSeconds(30), firmwareVersion);
    }

    public UplinkSettings withHeartbeatInterval(Duration interval) {
        return new UplinkSettings(cloud, appliance, activationCode, trustedCertificates, credentials, interval, batchEvents,
                batchBytes, backoffBase, backoffCap, requestTimeout, firmwareVersion);
    }

    public UplinkSettings withBackoff(Duration base, Duration cap) {
        return new UplinkSettings(cloud, appliance, activationCode, trustedCertificates, credentials, heartbeatInterval,
                batchEvents, batchBytes, base, cap, requestTimeout, firmwareVersion);
    }

    public UplinkSettings withBatch(int events, long bytes) {
        return new UplinkSettings(cloud, appliance, activationCode, trustedCertificates, credentials, heartbeatInterval,
                events, bytes, backoffBase, backoffCap, requestTimeout, firmwareVersion);
    }

    public UplinkSettings withRequestTimeout(Duration timeout) {
        return new UplinkSettings(cloud, appliance, activationCode, trustedCertificates, credentials, heartbeatInterval,
                batchEvents, batchBytes, backoffBase, backoffCap, timeout, firmwareVersion);
    }

    /** Never prints the activation code. */
    @Override
    public String toString() {
        return "UplinkSettings[cloud=" + cloud + ", appliance=" + appliance + ", activationCode="
                + (activationCode.isEmpty() ? "(none)" : "(set)") + ", trusted=" + trustedCertificates.map(Path::toString).orElse("JDK trust store")
                + ", credentials=" + credentials + ", heartbeat=" + heartbeatInterval + ", batch=" + batchEvents + "/" + batchBytes
                + ", backoff=" + backoffBase + ".." + backoffCap + ", timeout=" + requestTimeout + "]";
    }
}
