package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The exchange's flowbits answer as a set does, through set, unset and toggle in any order. */
class FlowbitsTest {

    @Test
    void answersAsASetDoes() {
        Random random = new Random(18);
        for (int run = 0; run < 200; run++) {
            Flowbits bits = new Flowbits();
            Set<String> reference = new HashSet<>();
            for (int op = 0; op < 60; op++) {
                String name = new String("bit" + random.nextInt(9)); // equal names, not the same objects
                switch (random.nextInt(3)) {
                    case 0 -> assertThat(bits.add(name)).isEqualTo(reference.add(name));
                    case 1 -> assertThat(bits.remove(name)).isEqualTo(reference.remove(name));
                    default -> {
                        if (!bits.remove(name)) {
                            bits.add(name);
                        }
                        if (!reference.remove(name)) {
                            reference.add(name);
                        }
                    }
                }
                for (int k = 0; k < 9; k++) {
                    assertThat(bits.contains("bit" + k)).isEqualTo(reference.contains("bit" + k));
                }
            }
        }
    }
}
