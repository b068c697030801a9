package org.omamori.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One Micrometer registry with the Prometheus format. {@link #shared()} is the runtime's own,
 * made when this bundle's class is first used, the way Micrometer's global registry is: the
 * components that count need no service reference, so a late metrics service can never restart
 * a proxy listener (docs/decisions/0026-metrics-micrometer.md). Tests use {@link #isolated()}.
 *
 * <p>Meters are named in Micrometer's dotted form ({@code omamori.proxy.bytes}); the scrape
 * spells them the Prometheus way ({@code omamori_proxy_bytes_total}). Registering the same name
 * and tags twice gives the same meter, so a reactivated component keeps counting on.
 */
public final class Meters {

    /** The content type of {@link #scrape}: the Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Latency buckets, in seconds: from 100 µs (a URL lookup) to 10 s (a large download's scan). */
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10),
    };

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*");
    private static final Pattern TAG_KEY = Pattern.compile("[a-z][a-z0-9_]*");

    private static final class Shared {
        static final Meters INSTANCE = new Meters();

        static {
            // The JVM's meters read management beans (threads, memory pools, the CPU): tens of milliseconds of
            // the appliance's start, on its start-level thread whichever component asks first. They are bound
            // beside it; a scrape waits for them (bench/README.md "startfast").
            CompletableFuture<Void> bound = new CompletableFuture<>();
            INSTANCE.runtimeMetersBound = bound;
            Thread.ofPlatform().name("omamori-runtime-meters").daemon().start(() -> {
                try {
                    withRuntimeMeters(INSTANCE);
                } finally {
                    bound.complete(null);
                }
            });
        }
    }

    /** Done once the JVM's meters are in the registry (the shared one binds them on a thread of their own). */
    private volatile CompletableFuture<Void> runtimeMetersBound = CompletableFuture.completedFuture(null);

    private void awaitRuntimeMeters() {
        try {
            runtimeMetersBound.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // scraped without them
        }
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** What counters read from, held strongly while registered (see {@link #counter(String, String, LongSupplier, String...)}). */
    private final java.util.Set<Object> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Meters() {
    }

    /** The runtime's registry, with the JVM's memory, threads, CPU and uptime. */
    public static Meters shared() {
        return Shared.INSTANCE;
    }

    /** A registry of its own, for a test that must not see other tests' counts. */
    public static Meters isolated() {
        return new Meters();
    }

    private static Meters withRuntimeMeters(Meters meters) {
        new JvmMemoryMetrics().bindTo(meters.registry);
        new JvmThreadMetrics().bindTo(meters.registry);
        new ProcessorMetrics().bindTo(meters.registry);
        new UptimeMetrics().bindTo(meters.registry);
        return meters;
    }

    /**
     * A counter. {@code tags} are key, value pairs with values fixed at registration (an engine
     * id, a verdict): register one counter per value up front, never per request.
     */
    public Counter counter(String name, String help, String... tags) {
        io.micrometer.core.instrument.Counter c = io.micrometer.core.instrument.Counter.builder(checked(name))
                .description(help).tags(tagsOf(tags)).register(registry);
        return new Counter() {
            @Override
            public void add(long amount) {
                c.increment(amount);
            }

            @Override
            public double count() {
                return c.count();
            }
        };
    }

    /** A timer with the latency histogram of docs/metrics.md (buckets 100 µs to 10 s). */
    public Timer timer(String name, String help, String... tags) {
        io.micrometer.core.instrument.Timer t = io.micrometer.core.instrument.Timer.builder(checked(name))
                .description(help).tags(tagsOf(tags)).serviceLevelObjectives(BUCKETS).register(registry);
        return new Timer() {
            @Override
            public void recordNanos(long nanos) {
                t.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            }

            @Override
            public long count() {
                return t.count();
            }
        };
    }

    /**
     * A gauge read from {@code value} at each scrape; close it when its owner stops. A second
     * gauge of the same name and tags replaces the first (the owner was restarted).
     */
    public Registration gauge(String name, String help, DoubleSupplier value, String... tags) {
        Objects.requireNonNull(value, "value");
        Tags t = tagsOf(tags);
        replace(checked(name), t);
        // Held strongly: Micrometer's default weak reference would let a lambda be collected and the gauge read NaN.
        Meter g = io.micrometer.core.instrument.Gauge.builder(name, value, DoubleSupplier::getAsDouble).strongReference(true)
                .description(help).tags(t).register(registry);
        return () -> registry.remove(g);
    }

    /**
     * A counter whose count its owner keeps (a {@code LongAdder} it already had), read at each
     * scrape; it must only go up. Close it when its owner stops; a second one of the same name
     * and tags replaces the first.
     */
    public Registration counter(String name, String help, LongSupplier count, String... tags) {
        Objects.requireNonNull(count, "count");
        Tags t = tagsOf(tags);
        replace(checked(name), t);
        Meter c = FunctionCounter.builder(name, count, LongSupplier::getAsLong).description(help).tags(t).register(registry);
        // Micrometer holds the supplier weakly (a method reference would be collected and the
        // counter read NaN): this registry holds it until the registration is closed.
        held.add(count);
        return () -> {
            registry.remove(c);
            held.remove(count);
        };
    }

    private void replace(String name, Tags tags) {
        Meter old = registry.find(name).tags(tags).meter();
        if (old != null) {
            registry.remove(old);
        }
    }

    /** Every meter in the Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
    public void scrape(OutputStream out) throws IOException {
        awaitRuntimeMeters();
        registry.scrape(out);
    }

    /** {@link #scrape(OutputStream)} as a string. */
    public String scrape() {
        awaitRuntimeMeters();
        return registry.scrape();
    }

    private static String checked(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a meter name is lower case words joined by dots, e.g. omamori.proxy.bytes: " + name);
        }
        return name;
    }

    private static Tags tagsOf(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("tags come in key, value pairs; got " + keysAndValues.length + " strings");
        }
        Tags tags = Tags.empty();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String key = keysAndValues[i];
            if (key == null || !TAG_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("a tag key is a lower case word, e.g. engine: " + key);
            }
            tags = tags.and(key, Objects.requireNonNull(keysAndValues[i + 1], () -> "the value of tag " + key));
        }
        return tags;
    }
}
