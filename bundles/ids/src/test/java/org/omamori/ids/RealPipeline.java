package org.omamori.ids;

import java.nio.file.Path;
import java.util.List;

import org.omamori.engine.ips.IpsEngine;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.Variables;
import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** The appliance's engines as the CLI builds them: the IPS with the project rules and the URL filter with the sample lists. */
final class RealPipeline {

    static final Path ROOT = Path.of(System.getProperty("omamori.root", "../..")).toAbsolutePath().normalize();

    private static InspectionPipeline pipeline;

    private RealPipeline() {
    }

    static synchronized InspectionPipeline get() throws Exception {
        if (pipeline == null) {
            IpsEngine ips = new IpsEngine("test", IpsSettings.DEFAULTS);
            if (!ips.loadNow(RuleSets.source(List.of(ROOT.resolve("engines/ips-hyperscan/rules/omamori.rules")),
                    Variables.defaults(), Classtypes.standard(), n -> { }), IpsSettings.DEFAULTS)) {
                throw new IllegalStateException("the project rules did not load");
            }
            UrlFilter urls = new UrlFilter("test");
            urls.swapIn(CategoryLists.load(ROOT.resolve("engines/urlfilter/sample-lists")));
            pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
            pipeline.addEngine(ips);
            pipeline.addEngine(urls.asEngine());
        }
        return pipeline;
    }
}
