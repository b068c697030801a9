package org.omamori.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The Hyperscan bundle inside Felix: it resolves and starts, JavaCPP extracts and loads the
 * native libraries through the bundle's class loader, and consumers that come and go (as hot
 * swapped engines do) reuse the one loaded library. The test's class path does not have
 * org.omamori.hyperscan, so the API is driven by reflection through the bundles' class loaders.
 */
class HyperscanBundleTest {

    private static final String LIBRARY = "libjnihyperscan.so";

    @TempDir
    Path tmp;

    @Test
    void nativeLibraryLoadsOnceInsideFelixAndSurvivesConsumerReinstalls() throws Exception {
        // Keep JavaCPP's extraction cache inside the test's directory instead of ~/.javacpp/cache.
        Path cache = tmp.resolve("javacpp-cache");
        System.setProperty("org.bytedeco.javacpp.cachedir", cache.toString());
        try (TestFramework fw = TestFramework.start(tmp.resolve("felix"))) {
            Bundle hyperscan = fw.installAndStart(TestFramework.BUNDLES.resolve("org.omamori.hyperscan.jar"));
            assertThat(hyperscan.getState()).isEqualTo(Bundle.ACTIVE);
            assertThat(hyperscan.getHeaders().get("Export-Package")).startsWith("org.omamori.hyperscan;").doesNotContain("bytedeco", "gliwka");

            Class<?> api = hyperscan.loadClass("org.omamori.hyperscan.Hyperscan");
            assertThat((String) api.getMethod("version").invoke(null)).startsWith("5.4.");
            assertThat(mappedCopies()).as("one copy of %s mapped into the JVM", LIBRARY).hasSize(1);
            assertThat(mappedCopies().iterator().next()).as("extracted from the bundle by JavaCPP").startsWith(cache.toString());

            assertThat(compileAndScan(hyperscan)).containsExactly("1:0-7", "2:0-24");

            Path consumerJar = consumerBundle(tmp.resolve("consumer.jar"));
            for (int round = 0; round < 3; round++) {
                Bundle consumer = fw.installAndStart(consumerJar);
                // The consumer sees the very classes of the Hyperscan bundle through its import.
                assertThat(consumer.loadClass("org.omamori.hyperscan.Hyperscan")).isSameAs(api);
                assertThat(compileAndScan(consumer)).containsExactly("1:0-7", "2:0-24");
                consumer.uninstall();
                refresh(fw, consumer);
            }
            assertThat(hyperscan.getState()).isEqualTo(Bundle.ACTIVE);
            assertThat(mappedCopies()).as("consumers coming and going never load the library again").hasSize(1);
            Class<?> loader = hyperscan.loadClass("org.bytedeco.javacpp.Loader");
            @SuppressWarnings("unchecked")
            var loaded = (java.util.Map<String, String>) loader.getMethod("getLoadedLibraries").invoke(null);
            assertThat(loaded.values()).filteredOn(path -> path.endsWith(LIBRARY)).hasSize(1);
        } finally {
            System.clearProperty("org.bytedeco.javacpp.cachedir");
        }
    }

    /** Compiles two expressions and scans a direct buffer, all through {@code bundle}'s class loader. */
    private static List<String> compileAndScan(Bundle bundle) throws Exception {
        Class<?> expression = bundle.loadClass("org.omamori.hyperscan.Expression");
        Class<?> flag = bundle.loadClass("org.omamori.hyperscan.ExpressionFlag");
        Class<?> mode = bundle.loadClass("org.omamori.hyperscan.ScanMode");
        Class<?> database = bundle.loadClass("org.omamori.hyperscan.Database");
        Class<?> scanner = bundle.loadClass("org.omamori.hyperscan.Scanner");
        Class<?> listener = bundle.loadClass("org.omamori.hyperscan.MatchListener");

        Method of = expression.getMethod("of", int.class, String.class, flag.arrayType());
        Object caseless = Array.newInstance(flag, 1);
        Array.set(caseless, 0, enumConstant(flag, "CASELESS"));
        List<Object> expressions = List.of(of.invoke(null, 1, "cmd\\.exe", caseless),
                of.invoke(null, 2, "/etc/passwd", Array.newInstance(flag, 0)));

        List<String> hits = new ArrayList<>();
        Object onMatch = Proxy.newProxyInstance(listener.getClassLoader(), new Class<?>[] {listener}, (proxy, method, args) -> {
            if (!method.getName().equals("onMatch")) {
                return method.invoke(hits, args);
            }
            hits.add(args[0] + ":" + args[1] + "-" + args[2]);
            return true;
        });
        byte[] data = "CMD.EXE ../../etc/passwd".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer direct = ByteBuffer.allocateDirect(data.length).put(data).flip();
        try (AutoCloseable db = (AutoCloseable) database.getMethod("compile", List.class, mode)
                .invoke(null, expressions, enumConstant(mode, "BLOCK"));
                AutoCloseable scan = (AutoCloseable) database.getMethod("scanner").invoke(db)) {
            scanner.getMethod("scan", ByteBuffer.class, listener).invoke(scan, direct, onMatch);
        }
        return hits;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> type, String name) {
        return Enum.valueOf((Class) type, name);
    }

    /** A bundle with no code of its own that imports the API, as an engine bundle does. */
    private static Path consumerBundle(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "org.omamori.itest.hyperscan.consumer");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", "org.omamori.hyperscan;version=\"[1.0,2)\"");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }

    private static void refresh(TestFramework fw, Bundle gone) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        fw.framework.adapt(FrameworkWiring.class).refreshBundles(List.of(gone), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        assertThat(refreshed.await(20, TimeUnit.SECONDS)).isTrue();
    }

    /** The distinct files named libjnihyperscan.so mapped into this process. */
    private static Set<String> mappedCopies() throws IOException {
        Set<String> paths = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.endsWith(LIBRARY)) {
                paths.add(line.substring(slash));
            }
        }
        return paths;
    }
}
