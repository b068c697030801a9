package org.omamori.definitions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventFactory;
import org.omamori.events.EventSink;

/** Real keys, real packages, and a sink that keeps what was published. */
final class Fixtures {

    static final KeyPair OPERATOR = Pem.generate();
    static final KeyPair STRANGER = Pem.generate();
    static final Instant CREATED = Instant.parse("2026-11-23T01:02:03Z");

    static final EventFactory EVENTS = new EventFactory(ApplianceId.parse("0123456789ab"));

    /** Keeps every published event. */
    static final class Recorded implements EventSink {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void publish(List<Event> published) {
            events.addAll(published);
        }

        List<String> ruleIds() {
            return events.stream().map(Event::ruleId).toList();
        }
    }

    private Fixtures() {
    }

    static OperatorKey operatorKey() {
        return new OperatorKey(OPERATOR.getPublic());
    }

    /** A URL-filter lists folder whose 'phishing' category lists {@code domain}. */
    static Path urlLists(Path dir, String domain) throws IOException {
        Files.createDirectories(dir.resolve("phishing"));
        Files.writeString(dir.resolve("categories.conf"), "phishing | block | high | フィッシング詐欺 | Phishing\n");
        Files.writeString(dir.resolve("phishing/domains"), domain + "\n");
        return dir;
    }

    static SignedPackage urlPackage(Path scratch, String version, String domain) throws IOException {
        Path src = urlLists(Files.createTempDirectory(scratch, "src"), domain);
        return PackageWriter.make(Kind.URLFILTER, PackageVersion.parse(version), CREATED, src, OPERATOR.getPrivate());
    }

    /** A package of exactly these entries, signed by the operator: for hostile shapes. */
    static SignedPackage raw(List<Map.Entry<String, byte[]>> entries) throws IOException {
        byte[] zip = PackageWriter.zip(entries);
        return new SignedPackage(zip, PackageWriter.sign(zip, OPERATOR.getPrivate()));
    }

    static byte[] manifest(String kind, String version, List<Manifest.File> files) {
        return new Manifest(Kind.parse(kind), PackageVersion.parse(version), CREATED, files).toJson();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The same zip with the central-directory entry {@code name} marked as a Unix symbolic link. */
    static byte[] markSymlink(byte[] zip, String name) {
        byte[] out = zip.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        byte[] wanted = utf8(name);
        for (int p = 0; p + 46 < out.length; p++) {
            if (b.getInt(p) == 0x02014b50) {
                int nameLen = Short.toUnsignedInt(b.getShort(p + 28));
                if (nameLen == wanted.length && java.util.Arrays.equals(out, p + 46, p + 46 + nameLen, wanted, 0, nameLen)) {
                    b.putShort(p + 4, (short) ((3 << 8) | 20));
                    b.putInt(p + 38, 0120777 << 16);
                    return out;
                }
            }
        }
        throw new IllegalArgumentException(name + " not in the central directory");
    }

    static List<Map.Entry<String, byte[]>> entries() {
        return new ArrayList<>();
    }
}
