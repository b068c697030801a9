package org.omamori.smtp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;

/**
 * A test antispam engine: the mail's {@code X-Test-Verdict} field (block, neutralise, pass)
 * decides; it records each request and the bytes it was given, so a test sees what the intake
 * hands an antispam engine. The real one is rspamd (engines/antispam-rspamd).
 */
final class VerdictEngine implements Engine {

    record Seen(InspectionRequest request, byte[] body) { }

    final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    public EngineDescriptor descriptor() {
        return new EngineDescriptor("test-spam", "1.0", Set.of(SecurityFunction.ANTISPAM));
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        return new Inspection() {
            @Override
            public void body(Direction direction, ByteBuffer chunk) {
                byte[] b = new byte[chunk.remaining()];
                chunk.duplicate().get(b);
                body.write(b, 0, b.length);
            }

            @Override
            public void endOfBody(Direction direction) {
                seen.add(new Seen(request, body.toByteArray()));
            }

            @Override
            public Verdict verdict() {
                String mail = body.toString(StandardCharsets.UTF_8);
                Finding f = new Finding("spam-1", "TEST_SPAM", Level.MEDIUM, 90);
                if (mail.contains("X-Test-Verdict: block")) {
                    return Verdict.block(f).withNote("score 15.2 / 15, symbols TEST_SPAM");
                }
                if (mail.contains("X-Test-Verdict: neutralise")) {
                    return Verdict.neutralise(f).withNote("score 7.5 / 6, 迷惑\r\nX-Injected: 1");
                }
                if (mail.contains("X-Test-Verdict: pass")) {
                    return Verdict.pass(f).withNote("score 1.0 / 6");
                }
                return Verdict.clean();
            }
        };
    }
}
