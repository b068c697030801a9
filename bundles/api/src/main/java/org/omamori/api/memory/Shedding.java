package org.omamori.api.memory;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The process's installed {@link LoadShedding}, so that an intake checks it on its hot path without
 * a service reference (which would tie its start to the guard's, as {@code Meters.shared()} avoids
 * for metrics). The appliance's memory guard installs itself when it starts and removes itself when
 * it stops; without one nothing is shed.
 */
public final class Shedding {

    private static final AtomicReference<LoadShedding> INSTALLED = new AtomicReference<>(LoadShedding.NEVER);

    private Shedding() {
    }

    /** The installed guard, or {@link LoadShedding#NEVER}. */
    public static LoadShedding current() {
        return INSTALLED.get();
    }

    /** Installs {@code guard} in place of whatever was installed. */
    public static void install(LoadShedding guard) {
        INSTALLED.set(java.util.Objects.requireNonNull(guard, "guard"));
    }

    /** Removes {@code guard} if it is the one installed (a newer one stays). */
    public static void uninstall(LoadShedding guard) {
        INSTALLED.compareAndSet(guard, LoadShedding.NEVER);
    }
}
