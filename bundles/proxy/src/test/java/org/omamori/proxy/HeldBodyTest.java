package org.omamori.proxy;

import org.omamori.http.ArrayPool;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** A held body gives back exactly what it took, across the reused blocks, within its bounds. */
class HeldBodyTest {

    @Test
    void slicesOfAnySizeComeBackExactlyAndTheBlocksAreReused() throws Exception {
        HeldBody.Budget budget = new HeldBody.Budget(1 << 20);
        ArrayPool blocks = new ArrayPool(HeldBody.BLOCK, 8);
        Random random = new Random(3);
        byte[] first = null;
        for (int round = 0; round < 3; round++) {
            HeldBody body = new HeldBody(256 << 10, budget, blocks);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int size : new int[] {1, 100, HeldBody.BLOCK - 101, HeldBody.BLOCK, 3 * HeldBody.BLOCK + 7, 0, 5}) {
                byte[] slice = new byte[size + 10];
                random.nextBytes(slice);
                ByteBuffer view = ByteBuffer.wrap(slice, 5, size).asReadOnlyBuffer();
                assertThat(body.hold(view)).isTrue();
                assertThat(view.position()).as("the caller's buffer is left as it was").isEqualTo(5);
                expected.write(slice, 5, size);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            body.writeTo(out);
            assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
            assertThat(body.size()).isEqualTo(expected.size());
            assertThat(budget.used()).isEqualTo(expected.size());
            body.release();
            assertThat(budget.used()).isZero();
            assertThat(body.size()).isZero();
            ByteArrayOutputStream empty = new ByteArrayOutputStream();
            body.writeTo(empty);
            assertThat(empty.size()).isZero();
            body.release(); // twice: nothing given back twice
            byte[] next = blocks.take();
            if (first != null) {
                assertThat(next).as("a block given back is taken again").isSameAs(first);
            }
            first = next;
            blocks.give(next);
        }
    }

    @Test
    void aSliceOverEitherBoundIsNotHeldAndNothingIsTaken() {
        HeldBody.Budget budget = new HeldBody.Budget(HeldBody.BLOCK);
        HeldBody body = new HeldBody(2L * HeldBody.BLOCK, budget, new ArrayPool(HeldBody.BLOCK, 4));
        assertThat(body.hold(ByteBuffer.wrap(new byte[HeldBody.BLOCK]))).isTrue();
        assertThat(body.hold(ByteBuffer.wrap(new byte[1]))).as("over the proxy's budget").isFalse();
        assertThat(body.size()).isEqualTo(HeldBody.BLOCK);
        HeldBody other = new HeldBody(10, new HeldBody.Budget(1 << 20), new ArrayPool(HeldBody.BLOCK, 4));
        assertThat(other.hold(ByteBuffer.wrap(new byte[11]))).as("over the body's bound").isFalse();
        assertThat(other.size()).isZero();
    }
}
