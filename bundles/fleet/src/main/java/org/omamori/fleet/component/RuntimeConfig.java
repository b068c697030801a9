package org.omamori.fleet.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Omamori runtime updates",
        description = "When the appliance restarts into a runtime package it took from the cloud (docs/fleet.md).")
public @interface RuntimeConfig {

    @AttributeDefinition(description = "Maintenance window in Japanese time: daily HH:MM-HH:MM, wed HH:MM-HH:MM or 2nd-wed HH:MM-HH:MM "
            + "(the end may pass 24:00; Vario: 2nd-wed 23:00-28:00).")
    String window() default "daily 02:00-05:00";

    @AttributeDefinition(description = "Seconds between looks for a staged runtime within the window.", min = "1")
    int checkSeconds() default 60;
}
