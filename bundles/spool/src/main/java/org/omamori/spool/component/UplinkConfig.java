package org.omamori.spool.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.omamori.uplink}; relative paths are under the {@code omamori.home} framework property. */
@ObjectClassDefinition(name = "Omamori uplink",
        description = "Shipping spooled events and the heartbeat to the cloud over HTTPS (TLS 1.3).")
public @interface UplinkConfig {

    @AttributeDefinition(description = "Base address of the cloud, https://host[:port]/; empty turns the uplink off (events stay in the spool).")
    String cloudUrl() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "One-time activation code from the operator; used once to obtain the device token, then no longer needed."
                    + " The key is .activationCode: the leading dot keeps it out of service properties.")
    String _activationCode() default "";

    @AttributeDefinition(description = "PEM file of the certificates (CA or the cloud's own) to trust for the cloud; empty: the JDK's trust store.")
    String trustedCertificates() default "";

    @AttributeDefinition(description = "File of the device token, made with mode 600.")
    String credentials() default "state/uplink/device.token";

    @AttributeDefinition(description = "Seconds between heartbeats.", min = "1")
    int heartbeatSeconds() default 60;

    @AttributeDefinition(description = "Most events in one POST.", min = "1", max = "5000")
    int batchEvents() default 500;

    @AttributeDefinition(description = "About the most bytes of event JSON in one POST.", min = "1024")
    long batchBytes() default 1024 * 1024;

    @AttributeDefinition(description = "Milliseconds: the first retry waits up to this long, doubling on each failure (full jitter).", min = "1")
    long backoffBaseMillis() default 1000;

    @AttributeDefinition(description = "Milliseconds: no retry waits longer.", min = "1")
    long backoffCapMillis() default 300_000;

    @AttributeDefinition(description = "Seconds one request may take, connecting included.", min = "1")
    int requestTimeoutSeconds() default 30;

    @AttributeDefinition(description = "Firmware version reported to the cloud; empty: this bundle's version.")
    String firmwareVersion() default "";
}
