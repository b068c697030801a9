package org.omamori.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Header;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.omamori.events.ApplianceId;
import org.omamori.events.EventFactory;
import org.omamori.inspection.InspectionPipeline;
import org.omamori.inspection.PipelineSettings;

/** Engines are given the response's status line first among its headers (Header.STATUS_LINE), the fields after it as received. */
class StatusLineTest {

    @Test
    void theResponseHeadersAnEngineSeesAreLedByTheStatusLine() throws Exception {
        List<List<Header>> seen = new CopyOnWriteArrayList<>();
        Engine recorder = new Engine() {
            @Override
            public EngineDescriptor descriptor() {
                return new EngineDescriptor("recorder", "1.0", Set.of(SecurityFunction.IPS));
            }

            @Override
            public Inspection inspect(InspectionRequest request) {
                return new Inspection() {
                    @Override
                    public Verdict verdict() {
                        return Verdict.clean();
                    }

                    @Override
                    public void headers(Direction direction, List<Header> headers) {
                        if (direction == Direction.RESPONSE) {
                            seen.add(List.copyOf(headers));
                        }
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
        InspectionPipeline pipeline = new InspectionPipeline(PipelineSettings.DEFAULTS);
        pipeline.addEngine(recorder);
        try (TestOrigin origin = new TestOrigin();
             WebProxy proxy = WebProxy.start(ProxySettings.DEFAULTS.withListeners(List.of(Listener.parse("explicit@127.0.0.1:0/lan")))
                     .withDestinations(DestinationPolicy.DEFAULTS.allowing(RealEngines.ORIGIN_ADDRESS + "/32")),
                     pipeline, new EventFactory(new ApplianceId("00a0de000002")), list -> { });
             RawClient c = new RawClient(proxy.addresses().get(0))) {
            c.write(WebProxyTest.get(origin.url("/")));
            assertThat(c.read().status()).isEqualTo(200);
        }
        assertThat(seen).singleElement().satisfies(headers -> {
            assertThat(headers.get(0)).isEqualTo(Header.statusLine("HTTP/1.1 200 OK"));
            assertThat(headers.get(0).pseudo()).isTrue();
            assertThat(headers.subList(1, headers.size())).noneMatch(Header::pseudo).isNotEmpty();
        });
    }
}
