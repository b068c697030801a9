package org.omamori.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Fuzzes the TLS ClientHello reader the proxy runs on the first bytes of a CONNECT tunnel or a
 * transparent TLS connection ({@link ClientHello#read}): for any bytes it returns the hello or
 * refuses with {@link ClientHello.NotTls} (or {@link EOFException} when the client closes inside
 * it), and nothing else. What it returns must hold: the kept bytes are exactly a prefix of what
 * the client sent (they are forwarded to the server as they are), within the 64 KiB bound plus
 * record framing; the server name is empty or a lower-case DNS name of at most 253 bytes.
 *
 * <p>Input layout as in {@link HeadFuzzTest}: the first byte is the most bytes per read (0: all
 * at once), the rest is the wire. Seeds under
 * {@code src/test/resources/org/omamori/proxy/ClientHelloFuzzTestInputs/read/}: a ClientHello
 * made by the JDK's TLS engine (the simulator's {@code WireProbes.clientHello}), also split over
 * records. Longer runs: docs/fuzzing.md.
 */
class ClientHelloFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void read(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        HttpInput in = new HttpInput(HeadFuzzTest.trickle(input), 16 << 10);
        ClientHello hello;
        try {
            hello = ClientHello.read(in);
        } catch (ClientHello.NotTls | EOFException e) {
            return;
        }
        byte[] wire = Arrays.copyOfRange(input, 1, input.length);
        byte[] kept = hello.bytes();
        if (kept.length > wire.length || !Arrays.equals(kept, 0, kept.length, wire, 0, kept.length)) {
            throw new AssertionError("the kept bytes are not what the client sent");
        }
        if (kept.length > ClientHello.MAX_HELLO_BYTES + 4096 + (16 << 10) + 2048 + 5) {
            throw new AssertionError("kept " + kept.length + " bytes");
        }
        // What follows the hello is spliced to the server as it is: nothing lost, nothing repeated.
        java.io.ByteArrayOutputStream rest = new java.io.ByteArrayOutputStream();
        for (java.nio.ByteBuffer slice = in.next(Long.MAX_VALUE); slice != null; slice = in.next(Long.MAX_VALUE)) {
            byte[] b = new byte[slice.remaining()];
            slice.get(b);
            rest.writeBytes(b);
        }
        if (!Arrays.equals(rest.toByteArray(), Arrays.copyOfRange(wire, kept.length, wire.length))) {
            throw new AssertionError("the bytes after the hello are not what the client sent after it");
        }
        String name = hello.serverName();
        if (name.length() > 253 || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
            throw new AssertionError("server name " + HeadFuzzTest.show(name));
        }
    }
}
