package org.omamori.engine.ips;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * Large windows' memory is kept by the pool and used again by the next large body: never more
 * than {@link WindowMemory#SPARES} blocks, never one larger than twice the window, and nothing of
 * the last stream's bytes visible in the next.
 */
class WindowMemoryTest {

    private static final int SIZE = 64 * 1024;

    @Test
    void aReleasedLargeWindowsMemoryServesTheNextLargeBody() {
        WindowMemory memory = new WindowMemory();
        ByteWindow first = new ByteWindow(SIZE, memory);
        first.append(ByteBuffer.wrap(filled(SIZE / 2, (byte) 'a')));
        first.append(ByteBuffer.wrap(filled(SIZE / 2, (byte) 'b')));
        assertThat(first.capacity()).isGreaterThan(SideState.KEPT_WINDOW);
        ByteBuffer block = first.view(0).data();
        first.release();
        assertThat(first.capacity()).isZero();
        assertThat(memory.kept()).isEqualTo(1);

        ByteWindow next = new ByteWindow(SIZE, memory);
        byte[] text = "the next body".repeat(3000).getBytes(StandardCharsets.US_ASCII);
        next.append(ByteBuffer.wrap(text));
        assertThat(memory.kept()).as("the kept block was taken").isZero();
        assertThat(next.view(0).data()).isSameAs(block);
        assertThat(next.end()).isEqualTo(text.length);
        ByteView view = next.view(0);
        byte[] held = new byte[view.length()];
        view.data().get(view.offset(), held);
        assertThat(held).as("only this stream's bytes").isEqualTo(text);

        // The released window works again from nothing, with memory of its own.
        first.append(ByteBuffer.wrap(filled(100, (byte) 'c')));
        assertThat(first.end()).isEqualTo(100);
    }

    @Test
    void smallWindowsAndOversizedBlocksAreNotKept() {
        WindowMemory memory = new WindowMemory();
        ByteWindow small = new ByteWindow(SIZE, memory);
        small.append(ByteBuffer.wrap(filled(1000, (byte) 'x')));
        assertThat(small.capacity()).isLessThanOrEqualTo(SideState.KEPT_WINDOW);
        small.release();
        assertThat(memory.kept()).as("a small window's memory is not kept apart").isZero();

        memory.give(ByteBuffer.allocateDirect(4 * SIZE));
        ByteWindow large = new ByteWindow(SIZE, memory);
        large.append(ByteBuffer.wrap(filled(SIZE, (byte) 'y')));
        assertThat(large.capacity()).as("a block beyond twice the window is not taken").isLessThanOrEqualTo(2 * SIZE);
        assertThat(memory.kept()).isEqualTo(1);
    }

    @Test
    void atMostSparesBlocksAreKeptTheLargestFirst() {
        WindowMemory memory = new WindowMemory();
        for (int i = 0; i < WindowMemory.SPARES + 3; i++) {
            memory.give(ByteBuffer.allocateDirect(SIZE));
        }
        assertThat(memory.kept()).isEqualTo(WindowMemory.SPARES);
        memory.give(ByteBuffer.allocateDirect(2 * SIZE)); // takes a smaller one's place
        assertThat(memory.take(2 * SIZE, 2 * SIZE)).isNotNull();
        assertThat(memory.take(2 * SIZE, 2 * SIZE)).isNull();
        assertThat(memory.kept()).isEqualTo(WindowMemory.SPARES - 1);
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }
}
