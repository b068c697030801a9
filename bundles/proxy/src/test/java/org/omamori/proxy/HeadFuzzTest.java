package org.omamori.proxy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

import org.omamori.api.engine.Header;

/**
 * Fuzzes what the proxy reads first from a client and from an origin: the message head
 * ({@link HttpInput#readHead}), its parse ({@link Head#request}, {@link Head#response}), the body
 * framing ({@link Framing}) and the request target ({@link Target}), as {@code ClientSession}
 * chains them. For any bytes they return a result or refuse with {@link HttpProtocolException}
 * (or {@link EOFException} when the stream ends before a message); any other exception, a hang or
 * runaway memory is a finding. What parses must also hold: no CR, LF, NUL or other control byte
 * in a field, a token method and field names, a Content-Length of at least one byte, a target
 * host that is a DNS name or IP literal, a port in range, a path that starts with '/'.
 *
 * <p>Input layout: the first byte sets how many bytes each read of the stream returns at most
 * (0: all at once), so that lines split across reads and the buffer's compaction are covered; the
 * rest is the bytes on the wire.
 *
 * <p>A plain {@code ./mvnw test} runs the seeds under
 * {@code src/test/resources/org/omamori/proxy/HeadFuzzTestInputs/<method>/} as regression tests;
 * the build's fuzz executions fuzz each method for a few seconds; longer:
 * <pre>
 * ./mvnw -B -pl bundles/proxy test-compile surefire:test@fuzz-request-head -Domamori.fuzz.seconds=600
 * </pre>
 * (see docs/fuzzing.md). Findings are written next to the seeds.
 */
class HeadFuzzTest {

    /** The defaults of ProxySettings (maxRequestLineBytes, maxHeadBytes) and ClientSession's buffer. */
    private static final int MAX_REQUEST_LINE = 8192;
    private static final int MAX_HEAD = 65536;
    private static final int BUFFER = 16 << 10;

