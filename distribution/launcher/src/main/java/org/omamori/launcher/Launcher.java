package org.omamori.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Starts an Omamori runtime (the appliance or a cloud node): a Felix framework with the run
 * bundles that bnd resolved from its .bndrun (in the {@code bundles/} folder beside the runtime's
 * jar). The working directory is the runtime's home; the bundle cache persists there, so bundles
 * installed at run time survive a restart, and a platform bundle whose jar changed is updated in
 * place. The runtime's {@code framework.properties} names it ({@value #NAME}) and may ask for a
 * folder where native libraries are unpacked ({@value #NATIVE_CACHE}, relative to the home).
 */
public final class Launcher {

    /** Framework property: which runtime this is, for the console lines ("appliance", "cloud"). */
    static final String NAME = "omamori.launcher.name";
    /** Framework property: where JavaCPP unpacks native libraries (Hyperscan), under the home. */
    static final String NATIVE_CACHE = "omamori.launcher.nativeCache";
    /** Framework property: "true" to start with a class-data archive in the home ({@link ClassDataArchive}). */
    static final String CLASS_DATA_ARCHIVE = "omamori.launcher.classDataArchive";
    /** Framework property: "true" to add {@link #LATER_C2}, the JIT's thresholds for C2 raised fourfold. */
    static final String LATER_C2_PROPERTY = "omamori.launcher.laterC2";
    /**
     * The thresholds at which C1-compiled methods go to C2, four times HotSpot's defaults (5,000
     * invocations, 600 with loops, 15,000 with back-edges; 40,000 back-edges). In a start nearly every
     * method runs once, and C2 spent 0.9-1.3 s of CPU (of 3.5-4.5 s in all, loaded two-core machine)
     * compiling code that would not run again; with these 0.45 s. Code that stays hot reaches them a
     * fraction of a second later under traffic and is compiled the same (bench/README.md "startfast").
     */
    static final List<String> LATER_C2 = List.of("-XX:Tier4InvocationThreshold=20000", "-XX:Tier4MinInvocationThreshold=2400",
            "-XX:Tier4CompileThreshold=60000", "-XX:Tier4BackEdgeThreshold=160000");

    static final int INFRASTRUCTURE_START_LEVEL = 1;
    static final int OUR_START_LEVEL = 2;
    /** Framework property: the runtime version running ("shipped", or a runtime package's version). */
    static final String RUNTIME_VERSION = "omamori.runtime.version";

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--jvm-options")) {
            System.exit(printJvmOptions());
            return;
        }
        long started = System.nanoTime();
        LogFiles.useManager();
        RuntimeSelection runtimes = new RuntimeSelection(Path.of(""), installDir().resolve("bundles"));
        Map<String, String> properties = frameworkProperties();
        String name = properties.getOrDefault(NAME, "runtime");
        java.util.Optional<MemoryBudget> budget;
        try {
            budget = budget(properties);
        } catch (IllegalArgumentException e) {
            System.err.println("Omamori " + name + " did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        // Native libraries are unpacked into the runtime's state, not the user's home.
        String nativeCache = properties.get(NATIVE_CACHE);
        if (nativeCache != null && System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
            System.setProperty("org.bytedeco.javacpp.cachedir", Path.of(nativeCache).toAbsolutePath().toString());
        }
        try {
            LogFiles.install(LogFiles.settings(properties, Path.of("")));
        } catch (IllegalArgumentException e) {
            System.err.println("Omamori " + name + " did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Path pidFile = Path.of("state", name + ".pid");
        try {
            PidFile.claim(pidFile);
        } catch (IllegalStateException e) {
            System.err.println("Omamori " + name + " did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        budget.flatMap(b -> b.mismatch(System.getProperty(MemoryBudget.SIZED_PROPERTY), Runtime.getRuntime().maxMemory()))
                .ifPresent(why -> java.util.logging.Logger.getLogger(Launcher.class.getName()).warning("memory budget: " + why));
        // After the PID file: a second start refused must not count as a trial of a new runtime.
        RuntimeSelection.Choice choice = runtimes.choose();
        Path bundles = choice.bundles();
        properties.put(RUNTIME_VERSION, choice.version());
        Framework framework = newFramework(properties);
        framework.init();
        List<Bundle> platform;
        try {
            platform = installPlatform(framework.getBundleContext(), bundles);
            for (Bundle bundle : platform) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start(); // marks it started; it runs when the framework reaches its start level
                }
            }
            framework.start();
        } catch (Exception e) {
            System.err.println("Omamori " + name + " failed to start: " + e.getMessage());
            stop(framework, name);
            PidFile.release(pidFile);
            if (choice.trial()) {
                runtimes.fallBack(choice.version(), "did not start: " + e.getMessage());
                System.exit(RuntimeSelection.RESTART);
            }
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(framework, name);
            PidFile.release(pidFile);
            LogFiles.close();
        }, "omamori-shutdown"));
        long startMillis = (System.nanoTime() - started) / 1_000_000;
        List<String> failed = new ArrayList<>(StartReport.failedComponents(framework.getBundleContext(), 1500, 15_000));
        if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
            framework.waitForStop(0); // stopped while the report waited (Ctrl-C during the start): no start to claim
            return;
        }
        if (choice.trial()) {
            // A new runtime package on trial: every bundle active, no component failed, or back to the one before.
            for (Bundle b : platform) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null && b.getState() != Bundle.ACTIVE) {
                    failed.add(b.getSymbolicName() + " " + b.getVersion() + " is not active (its imports do not resolve)");
                }
            }
            if (!failed.isEmpty()) {
                String why = String.join("; ", failed);
                System.err.printf("Omamori %s: runtime %s on trial is not healthy (%s); starting the runtime in force before%n",
                        name, choice.version(), why);
                runtimes.fallBack(choice.version(), why.length() > 800 ? why.substring(0, 800) + "…" : why);
                stop(framework, name);
                PidFile.release(pidFile);
                System.exit(RuntimeSelection.RESTART);
                return;
            }
            runtimes.commit(choice.version());
            System.out.printf("Omamori %s: runtime %s is in force%n", name, choice.version());
        }
        if (failed.isEmpty()) {
            System.out.printf("Omamori %s started in %d ms (%d platform bundles); stop with Ctrl-C%n", name, startMillis, platform.size());
        } else {
            // Keep running what did start (the others may serve), but never claim a clean start.
            String report = String.format("Omamori %s started in %d ms WITH %d FAILED COMPONENT(S); check etc/ and the log:%n  %s%n",
                    name, startMillis, failed.size(), String.join(System.lineSeparator() + "  ", failed));
            System.out.print(report);
            System.err.print(report);
        }
        framework.waitForStop(0);
    }

    /**
     * {@code --jvm-options}: the JVM options of the home's memory budget on one line, for the
     * command that starts the runtime (docs/operations.md "Memory budget"), and those of its
     * class-data archive where the runtime has one. Nothing for a runtime without either. 0, or 2 with the file and key named when the budget is not acceptable.
     */
    private static int printJvmOptions() throws IOException, URISyntaxException {
        try {
            Map<String, String> properties = frameworkProperties();
            List<String> options = new ArrayList<>();
            budget(properties).ifPresent(b -> options.add(b.jvmOptionsLine(Runtime.version().feature())));
            if (Boolean.parseBoolean(properties.get(LATER_C2_PROPERTY))) {
                options.addAll(LATER_C2);
            }
            if (Boolean.parseBoolean(properties.get(CLASS_DATA_ARCHIVE))) {
                Path jar = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                options.addAll(ClassDataArchive.jvmOptions(Path.of(""), jar, installDir().resolve("bundles"), Runtime.version().feature()));
            }
            if (!options.isEmpty()) {
                System.out.println(String.join(" ", options));
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("memory budget: " + e.getMessage());
            return 2;
        }
    }

    /** The home's budget, else the runtime's default ({@value MemoryBudget#DEFAULT_PROPERTY}), else none. */
    static java.util.Optional<MemoryBudget> budget(Map<String, String> properties) throws IOException {
        String fallback = properties.get(MemoryBudget.DEFAULT_PROPERTY);
        return MemoryBudget.read(Path.of(""), fallback == null ? null : Integer.valueOf(fallback.trim()));
    }

    private static Path installDir() throws URISyntaxException {
        return Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    static Map<String, String> frameworkProperties() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = Launcher.class.getResourceAsStream("/framework.properties")) {
            defaults.load(in);
        }
        Map<String, String> props = new HashMap<>();
        for (String name : defaults.stringPropertyNames()) {
            props.put(name, System.getProperty(name, defaults.getProperty(name)));
        }
        // Pass omamori.* settings through to the bundles (BundleContext.getProperty).
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("omamori.")) {
                props.put(name, System.getProperty(name));
            }
        }
        return props;
    }

    private static Framework newFramework(Map<String, String> props) {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"));
        return factory.newFramework(props);
    }

    /** Installs each platform bundle once, updating it when the shipped jar is newer than the cached one. */
    private static List<Bundle> installPlatform(BundleContext context, Path dir) throws IOException, BundleException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        if (jars.isEmpty()) {
            throw new IllegalStateException("no bundles in " + dir + "; build with ./mvnw install first");
        }
        // Platform bundles of an earlier install (the runtime now starts from another folder, or a jar
        // is no longer shipped) go first: kept, they would clash with the new ones of the same name.
        java.util.Set<String> shipped = new java.util.HashSet<>();
        jars.forEach(jar -> shipped.add(jar.toUri().toString()));
        for (Bundle cached : context.getBundles()) {
            if (cached.getBundleId() != 0 && !shipped.contains(cached.getLocation()) && isPlatformLocation(cached.getLocation())) {
                cached.uninstall();
            }
        }
        List<Bundle> platform = new ArrayList<>();
        for (Path jar : jars) {
            String location = jar.toUri().toString();
            Bundle bundle = context.getBundle(location);
            if (bundle == null) {
                bundle = context.installBundle(location);
            } else if (Files.getLastModifiedTime(jar).toMillis() > bundle.getLastModified()) {
                bundle.update();
            }
            // Infrastructure (SPI Fly, the logging backend, SCR, ConfigAdmin) at level 1, our
            // bundles at level 2: SLF4J binds its backend on first use and never looks again.
            boolean ours = String.valueOf(bundle.getSymbolicName()).startsWith("org.omamori.");
            bundle.adapt(BundleStartLevel.class).setStartLevel(ours ? OUR_START_LEVEL : INFRASTRUCTURE_START_LEVEL);
            platform.add(bundle);
        }
        return platform;
    }

    /** A jar in a runtime's {@code bundles/} folder; engines (own scheme) and editions (editions/) are not. */
    static boolean isPlatformLocation(String location) {
        if (!location.startsWith("file:") || !location.endsWith(".jar")) {
            return false;
        }
        try {
            Path parent = Path.of(java.net.URI.create(location)).getParent();
            return parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("bundles");
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException notAFile) {
            return false;
        }
    }

    private static void stop(Framework framework, String name) {
        try {
            framework.stop();
            framework.waitForStop(15_000);
        } catch (BundleException | InterruptedException e) {
            System.err.println(name + " did not stop cleanly: " + e);
        }
    }
}
