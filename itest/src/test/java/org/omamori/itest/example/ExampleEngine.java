package org.omamori.itest.example;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.EngineDescriptor;
import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.Verdict;
import org.osgi.service.component.annotations.Component;

/**
 * The complete minimal engine of docs/engine-sdk.md. It blocks requests from a known attack
 * tool by its User-Agent, and neutralises downloads that contain a marker string, found even
 * when the marker is split across chunks, while keeping only one integer per inspection.
 */
@Component(service = Engine.class)
public final class ExampleEngine implements Engine {

    static final byte[] MARKER = "OMAMORI-EXAMPLE-MALWARE".getBytes(StandardCharsets.US_ASCII);
    // KMP failure table: how much of the marker still matches after a mismatch.
    private static final int[] FALLBACK = fallback(MARKER);

    private static final EngineDescriptor DESCRIPTOR =
            new EngineDescriptor("example", "1.0.0", Set.of(SecurityFunction.IPS, SecurityFunction.ANTIVIRUS));
    private static final Finding ATTACK_TOOL =
            new Finding("example:attack-tool", "既知の攻撃ツール / Known attack tool", Level.MEDIUM, 90);
    private static final Finding MARKED_FILE =
            new Finding("example:marker", "テスト用マルウェア / Example malware marker", Level.HIGH, 100);

    @Override
    public EngineDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Inspection inspect(InspectionRequest request) {
        if (request.header("User-Agent").filter(ua -> ua.contains("BadBot")).isPresent()) {
            return Inspection.decided(Verdict.block(ATTACK_TOOL));
        }
        return new MarkerScan();
    }

    /** Streams bodies through a KMP matcher: one int of state, whatever the body size. */
    static final class MarkerScan implements Inspection {
        private int matched;
        private boolean found;

        @Override
        public Verdict verdict() {
            return found ? Verdict.neutralise(MARKED_FILE) : Verdict.clean();
        }

        @Override
        public void body(Direction direction, ByteBuffer chunk) {
            while (chunk.hasRemaining() && !found) {
                byte b = chunk.get();
                while (matched > 0 && b != MARKER[matched]) {
                    matched = FALLBACK[matched - 1];
                }
                if (b == MARKER[matched] && ++matched == MARKER.length) {
                    found = true;
                }
            }
        }
    }

    private static int[] fallback(byte[] pattern) {
        int[] table = new int[pattern.length];
        for (int i = 1, k = 0; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = table[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            table[i] = k;
        }
        return table;
    }
}
