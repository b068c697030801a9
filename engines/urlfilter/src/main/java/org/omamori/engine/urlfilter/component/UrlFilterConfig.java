package org.omamori.engine.urlfilter.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the URL filter (PID {@code org.omamori.engine.urlfilter}). */
@ObjectClassDefinition(name = "Omamori URL filter", description = "Category lists for URL filtering and access logging.")
public @interface UrlFilterConfig {

    @AttributeDefinition(name = "Lists directory",
            description = "Directory of category lists (squidGuard/UT1 layout plus categories.conf); relative paths are taken from the working directory.")
    String lists() default "lists";

    @AttributeDefinition(name = "Maximum entries",
            description = "Lists holding more entries are refused and the lists in force stay active.", min = "0")
    long maxEntries() default 5_000_000L;
}
