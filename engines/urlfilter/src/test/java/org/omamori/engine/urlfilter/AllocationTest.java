package org.omamori.engine.urlfilter;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lookup path for ASCII hosts and URLs must not allocate: it runs for every request. */
class AllocationTest {

    @TempDir
    Path dir;

    @Test
    void asciiLookupsAllocateNothing() {
        CategoryLists lists = new ListsDir(dir)
                .file("phishing/domains", "evil.test", "192.0.2.1")
                .file("phishing/urls", "hosting.example/bad")
                .file("news/domains", "news.example")
                .load();
        String[] inputs = {"http://a.b.evil.test/x", "http://fine.test/a/b?c", "news.example", "http://hosting.example/bad/y",
                "192.0.2.1", "http://WWW.News.Example:8080/"};
        byte[][] bytes = new byte[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            bytes[i] = inputs[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                sink += lists.find(inputs[i % inputs.length]);
                sink += lists.find(bytes[i % bytes.length], 0, bytes[i % bytes.length].length);
                sink += lists.find("Hosting.Example", "/bad/z");
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                // A few hundred bytes of slack for the measurement itself; 300,000 lookups
                // allocating even one object each would be megabytes.
                assertThat(allocated).as("bytes allocated by 300,000 lookups").isLessThan(10_000);
            }
        }
        assertThat(sink).isNotZero();
    }
}
