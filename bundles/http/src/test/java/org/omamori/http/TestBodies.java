package org.omamori.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Bodies made with java.util.zip, and a sink that collects what a decoder delivers. */
final class TestBodies {

    private TestBodies() {
    }

    /** Text-like bytes: compressible, but not trivially. */
    static byte[] text(int size, long seed) {
        Random random = new Random(seed);
        String[] words = {"omamori ", "inspection ", "verdict ", "engine ", "<div class=\"x\">", "\r\n", "0123456789 "};
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 32);
        while (out.size() < size) {
            if (random.nextInt(10) == 0) {
                out.write(random.nextInt(256));
            } else {
                out.writeBytes(words[random.nextInt(words.length)].getBytes(StandardCharsets.US_ASCII));
            }
        }
        return java.util.Arrays.copyOf(out.toByteArray(), size);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    /** Deflate with the zlib wrapper ({@code raw == false}) or without. */
    static byte[] deflate(byte[] data, boolean raw) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Collects delivered bytes and remembers the largest piece. */
    static final class Collector implements BodySink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int largestPiece;
        int pieces;

        @Override
        public void accept(ByteBuffer decoded) {
            largestPiece = Math.max(largestPiece, decoded.remaining());
            pieces++;
            while (decoded.hasRemaining()) {
                bytes.write(decoded.get());
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }

        String text() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Feeds {@code data} in pieces of {@code step} bytes, each a read-only buffer as the pipeline gives. */
    static void feed(byte[] data, int step, Feeder feeder) throws IOException {
        for (int i = 0; i < data.length; i += step) {
            int n = Math.min(step, data.length - i);
            feeder.feed(ByteBuffer.wrap(data, i, n).slice().asReadOnlyBuffer());
        }
    }

    @FunctionalInterface
    interface Feeder {
        void feed(ByteBuffer piece) throws IOException;
    }
}
