package org.omamori.appliance.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.omamori.appliance.trust.EngineCapability;

/** An in-memory framework: bundles read from the manifests of the jars it is given, and a log of calls. */
final class FakeFramework implements BundleHost {

    final Map<Long, HostedBundle> installed = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    private long nextId = 1;
    boolean failStart;

    FakeFramework() {
        installed.put(0L, new HostedBundle(0, "org.apache.felix.framework", "7.0.5", "System Bundle", false));
    }

    FakeFramework withPlatformBundle(String symbolicName) {
        long id = nextId++;
        installed.put(id, new HostedBundle(id, symbolicName, "0.1.0", "file:bundles/" + symbolicName + ".jar", false));
        return this;
    }

    @Override
    public List<HostedBundle> bundles() {
        return List.copyOf(installed.values());
    }

    @Override
    public HostedBundle install(String location, InputStream jar) throws BundleHostException {
        HostedBundle bundle = read(nextId++, location, jar);
        installed.put(bundle.id(), bundle);
        calls.add("install " + bundle.symbolicName() + " " + bundle.version() + " at " + location);
        return bundle;
    }

    @Override
    public HostedBundle update(long id, InputStream jar) throws BundleHostException {
        HostedBundle bundle = read(id, installed.get(id).location(), jar);
        installed.put(id, bundle);
        calls.add("update " + bundle.symbolicName() + " " + bundle.version());
        return bundle;
    }

    @Override
    public void start(long id) throws BundleHostException {
        calls.add("start " + installed.get(id).symbolicName());
        if (failStart) {
            throw new BundleHostException("Unable to resolve " + installed.get(id).symbolicName() + ": missing requirement org.example.missing");
        }
    }

    @Override
    public void uninstall(long id) {
        HostedBundle removed = installed.remove(id);
        calls.add("uninstall " + removed.symbolicName());
    }

    static HostedBundle read(long id, String location, InputStream jar) throws BundleHostException {
        try (JarInputStream in = new JarInputStream(jar)) {
            Manifest manifest = in.getManifest();
            Attributes main = manifest.getMainAttributes();
            return new HostedBundle(id, main.getValue("Bundle-SymbolicName"), main.getValue("Bundle-Version"), location,
                    EngineCapability.declaredIn(main.getValue("Provide-Capability")));
        } catch (IOException e) {
            throw new BundleHostException("not a bundle: " + e.getMessage(), e);
        }
    }

    static HostedBundle read(long id, String location, Path jar) throws Exception {
        try (InputStream in = Files.newInputStream(jar)) {
            return read(id, location, in);
        }
    }
}