    @FuzzTest(maxDuration = "10s")
    void requestHead(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        HttpInput in = new HttpInput(trickle(input), BUFFER);
        Head head;
        try {
            head = Head.request(in.readHead(MAX_REQUEST_LINE, MAX_HEAD, true));
        } catch (HttpProtocolException e) {
            checkStatus(e, 400, 414, 431, 505);
            return;
        } catch (EOFException e) {
            return; // closed before a message: the session just ends
        }
        checkHead(head);
        if (!HeadSyntax.isToken(head.method())) {
            throw new AssertionError("method is not a token: " + show(head.method()));
        }
        String line = head.startLine();
        String version = line.substring(line.lastIndexOf(' ') + 1);
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw new AssertionError("version " + show(version));
        }
        if (!line.equals(head.method() + " " + head.target() + " " + version) || head.http10() != version.equals("HTTP/1.0")) {
            throw new AssertionError("request line parts " + show(line));
        }
        for (char c : head.target().toCharArray()) {
            if (c <= ' ' || c >= 0x7f) {
                throw new AssertionError("target with a byte to percent-encode: " + show(head.target()));
            }
        }
        try {
            if (head.method().equals("CONNECT")) {
                Target t = Target.connect(head.target());
                checkTarget(t, false);
                return;
            }
        } catch (HttpProtocolException e) {
            checkStatus(e, 400);
            return;
        }
        // Explicit proxy port: an absolute URL.
        try {
            checkTarget(Target.absolute(head.target()), true);
        } catch (HttpProtocolException e) {
            checkStatus(e, 400);
        }
        // Transparent port: origin-form path and the Host header, as ClientSession.targetOf takes it.
        if (head.count(KnownField.HOST) == 1
                && Arrays.stream(head.header("Host").orElseThrow().split(",")).anyMatch(p -> !p.strip().isEmpty())) {
            try {
                // Both forms drop a '#fragment' (seed finding-origin-form-fragment: originForm kept it).
                checkTarget(Target.originForm(head.target(), head.header("Host").orElseThrow().strip()), true);
            } catch (HttpProtocolException e) {
                checkStatus(e, 400);
            }
        }
        try {
            Framing framing = Framing.ofRequest(head);
            if (framing instanceof Framing.Length l && l.bytes() < 1) {
                throw new AssertionError("a request body of " + l.bytes() + " bytes");
            }
            if (framing instanceof Framing.UntilClose) {
                throw new AssertionError("a request framed until close");
            }
            if (framing instanceof Framing.Chunked && head.count(KnownField.CONTENT_LENGTH) > 0) {
                throw new AssertionError("chunked request with Content-Length");
            }
        } catch (HttpProtocolException e) {
            checkStatus(e, 400);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void responseHead(byte[] input) throws IOException {
        if (input.length == 0) {
            return;
        }
        HttpInput in = new HttpInput(trickle(input), BUFFER);
        Head head;
        try {
            head = Head.response(in.readHead(MAX_HEAD, MAX_HEAD, false));
        } catch (HttpProtocolException e) {
            checkStatus(e, 502);
            return;
        } catch (EOFException e) {
            return;
        }
        checkHead(head);
        int status = head.status();
        if (status < 0 || status > 999) {
            throw new AssertionError("status " + status);
        }
        for (String method : List.of("GET", "HEAD", "POST")) {
            try {
                Framing framing = Framing.ofResponse(method, head);
                if (framing instanceof Framing.Length l && l.bytes() < 1) {
                    throw new AssertionError("a response body of " + l.bytes() + " bytes");
                }
                if (method.equals("HEAD") && framing != Framing.NONE) {
                    throw new AssertionError("a body after HEAD: " + framing);
                }
            } catch (HttpProtocolException e) {
                checkStatus(e, 502);
            }
        }
    }

    /** Start line parts and fields: no CR, LF, NUL or other control bytes (tab in values only). */
    static void checkHead(Head head) {
        // The reason phrase is forwarded (ForwardedHead), so it is held to the same rule, tab
        // allowed (seeds finding-*-in-reason: Head.response once let NUL through).
        String line = head.startLine();
        for (char c : line.toCharArray()) {
            if ((c < ' ' && c != '\t') || c == 0x7f) {
                throw new AssertionError("control byte in the start line: " + show(line));
            }
        }
        for (Header h : head.headers()) {
            if (!HeadSyntax.isToken(h.name())) {
                throw new AssertionError("field name is not a token: " + show(h.name()));
            }
            String v = h.value();
            for (char c : v.toCharArray()) {
                if ((c < ' ' && c != '\t') || c == 0x7f) {
                    throw new AssertionError("control byte in field " + h.name() + ": " + show(v));
                }
            }
            if (!v.equals(v.strip())) {
                throw new AssertionError("field value not trimmed: " + show(v));
            }
        }
    }

    static void checkTarget(Target t, boolean withPath) {
        String host = t.host();
        if (host.isEmpty() || host.length() > 253 || !host.equals(host.toLowerCase(java.util.Locale.ROOT))) {
            throw new AssertionError("host " + show(host));
        }
        for (char c : host.toCharArray()) {
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == ':';
            if (!ok) {
                throw new AssertionError("host " + show(host));
            }
        }
        if (t.port() < 1 || t.port() > 65535) {
            throw new AssertionError("port " + t.port());
        }
        if (withPath && (!t.path().startsWith("/") || t.path().indexOf('#') >= 0)) {
            throw new AssertionError("path " + show(t.path()));
        }
        for (char c : (t.url() + t.authority()).toCharArray()) {
            if (c <= ' ' || c >= 0x7f) {
                throw new AssertionError("url " + show(t.url()));
            }
        }
    }

    static void checkStatus(HttpProtocolException e, int... allowed) {
        if (Arrays.stream(allowed).noneMatch(s -> s == e.status)) {
            throw new AssertionError("refused with status " + e.status + ": " + e.getMessage(), e);
        }
    }

    /** The input after its first byte, returned in reads of at most that many bytes (0: no limit). */
    static InputStream trickle(byte[] input) {
        int step = input[0] & 0xff;
        return new ByteArrayInputStream(input, 1, input.length - 1) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, step == 0 ? len : Math.min(len, step));
            }
        };
    }

    static String show(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (b.length() > 120) {
                return b.append("...\"").toString();
            }
            b.append(c >= ' ' && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.append('"').toString();
    }
}
