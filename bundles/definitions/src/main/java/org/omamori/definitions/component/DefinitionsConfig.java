package org.omamori.definitions.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.omamori.definitions}; relative paths are under the {@code omamori.home} framework property. */
@ObjectClassDefinition(name = "Omamori definitions",
        description = "Signed definition packages (URL lists, IPS rules, AV signatures): where they come from, who signs them, where they go.")
public @interface DefinitionsConfig {

    @AttributeDefinition(description = "Base address of the cloud, https://host[:port]/; empty: no pulls from the cloud (the drop folder still works).")
    String cloudUrl() default "";

    @AttributeDefinition(description = "Seconds between pulls from the cloud; each wait varies by up to 10 % so appliances spread out.", min = "60")
    int intervalSeconds() default 3600;

    @AttributeDefinition(description = "PEM file of the operator's Ed25519 public key (SubjectPublicKeyInfo or certificate): the only signer "
            + "accepted; replaced in place when a keys package rotates it. In keys/, not trust/: trust/ holds the X.509 certificates that sign engine bundles.")
    String operatorKey() default "keys/operator-ed25519.pem";

    @AttributeDefinition(description = "Largest package accepted, in bytes (download or drop folder).", min = "1")
    long maxPackageBytes() default 64L * 1024 * 1024;

    @AttributeDefinition(description = "Most bytes one package may unpack to.", min = "1")
    long maxUnpackedBytes() default 1024L * 1024 * 1024;

    @AttributeDefinition(description = "Most zip entries in one package.", min = "1")
    int maxEntries() default 10_000;

    @AttributeDefinition(description = "Folder of the applied versions (<folder>/<kind>/<version>/) and of the drop folder <folder>/incoming/.")
    String folder() default "definitions";

    @AttributeDefinition(description = "File recording the version in force per kind (rollback protection).")
    String versionsFile() default "state/definitions/versions.properties";

    @AttributeDefinition(description = "Seconds between looks at the drop folder.", min = "1")
    int dropScanSeconds() default 10;

    @AttributeDefinition(description = "Kinds this appliance applies: urlfilter, ips, av, runtime (its own bundles, started in the "
            + "maintenance window; rotations of the operator key, kind keys, are always applied).")
    String[] kinds() default {"urlfilter", "ips", "av", "runtime"};

    @AttributeDefinition(description = "PEM file of the certificates to trust for the cloud; empty: the JDK's trust store.")
    String trustedCertificates() default "";

    @AttributeDefinition(description = "File holding the device token (first line), as the uplink's activation writes it; missing: no pulls yet.")
    String tokenFile() default "state/uplink/device.token";

    @AttributeDefinition(description = "Seconds one request may take, download included.", min = "1")
    int requestTimeoutSeconds() default 120;

    @AttributeDefinition(description = "clamd's DatabaseDirectory, where AV signatures are copied (scripts/clamd.sh: run/clamd/db).")
    String clamdDatabase() default "run/clamd/db";

    @AttributeDefinition(description = "clamd's address for RELOAD; loopback only.")
    String clamdHost() default "127.0.0.1";

    @AttributeDefinition(description = "clamd's TCP port.", min = "1", max = "65535")
    int clamdPort() default 3399;

    @AttributeDefinition(description = "clamd's local socket; when set it is used instead of host and port.")
    String clamdSocket() default "";
}
