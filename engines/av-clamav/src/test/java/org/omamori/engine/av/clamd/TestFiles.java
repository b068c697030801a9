package org.omamori.engine.av.clamd;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Test contents. EICAR is assembled at run time so this source file is not itself "infected". */
final class TestFiles {

    static final byte[] EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-" + "TEST-FILE!$H+H*")
            .getBytes(StandardCharsets.US_ASCII);
    static final byte[] MARKER = "OMAMORI-AV-TEST-MARKER-7f3a9c".getBytes(StandardCharsets.US_ASCII);

    private TestFiles() {
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] zip(String name, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("nothing to see here\n".getBytes(StandardCharsets.US_ASCII));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(name));
            zip.write(content);
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Scans {@code content} sent in chunks of {@code chunk} bytes. */
    static ScanResult scan(Clamd clamd, byte[] content, int chunk) throws ClamdException {
        try (StreamScan scan = clamd.openStream()) {
            for (int off = 0; off < content.length; off += chunk) {
                scan.send(ByteBuffer.wrap(content, off, Math.min(chunk, content.length - off)));
            }
            return scan.finish();
        }
    }
}
