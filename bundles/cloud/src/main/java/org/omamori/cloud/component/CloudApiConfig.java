package org.omamori.cloud.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.omamori.cloud.api}; relative paths are under the {@code omamori.home} framework property. */
@ObjectClassDefinition(pid = CloudApiComponent.PID, name = "Omamori cloud API",
        description = "The appliance uplink API and /health over HTTPS (TLS 1.3 only).")
public @interface CloudApiConfig {

    @AttributeDefinition(description = "Address to listen on; 0.0.0.0 (or empty) for every interface.")
    String host() default "0.0.0.0";

    @AttributeDefinition(description = "HTTPS port; 0 picks a free one (written to state/cloud.port).", min = "0", max = "65535")
    int port() default 8443;

    @AttributeDefinition(description = "PKCS#12 key store with the server key and certificate. When it does not exist, a"
            + " self-signed demo certificate is made there, its password in NAME.password and its PEM in NAME.pem.")
    String keyStore() default "tls/cloud.p12";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "The key store's password; empty: read NAME.password"
            + " beside the key store. The key is .keyStorePassword: the leading dot keeps it out of service properties.")
    String _keyStorePassword() default "";

    @AttributeDefinition(description = "Host names and IP addresses of a self-signed certificate made at first start.")
    String[] certificateNames() default {"localhost", "127.0.0.1"};

    @AttributeDefinition(description = "Largest request body in bytes (the API promises at least 8 MiB).", min = "8388608")
    long maxBodyBytes() default 8L * 1024 * 1024;

    @AttributeDefinition(description = "Minutes an event's time may be after the cloud's clock (the API says 10).", min = "0")
    int futureToleranceMinutes() default 10;

    @AttributeDefinition(description = "Days an event's time may be before the cloud's clock; older ones are refused"
            + " (422 past-event). Keep it equal to the monitor's retentionDays.", min = "1")
    int maxEventAgeDays() default 90;

    @AttributeDefinition(description = "Seconds an idle connection is kept.", min = "1")
    int idleTimeoutSeconds() default 30;

    @AttributeDefinition(description = "Activation attempts one client address (an IPv6 client by its /64) may make at once.", min = "1")
    int activateAddressBurst() default 10;

    @AttributeDefinition(description = "Activation attempts one client address may make per minute after the burst.", min = "1")
    int activateAddressPerMinute() default 10;

    @AttributeDefinition(description = "Activation attempts all clients together may make at once.", min = "1")
    int activateGlobalBurst() default 60;

    @AttributeDefinition(description = "Activation attempts all clients together may make per minute after the burst.", min = "1")
    int activateGlobalPerMinute() default 60;
}
