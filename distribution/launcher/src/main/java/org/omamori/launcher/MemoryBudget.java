package org.omamori.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The memory budget of a runtime (docs/operations.md "Memory budget"): the resident memory the
 * whole process may use, in MB, from the home's {@value #CONFIG_FILE} ({@value #KEY}), and the
 * JVM options derived from it, which must be given before the JVM starts ({@code java $(java -jar
 * omamori-appliance.jar --jvm-options) -jar omamori-appliance.jar}, the systemd unit, {@code
 * ./omamori appliance}).
 *
 * <p>The budget is shared out so that the sum of the JVM's bounded areas, plus a reserve for what
 * the JVM cannot bound (its own structures, thread stacks, Hyperscan's databases and the scratch of
 * a rule compile, malloc), stays within it:
 * <ul>
 *   <li>code cache: an eighth, 48 to 240 MB (smaller, the JIT's code fills it and forces collections);</li>
 *   <li>metaspace: an eighth, at least 64 MB (class data; an engine bundle updated adds its classes until the old ones go);</li>
 *   <li>direct memory: a sixteenth, at least 32 MB (socket buffers, Hyperscan's scan buffers);</li>
 *   <li>native reserve: three sixteenths, at least 96 MB (not a JVM option; what is left out of the heap);</li>
 *   <li>heap: the rest (256 MB of 512).</li>
 * </ul>
 * The collector is G1 with a 20 ms pause goal: under the mixed load with 1,000,000 listed domains
 * swapped in by definitions updates, Serial kept the resident set about 5 % lower but stopped the
 * appliance for 330-560 ms at each full collection, G1's longest pause was a quarter of that
 * (bench/README.md "Memory budget under a mixed load"). No {@code ExitOnOutOfMemoryError}: past the budget the
 * appliance sheds load instead.
 */
public record MemoryBudget(int megabytes, String source) {

    /** Where the budget is set, relative to the home (the PID of the appliance's memory guard). */
    public static final String CONFIG_FILE = "etc/org.omamori.memory.cfg";
    /** The key in that file. */
    public static final String KEY = "budgetMegabytes";
    /** The appliance's default: the small box's budget with ET Open and 1,000,000 listed domains. */
    public static final int DEFAULT_MEGABYTES = 512;
    /** Below this the heap could not hold the appliance's definitions. */
    public static final int MIN_MEGABYTES = 384;
    public static final int MAX_MEGABYTES = 65_536;
    /** Framework property: the runtime's default budget (the appliance's framework.properties sets it). */
    static final String DEFAULT_PROPERTY = "omamori.memory.defaultBudgetMegabytes";
    /** System property the derived options carry, so the running JVM knows which budget sized it. */
    public static final String SIZED_PROPERTY = "omamori.memory.budgetMegabytes";
    /** glibc: two malloc arenas instead of eight per core, each reserving 64 MB and keeping what it touched. */
    public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    /** G1's fixed marking threshold, in percent of the committed heap (see {@link #jvmOptions(int, int)}). */
    static final int MARKING_THRESHOLD_PERCENT = 60;
    /** The heap G1 keeps free for copying survivors, in percent (its default is 10). */
    static final int COPY_RESERVE_PERCENT = 20;

    /** How the budget is shared out, in MB. */
    public record Shares(int heap, int metaspace, int codeCache, int directMemory, int nativeReserve) {
    }

    public MemoryBudget {
        if (megabytes < MIN_MEGABYTES || megabytes > MAX_MEGABYTES) {
            throw new IllegalArgumentException(source + ": " + KEY + " = " + megabytes + " is not a whole number of MB from "
                    + MIN_MEGABYTES + " to " + MAX_MEGABYTES);
        }
    }

    /**
     * The budget of the runtime in {@code home}: the file's value, else {@code defaultMegabytes}.
     *
     * @return empty when neither gives one (a runtime without a budget: the JVM's own defaults)
     * @throws IllegalArgumentException naming the file and key when the value is not acceptable
     */
    public static java.util.Optional<MemoryBudget> read(Path home, Integer defaultMegabytes) throws IOException {
        Path cfg = home.resolve(CONFIG_FILE);
        if (Files.isRegularFile(cfg)) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
                file.load(in);
            }
            String value = file.getProperty(KEY);
            if (value != null) {
                int mb;
                try {
                    mb = Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(CONFIG_FILE + ": " + KEY + " = '" + value.trim() + "' is not a whole number of MB from "
                            + MIN_MEGABYTES + " to " + MAX_MEGABYTES, e);
                }
                return java.util.Optional.of(new MemoryBudget(mb, CONFIG_FILE));
            }
        }
        return defaultMegabytes == null ? java.util.Optional.empty()
                : java.util.Optional.of(new MemoryBudget(defaultMegabytes, "default"));
    }

    /** The shares of this budget. */
    public Shares shares() {
        int codeCache = clamp(megabytes / 8, 48, 240);
        int metaspace = Math.max(64, megabytes / 8);
        int direct = Math.max(32, megabytes / 16);
        int reserve = Math.max(96, megabytes * 3 / 16);
        return new Shares(megabytes - codeCache - metaspace - direct - reserve, metaspace, codeCache, direct, reserve);
    }

    /** The JVM options for a JVM of feature release {@code javaFeature} (21, 25, …) on this machine's cores. */
    public List<String> jvmOptions(int javaFeature) {
        return jvmOptions(javaFeature, Runtime.getRuntime().availableProcessors());
    }

    /** The JVM options for a JVM of feature release {@code javaFeature} on a machine of {@code cores} cores. */
    public List<String> jvmOptions(int javaFeature, int cores) {
        Shares s = shares();
        List<String> o = new ArrayList<>();
        o.add("-Xmx" + s.heap() + "m");
        // Start at a quarter: an idle appliance does not hold its whole share; the collector grows it as needed.
        o.add("-Xms" + Math.max(64, s.heap() / 4) + "m");
        o.add("-XX:MaxMetaspaceSize=" + s.metaspace() + "m");
        o.add("-XX:ReservedCodeCacheSize=" + s.codeCache() + "m");
        o.add("-XX:MaxDirectMemorySize=" + s.directMemory() + "m");
        // Thread stacks stay at the JVM's default: only the pages a thread touches are resident, and virtual threads
        // (the proxy's sessions, DNS forwards) run on their carriers' stacks, so a smaller -Xss would cut a deep regex short.
        o.add("-XX:+UseG1GC");
        o.add("-XX:MaxGCPauseMillis=20");
        // A fixed marking threshold between the appliance's two heaps (bench/README.md "A fixed marking threshold at 60 %"): G1's adaptive one sat
        // at the steady live set (rule sets and lists, ~100 MB of 256) and marked at nearly every young collection under
        // the proxy's load, with remarks, mixed collections for a few MB and a marking thread on one of two cores; a fixed
        // 75 % let a swapped list's dead tables sit unmarked at ~165 MB until the next list found no room (full
        // collections). 60 % of the committed heap (154 MB of 256) is over the first and under the second.
        o.add("-XX:-G1UseAdaptiveIHOP");
        o.add("-XX:InitiatingHeapOccupancyPercent=" + MARKING_THRESHOLD_PERCENT);
        // With the later marking, a list swap's new tables (~20 MB made in a second or two) took the room a young
        // collection planned before them needed for its survivors: evacuation failures, then full collections in
        // 5 of 10 swaps. A reserve of 20 % (51 MB) left room in every swap measured (bench/README.md "URL filter tables").
        o.add("-XX:G1ReservePercent=" + COPY_RESERVE_PERCENT);
        // The memory guard asks for a collection to measure the heap: a concurrent cycle, not a full pause.
        o.add("-XX:+ExplicitGCInvokesConcurrent");
        if (javaFeature >= 25) {
            o.add("-XX:+UseCompactObjectHeaders"); // 8 bytes less per object (product since 25)
        }
        if (javaFeature >= 22) {
            o.add("-XX:TrimNativeHeapInterval=10000"); // gives malloc's freed memory back (a rule compile's scratch)
        }
        if (javaFeature >= 21 && cores <= 2) {
            // One read poller instead of the JDK's one per core: on the small box's two cores, the proxy under load
            // (ET Open, 50 connections) kept its rate and its p99 fell from 2.8x to 2.2x of nginx-as-proxy's
            // (bench/README.md "One read poller on two cores").
            o.add("-Djdk.readPollers=1");
        }
        o.add("-D" + SIZED_PROPERTY + "=" + megabytes);
        return o;
    }

    /** The options on one line, as {@code --jvm-options} prints them for a shell. */
    public String jvmOptionsLine(int javaFeature) {
        return String.join(" ", jvmOptions(javaFeature));
    }

    /**
     * What to tell the operator when the running JVM was not started with this budget's options
     * (e.g. {@code java -jar} alone): empty when it was.
     */
    public java.util.Optional<String> mismatch(String sizedFor, long maxHeapBytes) {
        if (String.valueOf(megabytes).equals(sizedFor)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the JVM was not started with the memory budget's options (budget " + megabytes + " MB from "
                + source + ", heap " + (maxHeapBytes >> 20) + " MB instead of " + shares().heap() + " MB); start it as "
                + "java $(java -jar JAR --jvm-options) -jar JAR, or restart it after changing " + KEY);
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }
}
