package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Where the window's first held byte is, asked without a view, is where its view says it is, as bytes come and slide out. */
class ByteWindowTest {

    @Test
    void heldFromIsTheViewsFirstPositionAsTheWindowFillsSlidesAndClears() {
        Random random = new Random(18);
        ByteWindow window = new ByteWindow(256);
        assertThat(window.heldFrom()).isEqualTo(window.view(0).firstPosition());
        for (int round = 0; round < 500; round++) {
            if (random.nextInt(40) == 0) {
                window.clear();
            } else {
                byte[] piece = new byte[random.nextInt(random.nextBoolean() ? 40 : 700)];
                random.nextBytes(piece);
                window.append(ByteBuffer.wrap(piece));
            }
            assertThat(window.heldFrom()).as("round %d, end %d", round, window.end()).isEqualTo(window.view(0).firstPosition());
        }
        window.release();
    }
}
