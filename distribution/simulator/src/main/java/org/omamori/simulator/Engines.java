package org.omamori.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.omamori.api.pipeline.Pipeline;
import org.omamori.engine.av.AvEngine;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.Clamd;
import org.omamori.engine.av.clamd.ClamdAddress;
import org.omamori.engine.av.clamd.ClamdException;
import org.omamori.engine.av.clamd.ClamdLimits;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's real engines on the class path, built once and shared by every virtual
 * appliance of a process: the URL filter with the project's sample lists, the IPS with the
 * project's rules (HOME_NET the private ranges, as shipped), the antivirus on clamd. When clamd
 * does not answer at start, the antivirus is left out (said once, loudly) rather than added to
 * fail open: otherwise every body would become a "not scanned" event.
 */
public final class Engines implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    static final String VERSION = "simulator";

    private final InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
    private final UrlFilter url = new UrlFilter(VERSION);
    private final IpsEngine ips = new IpsEngine(VERSION, IpsSettings.DEFAULTS);
    private final AvEngine av;

    private Engines(Path lists, Path rules, ClamdAddress clamd) {
        try {
            if (!url.loadNow(lists, 1_000_000)) {
                throw new IllegalStateException("the URL lists did not load from " + lists);
            }
            if (!ips.loadNow(RuleSets.source(List.of(rules), Variables.defaults(), Classtypes.standard(), n -> { }),
                    IpsSettings.DEFAULTS)) {
                throw new IllegalStateException("the IPS rules did not load from " + rules);
            }
        } catch (RuntimeException e) {
            ips.close();
            url.close();
            pipeline.close();
            throw e;
        }
        pipeline.addEngine(url.asEngine());
        pipeline.addEngine(ips);
        String why = clamdProblem(clamd);
        if (why == null) {
            av = new AvEngine(VERSION, new AvSettings(clamd, true, 64L << 20, Duration.ofSeconds(30), 8));
            pipeline.addEngine(av);
        } else {
            av = null;
            LOG.warn("simulator: ANTIVIRUS LEFT OUT, clamd does not answer at {} ({}). Virtual appliances skip their EICAR"
                    + " download step; everything else runs. Start clamd with 'bash scripts/clamd.sh start' and restart the simulator.",
                    clamd, why);
        }
    }

    /** The engines with the given lists folder, rules folder (or file) and clamd. */
    public static Engines start(Path lists, Path rules, ClamdAddress clamd) {
        return new Engines(lists, rules, clamd);
    }

    /** The engines as shipped with the project: sample lists, project rules, the project's clamd (127.0.0.1:3399). */
    public static Engines standard() {
        return start(sampleLists(), projectRules(), ClamdAddress.LOCAL_DEFAULT);
    }

    /** The pipeline every virtual appliance inspects with. */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** Whether the antivirus takes part (clamd answered at start). */
    public boolean antivirus() {
        return av != null;
    }

    /** {@code engines/urlfilter/sample-lists} of the project (see {@link #projectRoot()}). */
    public static Path sampleLists() {
        return projectRoot().resolve("engines/urlfilter/sample-lists");
    }

    /** {@code engines/ips-hyperscan/rules} of the project. */
    public static Path projectRules() {
        return projectRoot().resolve("engines/ips-hyperscan/rules");
    }

    /**
     * The project's folder: the system property {@code omamori.root} when set (as the CLI has it),
     * else the nearest folder at or above the working directory that has the sample lists.
     */
    public static Path projectRoot() {
        String root = System.getProperty("omamori.root");
        if (root != null) {
            return Path.of(root).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (p.resolve("engines/urlfilter/sample-lists").toFile().isDirectory()) {
                return p;
            }
        }
        return dir;
    }

    private static String clamdProblem(ClamdAddress address) {
        try (Clamd clamd = new Clamd(address, ClamdLimits.DEFAULTS)) {
            String pong = clamd.ping();
            return "PONG".equals(pong.strip()) ? null : "answered '" + pong + "' to PING";
        } catch (ClamdException | RuntimeException e) {
            return e.getMessage();
        }
    }

    @Override
    public void close() {
        pipeline.close();
        if (av != null) {
            av.close();
        }
        ips.close();
        url.close();
    }
}
