package org.omamori.launcher;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Which components could not start, as Declarative Services reports them (a configuration value
 * that does not parse, a port already taken): the runtime's start line says so instead of
 * claiming a clean start. Read through reflection because the launcher sits outside the
 * framework and does not import the DS runtime API.
 */
final class StartReport {

    /** ComponentConfigurationDTO.FAILED_ACTIVATION (DS 1.4). */
    private static final int FAILED_ACTIVATION = 16;
    private static final String SCR = "org.osgi.service.component.runtime.ServiceComponentRuntime";

    private StartReport() {
    }

    /**
     * The components that failed, once their states have not changed for {@code settleMillis}
     * (configuration arrives after the bundles start), or after {@code maxMillis}: one line each,
     * component name and the first line of why.
     */
    static List<String> failedComponents(BundleContext context, long settleMillis, long maxMillis) throws InterruptedException {
        long end = System.nanoTime() + maxMillis * 1_000_000L;
        String last = null;
        long stableSince = System.nanoTime();
        List<String> failed = List.of();
        while (System.nanoTime() < end) {
            List<String> states = new ArrayList<>();
            try {
                failed = read(context, states);
            } catch (IllegalStateException stopped) {
                // The framework was stopped meanwhile (Ctrl-C during the start): nothing is left to report on.
                return failed;
            }
            String now = String.join("\n", states);
            if (!now.equals(last)) {
                last = now;
                stableSince = System.nanoTime();
            } else if (!states.isEmpty() && System.nanoTime() - stableSince >= settleMillis * 1_000_000L) {
                break;
            }
            Thread.sleep(100);
        }
        return failed;
    }

    private static List<String> read(BundleContext context, List<String> states) {
        List<String> failed = new ArrayList<>();
        ServiceReference<?> ref = context.getServiceReference(SCR);
        if (ref == null) {
            return failed;
        }
        Object scr = context.getService(ref);
        try {
            Class<?> api = apiOf(scr.getClass());
            Method descriptions = api.getMethod("getComponentDescriptionDTOs", Bundle[].class);
            for (Object description : (Collection<?>) descriptions.invoke(scr, (Object) new Bundle[0])) {
                String name = (String) field(description, "name");
                Method configurations = api.getMethod("getComponentConfigurationDTOs", description.getClass());
                for (Object configuration : (Collection<?>) configurations.invoke(scr, description)) {
                    int state = (Integer) field(configuration, "state");
                    states.add(name + "=" + state);
                    if (state == FAILED_ACTIVATION) {
                        Object why = field(configuration, "failure");
                        failed.add(name + ": " + rootCause(why == null ? "failed to activate" : why.toString()));
                    }
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            failed.add("(the component states could not be read: " + e + ")");
        } finally {
            context.ungetService(ref);
        }
        return failed;
    }

    private static Class<?> apiOf(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(SCR)) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no " + SCR + " interface on " + type);
    }

    private static Object field(Object dto, String name) throws ReflectiveOperationException {
        Field f = dto.getClass().getField(name);
        return f.get(dto);
    }

    /**
     * Why, from a stack trace: its root cause's line (the exception and its message; a
     * constructor's failure arrives wrapped in InvocationTargetException), never the frames.
     */
    private static String rootCause(String text) {
        String why = text.lines().findFirst().orElse("").strip();
        for (String line : text.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                why = line.substring("Caused by: ".length()).strip();
            }
        }
        return why;
    }
}
