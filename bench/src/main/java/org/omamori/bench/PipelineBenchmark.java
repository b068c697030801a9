package org.omamori.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the pipeline costs per request: the URL filter called directly (baseline) against the
 * same engine behind the inspection pipeline (snapshot, budget, merge, results), same requests.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PipelineBenchmark {

    private static final int QUERIES = 1 << 12;
    private static final int MASK = QUERIES - 1;

    private Path root;
    private UrlFilter filter;
    private Engine engine;
    private InspectionPipeline pipeline;
    private InspectionRequest[] requests;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String[] domains = SyntheticLists.domains(100_000);
        root = SyntheticLists.write(domains);
        filter = new UrlFilter("bench");
        filter.swapIn(CategoryLists.load(root));
        engine = new Engine() {
            public EngineDescriptor descriptor() {
                return filter.descriptor();
            }

            public Inspection inspect(InspectionRequest request) {
                return Inspection.decided(filter.inspect(request));
            }
        };
        pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(engine);
        String[] hosts = SyntheticLists.queries(domains, new java.util.HashSet<>(java.util.List.of(domains)), QUERIES);
        requests = new InspectionRequest[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            requests[i] = InspectionRequest.http("GET", "http://" + hosts[i] + "/index.html").build();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pipeline.close();
        filter.close();
        SyntheticLists.delete(root);
    }

    @Benchmark
    public Verdict engineDirect() {
        return engine.inspect(requests[cursor++ & MASK]).verdict();
    }

    @Benchmark
    public PipelineResult throughPipeline() {
        return pipeline.inspect(requests[cursor++ & MASK]);
    }
}
