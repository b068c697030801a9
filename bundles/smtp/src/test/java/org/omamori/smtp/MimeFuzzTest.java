package org.omamori.smtp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the MIME walk and the rewrite that replaces parts: any bytes as a received mail (the
 * data as DataStream hands it on). The walk either refuses with a fault or gives at most
 * {@code maxMimeParts} parts, each decoded stream read to its end within a bound; a mail the walk
 * took is rewritten with every leaf replaced by a notice without an error, and the rewritten mail
 * walks again without a fault into as many parts. Anything thrown is a finding. Seeds:
 * {@code src/test/resources/org/omamori/smtp/MimeFuzzTestInputs/mime/}.
 */
class MimeFuzzTest {

    private static final SmtpSettings SETTINGS = SmtpSettings.of(List.of(), SmtpListener.parse("127.0.0.1:25/lan"),
            new RelayPolicy(List.of("example.jp"), List.of()), Path.of("target/fuzz-spool")).withLimits(1 << 20, 4096, 4096, 8);
    /** Base64 and QP decode to at most their input's size; this bounds what one part may give. */
    private static final long MAX_DECODED = 1 << 20;

    @FuzzTest(maxDuration = "10s")
    void mime(byte[] mail) throws IOException {
        MimeWalk.Outcome<Long> first = MimeWalk.walk(new ByteArrayInputStream(mail), SETTINGS, (entity, type, decoded) -> drain(decoded));
        if (first.parts().size() > SETTINGS.maxMimeParts()) {
            throw new AssertionError("more parts than the bound: " + first.parts().size());
        }
        if (first.fault() != null) {
            return;
        }
        Map<Integer, String> notices = new HashMap<>();
        for (MimeWalk.Part<Long> p : first.parts()) {
            notices.put(p.entity(), "notice");
        }
        ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
        MailWriter.rewrite(new ByteArrayInputStream(mail), SETTINGS, notices, rewritten);
        MimeWalk.Outcome<Long> again = MimeWalk.walk(new ByteArrayInputStream(rewritten.toByteArray()), SETTINGS,
                (entity, type, decoded) -> drain(decoded));
        if (again.fault() != null && !again.fault().startsWith("a header over")) {
            throw new AssertionError("the rewritten mail does not walk: " + again.fault());
        }
    }

    private static long drain(InputStream decoded) throws IOException {
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = decoded.read(buffer)) > 0) {
            total += n;
            if (total > MAX_DECODED * 4) {
                throw new AssertionError("a part decoded to far more than the mail");
            }
        }
        return total;
    }
}
