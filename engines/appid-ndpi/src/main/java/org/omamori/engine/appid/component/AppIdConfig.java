package org.omamori.engine.appid.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Omamori application identification (nDPI)",
        description = "Records which application each connection is (nDPI); never blocks. Needs Debian's libndpi4.2.")
public @interface AppIdConfig {

    @AttributeDefinition(description = "Identify applications. Off: the engine is not offered to the pipeline.")
    boolean enabled() default true;

    @AttributeDefinition(description = "nDPI detection modules, each used by one inspection at a time (about 2 MB of native memory each).",
            min = "1", max = "64")
    int modules() default 2;
}
