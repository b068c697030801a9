package org.omamori.fleet.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Omamori settings from the cloud",
        description = "Fetches the appliance's settings held by the cloud and applies them (docs/fleet.md).")
public @interface SettingsConfig {

    @AttributeDefinition(description = "Seconds between fetches when no heartbeat offers a new version (the first within a minute of start); 0: only when offered.", min = "0")
    int pollSeconds() default 3600;

    @AttributeDefinition(description = "Seconds one request to the cloud may take.", min = "1")
    int requestTimeoutSeconds() default 30;

    @AttributeDefinition(description = "File of what was applied or refused, home-relative.")
    String stateFile() default "state/settings/in-force.properties";
}
