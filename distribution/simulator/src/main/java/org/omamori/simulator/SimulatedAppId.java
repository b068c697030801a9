package org.omamori.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.api.pipeline.EngineResult;
import org.omamori.api.pipeline.PipelineResult;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;

/**
 * Application identification as the nDPI engine (engines/appid-ndpi, issue 19) reports it, for the
 * simulated appliances: one pass-with-finding {@code app:<category>:<slug>} per connection, named by
 * the server's host — the demo's sites stand for well-known applications; any other plain HTTP is
 * {@code HTTP} (web). The real engine reads the packets; the simulator has none to read. It is not
 * one of the shared pipeline's engines: {@link #events} gives a step's identification as an intake
 * logs it, beside the step's own events (which the profiles' tests count), for the appliance to fold.
 */
final class SimulatedAppId implements Engine {

    private static final EngineDescriptor DESCRIPTOR = new EngineDescriptor("appid-simulated", Engines.VERSION,
            Set.of(SecurityFunction.APPLICATION_IDENTIFICATION));

    /** Host → category, nDPI's name. */
    private static final Map<String, String[]> APPS = Map.of(
            "video.example", new String[] {"video", "YouTube"},
            "social.example", new String[] {"social", "Facebook"},
            "games.example", new String[] {"game", "Steam"},
            "www.example.com", new String[] {"business", "Microsoft365"},
            "downloads.example.org", new String[] {"file-sharing", "BitTorrent"},
            "news.example", new String[] {"messaging", "LINE"});

    private static final SimulatedAppId ENGINE = new SimulatedAppId();

    /** The access-log event an intake makes of this engine's finding on {@code request}. */
    static List<Event> events(EventFactory factory, InspectionRequest request) {
        Verdict v = ENGINE.inspect(request).verdict();
        PipelineResult result = new PipelineResult(v,
                List.of(new EngineResult(DESCRIPTOR, EngineResult.Outcome.DECIDED, v, "", Duration.ZERO)));
        return factory.of(request, result, false);
    }

    @Override
    public EngineDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        String[] app = APPS.getOrDefault(request.host(), new String[] {"web", "HTTP"});
        String slug = app[1].toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        return Inspection.decided(Verdict.pass(new Finding("app:" + app[0] + ":" + slug, app[1], Level.LOW, 90, Evidence.NONE)));
    }
}
