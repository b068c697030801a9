package org.omamori.appliance.component;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The memory budget and when load is shed (PID {@code org.omamori.memory}, docs/operations.md
 * "Memory budget"). The launcher reads {@code budgetMegabytes} from the same file before the JVM
 * starts and sizes the JVM from it: a new budget sizes the JVM at the next start; the marks apply at once.
 */
@ObjectClassDefinition(name = "Omamori memory budget",
        description = "The resident memory the whole appliance process may use, and when it refuses new work to stay within it.")
public @interface MemoryConfig {

    @AttributeDefinition(name = "Budget (MB)",
            description = "Resident memory of the whole process; the JVM's heap, metaspace, code cache and direct memory are derived from it at start.",
            min = "384", max = "65536")
    int budgetMegabytes() default 512;

    @AttributeDefinition(name = "Heap high-water mark (%)", description = "Heap still used after a collection, in percent of the maximum heap, that starts shedding load.",
            min = "10", max = "100")
    int heapHighPercent() default 85;

    @AttributeDefinition(name = "Heap low-water mark (%)", description = "Under this (and the resident low-water mark) load is accepted again.",
            min = "5", max = "99")
    int heapLowPercent() default 70;

    @AttributeDefinition(name = "Resident high-water mark (%)", description = "Resident memory, in percent of the budget, that starts shedding load.",
            min = "10", max = "200")
    int residentHighPercent() default 100;

    @AttributeDefinition(name = "Resident low-water mark (%)", min = "5", max = "199")
    int residentLowPercent() default 95;

    @AttributeDefinition(name = "Check interval (ms)", min = "100", max = "60000")
    int checkMillis() default 1000;
}
