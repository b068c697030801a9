package org.omamori.appliance.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code org.omamori.appliance}; relative paths are under the {@code omamori.home} framework property, or the working directory. */
@ObjectClassDefinition(name = "Omamori appliance: engine bundles",
        description = "Where signed engine bundles are deployed from, which signers are trusted, and the local admin endpoint.")
public @interface ApplianceConfiguration {

    @AttributeDefinition(description = "Watched folder of engine bundle jars: a jar appearing or changing is verified and installed, a jar removed is uninstalled.")
    String deployDir() default "deploy";

    @AttributeDefinition(description = "Folder of the PEM X.509 certificates whose keys may sign engine bundles.")
    String trustDir() default "trust";

    @AttributeDefinition(description = "Folder for the admin token and port files and the deploy index; readable by the appliance's user only.")
    String stateDir() default "state";

    @AttributeDefinition(description = "TCP port of the admin endpoint on 127.0.0.1; 0 picks a free port (see state/admin.port); -1 turns the endpoint off.", min = "-1", max = "65535")
    int adminPort() default 8741;

    @AttributeDefinition(description = "The appliance id (12 hex digits, the serial on the label); empty: made once and kept in state/appliance.id.")
    String applianceId() default "";

    @AttributeDefinition(description = "Largest engine bundle jar accepted, in bytes.", min = "1")
    long maxBundleBytes() default 64L * 1024 * 1024;
}
