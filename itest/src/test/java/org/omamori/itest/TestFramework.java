package org.omamori.itest;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A real Felix framework for one test class. The engine SPI, SLF4J and the ConfigAdmin API are
 * exported by the system bundle from the test's class path, so the test and the bundles share
 * those classes and the test can call services directly.
 */
final class TestFramework implements AutoCloseable {

    static final Path BUNDLES = Path.of(System.getProperty("omamori.bundles", "target/bundles"));

    /** The platform bundles of the appliance runtime, in install order. */
    static final List<String> PLATFORM = List.of(
            "org.osgi.util.function.jar", "org.osgi.util.promise.jar", "org.osgi.service.component.jar",
            "org.apache.felix.scr.jar", "org.apache.felix.configadmin.jar", "jackson-core.jar", "org.omamori.events.jar",
            "org.omamori.metrics.jar", "org.omamori.http.jar", "org.omamori.inspection.jar");

    /**
     * The API packages go out with the versions the api bundle's own manifest gives them, so a bundle built
     * against a new API version resolves here without a second list to keep in step.
     */
    private static final String SHARED_PACKAGES = String.join(",", apiExports(BUNDLES.resolve("org.omamori.api.jar")),
            "org.slf4j;version=2.0.17", "org.slf4j.event;version=2.0.17", "org.slf4j.spi;version=2.0.17",
            "org.slf4j.helpers;version=2.0.17",
            "org.osgi.service.cm;version=1.6.1", "com.sun.net.httpserver;version=0.0.0");

    final Framework framework;
    final BundleContext context;

    static String apiExports(Path apiJar) {
        try (JarFile jar = new JarFile(apiJar.toFile())) {
            String exports = jar.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null || exports.isBlank()) {
                throw new IllegalStateException(apiJar + " has no Export-Package");
            }
            return exports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the api bundle " + apiJar, e);
        }
    }

    private TestFramework(Framework framework) {
        this.framework = framework;
        this.context = framework.getBundleContext();
    }

    static TestFramework start(Path storage) throws BundleException {
        return start(storage, Map.of());
    }

    static TestFramework start(Path storage, Map<String, String> frameworkProperties) throws BundleException {
        Map<String, String> props = new HashMap<>(frameworkProperties);
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SHARED_PACKAGES);
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(props);
        framework.start();
        TestFramework fw = new TestFramework(framework);
        for (String jar : PLATFORM) {
            fw.installAndStart(BUNDLES.resolve(jar));
        }
        return fw;
    }

    Bundle installAndStart(Path jar) throws BundleException {
        Bundle bundle;
        try (InputStream in = Files.newInputStream(jar)) {
            bundle = context.installBundle(jar.toUri().toString(), in);
        } catch (IOException e) {
            throw new BundleException("cannot read " + jar, e);
        }
        bundle.start();
        return bundle;
    }

    Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    <T> T service(Class<T> type) {
        ServiceReference<T> ref = await().atMost(Duration.ofSeconds(20)).until(() -> context.getServiceReference(type),
                r -> r != null);
        return context.getService(ref);
    }

    /** Sets a configuration not bound to any bundle location, so it survives bundle reinstalls. */
    void configure(String pid, Map<String, ?> properties) throws IOException {
        Configuration config = service(ConfigurationAdmin.class).getConfiguration(pid, "?");
        Dictionary<String, Object> dict = new Hashtable<>(properties);
        config.update(dict);
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(20_000);
    }
}
