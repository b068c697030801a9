package org.omamori.engine.urlfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SquidRewriterTest {

    private static final String PAGE = "http://omamori.invalid/blocked";

    @TempDir
    Path dir;
    SquidRewriter rewriter;

    @BeforeEach
    void rewriter() {
        CategoryLists lists = new ListsDir(dir)
                .file("phishing/domains", "evil.test")
                .file("phishing/urls", "hosting.example/bad")
                .file("news/domains", "news.example")
                .load();
        rewriter = new SquidRewriter(lists, PAGE);
    }

    private String serve(String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rewriter.serve(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutChannelIdsEachLineGetsOkWithTheBlockPageOrErr() throws IOException {
        assertThat(serve("""
                http://www.evil.test/login?a=b 192.0.2.10/- - GET myip=192.0.2.1 myport=3128
                http://news.example/today 192.0.2.10/- - GET
                http://hosting.example/bad/page -
                http://hosting.example/good
                """)).isEqualTo("""
                OK rewrite-url=http://omamori.invalid/blocked?category=phishing&url=http%3A%2F%2Fwww.evil.test%2Flogin%3Fa%3Db
                ERR
                OK rewrite-url=http://omamori.invalid/blocked?category=phishing&url=http%3A%2F%2Fhosting.example%2Fbad%2Fpage
                ERR
                """);
    }

    @Test
    void withChannelIdsTheAnswersCarryThem() throws IOException {
        assertThat(serve("0 http://evil.test/ -\n17 http://news.example/ -\n3 evil.test:443 - CONNECT\n"))
                .isEqualTo("0 OK rewrite-url=" + PAGE + "?category=phishing&url=http%3A%2F%2Fevil.test%2F\n"
                        + "17 ERR\n"
                        + "3 OK rewrite-url=" + PAGE + "?category=phishing&url=evil.test%3A443\n");
    }

    @Test
    void aBlockPageWithAQueryGetsTheParametersAppended() throws IOException {
        rewriter = new SquidRewriter(new ListsDir(dir).load(), "http://omamori.invalid/b?lang=ja");
        assertThat(serve("1 http://evil.test/\n")).isEqualTo("1 OK rewrite-url=http://omamori.invalid/b?lang=ja&category=phishing&url=http%3A%2F%2Fevil.test%2F\n");
    }

    @Test
    void everyLineIsAnsweredEvenEmptyGarbageOrOverLong() throws IOException {
        String longUrl = "http://evil.test/" + "a/".repeat(SquidRewriter.MAX_LINE);
        String answers = serve("\n\u0000\u00ff garbage\n5 " + longUrl + "\n6 http://ok.test/\r\nhttp://evil.test/last");
        String[] lines = answers.split("\n", -1);
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).isEqualTo("ERR");
        assertThat(lines[1]).isEqualTo("ERR");
        assertThat(lines[2]).startsWith("5 OK rewrite-url=" + PAGE + "?category=phishing&url=http%3A%2F%2Fevil.test%2Fa%2Fa%2F");
        assertThat(lines[3]).isEqualTo("6 ERR");
        assertThat(lines[4]).isEqualTo("OK rewrite-url=" + PAGE + "?category=phishing&url=http%3A%2F%2Fevil.test%2Flast");
        assertThat(lines[5]).isEmpty();
    }

    @Test
    void answersAreFlushedBeforeWaitingForMoreInput() throws IOException {
        // Squid without concurrency waits for each answer before it sends the next line.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new InputStream() {
            int calls;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                calls++;
                if (calls == 1) {
                    byte[] line = "http://evil.test/\n".getBytes(StandardCharsets.US_ASCII);
                    System.arraycopy(line, 0, b, off, line.length);
                    return line.length;
                }
                assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("OK rewrite-url=");
                return -1;
            }
        };
        assertThat(rewriter.serve(in, out)).isEqualTo(1);
    }

    @Test
    void theListsAreAskedForEachLineSoAReloadTakesEffectAtOnce() throws IOException {
        CategoryLists[] current = {CategoryLists.empty()};
        SquidRewriter r = new SquidRewriter(() -> current[0], PAGE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.serve(new ByteArrayInputStream("http://evil.test/\n".getBytes(StandardCharsets.US_ASCII)), out);
        current[0] = new ListsDir(dir).load();
        r.serve(new ByteArrayInputStream("http://evil.test/\n".getBytes(StandardCharsets.US_ASCII)), out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("ERR\nOK rewrite-url=");
    }
}
