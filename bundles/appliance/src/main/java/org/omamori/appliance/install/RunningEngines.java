package org.omamori.appliance.install;

import java.util.List;

/** The engines in service now. Implemented over the service registry in the component package. */
@FunctionalInterface
public interface RunningEngines {

    List<RunningEngine> list();
}
