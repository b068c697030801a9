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
}
