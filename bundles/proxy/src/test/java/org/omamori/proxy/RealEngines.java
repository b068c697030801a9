package org.omamori.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.omamori.engine.av.AvEngine;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.ClamdDaemon;
import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/**
 * The appliance's three engines on the class path, as the DS components wire them: the URL
 * filter with the sample lists, the IPS with the project's rules, the antivirus on the real clamd.
 * The rules' HOME_NET is the test origin's loopback address, so the origin is "ours".
 */
final class RealEngines implements AutoCloseable {

    static final String ORIGIN_ADDRESS = "127.0.0.2";

    final InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
    private final UrlFilter url = new UrlFilter("test");
    private final IpsEngine ips = new IpsEngine("test", IpsSettings.DEFAULTS);
    private final AvEngine av;

    RealEngines() {
        if (!url.loadNow(Path.of(System.getProperty("omamori.sampleLists")), 1_000_000)) {
            throw new IllegalStateException("sample lists did not load");
        }
        Variables variables = Variables.defaults().withAddress("HOME_NET", "[" + ORIGIN_ADDRESS + "/32]");
        if (!ips.loadNow(RuleSets.source(List.of(Path.of(System.getProperty("omamori.projectRules"))), variables,
                Classtypes.standard(), n -> { }), IpsSettings.DEFAULTS)) {
            throw new IllegalStateException("project rules did not load");
        }
        ClamdDaemon.SHARED.start();
        av = new AvEngine("test", new AvSettings(ClamdDaemon.SHARED.address(), true, 64L << 20, Duration.ofSeconds(30), 8));
        pipeline.addEngine(url.asEngine());
        pipeline.addEngine(ips);
        pipeline.addEngine(av);
    }

    @Override
    public void close() {
        pipeline.close();
        av.close();
        ips.close();
        url.close();
    }
}
