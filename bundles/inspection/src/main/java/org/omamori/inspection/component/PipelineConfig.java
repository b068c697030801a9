package org.omamori.inspection.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Omamori inspection pipeline",
        description = "How engines are run: time budget per call and what a failing engine's verdict is.")
public @interface PipelineConfig {

    @AttributeDefinition(description = "Longest time one engine call may take before it counts as failed.", min = "1")
    long engineBudgetMillis() default 5000;

    @AttributeDefinition(description = "Verdict of an engine that fails or runs out of time.",
            options = {@Option(value = "open", label = "fail open: pass, and say so in the event"),
                       @Option(value = "closed", label = "fail closed: block")})
    String failurePolicy() default "open";

    @AttributeDefinition(description = "How long a departing engine's in-flight inspections are waited for.", min = "0")
    long drainTimeoutMillis() default 30000;

    @AttributeDefinition(description = "Inspect traffic within one zone (LAN to LAN, inside one SSID). Seed 000 §3.3.3: no.")
    boolean sameZoneInspected() default false;

    @AttributeDefinition(description = "Inspect traffic between two different zones (WAN, LAN, the SSIDs). Seed 000 §3.3.3: yes.")
    boolean crossZoneInspected() default true;

    @AttributeDefinition(description = "Zone pairs inspected regardless, e.g. 'lan->lan'.")
    String inspectedPairs() default "";

    @AttributeDefinition(description = "Zone pairs never inspected, e.g. 'ssid-primary->lan'.")
    String notInspectedPairs() default "";
}
