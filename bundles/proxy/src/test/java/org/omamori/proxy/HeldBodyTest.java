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
            byte[] slice = new byte[3 * HeldBody.BLOCK + 17];
            for (int size : new int[] {1, 100, HeldBody.BLOCK - 101, HeldBody.BLOCK, 3 * HeldBody.BLOCK + 7, 0, 5}) {
                body.settle(); // as the relay does before it reads on into the same buffer
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
    void theLastSliceIsAViewUntilSettledAndACopyAfter() throws Exception {
        HeldBody.Budget budget = new HeldBody.Budget(1 << 20);
        ArrayPool blocks = new ArrayPool(HeldBody.BLOCK, 8);
        byte[] reader = "0123456789".getBytes();
        HeldBody body = new HeldBody(1 << 20, budget, blocks);
        assertThat(body.hold(ByteBuffer.wrap(reader, 2, 5))).isTrue();
        reader[2] = 'x'; // not settled: the reader has not read on, its buffer is what is written
        ByteArrayOutputStream unsettled = new ByteArrayOutputStream();
        body.writeTo(unsettled);
        assertThat(unsettled.toString()).isEqualTo("x3456");
        assertThat(budget.used()).isEqualTo(5);
        body.settle();
        java.util.Arrays.fill(reader, (byte) '-'); // the reader reads on into its buffer
        ByteArrayOutputStream settled = new ByteArrayOutputStream();
        body.writeTo(settled);
        assertThat(settled.toString()).isEqualTo("x3456");
        assertThat(body.size()).isEqualTo(5);
        body.release();
        assertThat(budget.used()).isZero();
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

    /**
     * A large body is read straight into the held body's large blocks: past the first 512 KiB each
     * read fills up to 128 KiB of a block (not 16 KiB of the reader's buffer copied after), and the
     * bytes come back exactly, also when the hold is given up half-way (the slice is written on
     * before the blocks go back to the pool).
     */
    @Test
    void aLargeBodyIsReadIntoItsBlocksInLargePiecesWithoutACopy() throws Exception {
        byte[] body = new byte[(4 << 20) + 12345];
        new Random(7).nextBytes(body);
        int[] reads = {0};
        java.io.InputStream origin = new java.io.ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                reads[0]++;
                return super.read(b, off, len);
            }
        };
        HttpInput in = new HttpInput(origin, 16 << 10);
        HeldBody.Budget budget = new HeldBody.Budget(64 << 20);
        ArrayPool large = new ArrayPool(HeldBody.LARGE_BLOCK, 4);
        HeldBody held = new HeldBody(32 << 20, budget, new ArrayPool(HeldBody.BLOCK, 4), large);
        long remaining = body.length;
        int uncopied = 0;
        while (remaining > 0) {
            held.settle();
            ByteBuffer space = held.space();
            ByteBuffer slice = space == null ? in.next(remaining) : in.next(remaining, space);
            if (space != null) {
                assertThat(slice.array()).as("read into the block itself").isSameAs(space.array());
                uncopied += slice.remaining();
            }
            assertThat(held.hold(slice)).isTrue();
            remaining -= slice.remaining();
        }
        held.settle();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        held.writeTo(out);
        assertThat(out.toByteArray()).isEqualTo(body);
        assertThat(uncopied).isEqualTo(body.length - (int) HeldBody.LARGE_AFTER);
        // 32 reads of 16 KiB up to 512 KiB, then 128 KiB each: 61 in all, where 16 KiB reads took 258
        assertThat(reads[0]).isLessThanOrEqualTo(32 + (body.length - (512 << 10)) / HeldBody.LARGE_BLOCK + 2);
        assertThat(budget.used()).isEqualTo(body.length);
        held.release();
        assertThat(budget.used()).isZero();
        byte[] again = large.take();
        assertThat(again).as("large blocks go back to their pool").hasSize(HeldBody.LARGE_BLOCK);
    }

    @Test
    void aSliceReadIntoSpaceButNotHeldIsLeftOutOfTheHeldBytes() throws Exception {
        HeldBody.Budget budget = new HeldBody.Budget(1 << 30);
        HeldBody held = new HeldBody((512 << 10) + 100, budget, new ArrayPool(HeldBody.BLOCK, 4),
                new ArrayPool(HeldBody.LARGE_BLOCK, 4));
        byte[] first = new byte[512 << 10];
        java.util.Arrays.fill(first, (byte) 1);
        assertThat(held.hold(ByteBuffer.wrap(first))).isTrue();
        ByteBuffer space = held.space();
        assertThat(space).isNotNull();
        space.put(space.position(), new byte[] {2, 2, 2}, 0, 3);
        ByteBuffer within = ByteBuffer.wrap(space.array(), space.position(), 3);
        assertThat(held.hold(within)).isTrue();
        space = held.space();
        assertThat(space.position()).isEqualTo(3);
        ByteBuffer over = ByteBuffer.wrap(space.array(), space.position(), 200); // past the body's bound
        assertThat(held.hold(over)).isFalse();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        held.writeTo(out);
        assertThat(out.size()).isEqualTo((512 << 10) + 3);
        assertThat(held.size()).isEqualTo((512 << 10) + 3);
        held.release();
        assertThat(budget.used()).isZero();
    }
}
