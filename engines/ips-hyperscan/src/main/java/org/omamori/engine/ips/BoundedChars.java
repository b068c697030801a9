package org.omamori.engine.ips;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The view's bytes as ISO-8859-1 characters, charging every read to the step budget. */
final class BoundedChars implements CharSequence {
    static final class Exhausted extends RuntimeException {
        Exhausted() {
            super("pcre step budget exhausted", null, false, false);
        }
    }

    private ByteBuffer data;
    private int offset;
    private int length;
    private int[] budget;
    private int reads;

    /** Now the view's bytes from index {@code start} on. */
    void over(ByteView view, int start, int[] budget) {
        this.data = view.data();
        this.offset = view.offset() + start;
        this.length = view.length() - start;
        this.budget = budget;
        this.reads = 0;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        // A regex may backtrack; every 64 reads cost one step of the shared budget.
        if ((++reads & 63) == 0 && --budget[0] < 0) {
            throw new Exhausted();
        }
        return (char) (data.get(offset + index) & 0xFF);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        byte[] bytes = new byte[end - start];
        data.get(offset + start, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return subSequence(0, length()).toString();
    }
}
