package org.omamori.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.engine.urlfilter.CategoryLists;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The URL filter swaps its lists whole (a new {@link CategoryLists} loaded on its own thread,
 * then one volatile write); the DNS filter keeps no verdict cache, so the next query after the
 * write is decided by the new lists. Measured here with a million domains per set while queries flow.
 */
class ListSwapTest {

    private static final int DOMAINS = 1_000_000;
    private static final String[] CATEGORIES = {"phishing", "malware", "news", "adult"};
    private static final String[] TLDS = {"com", "net", "org", "jp", "co.jp", "info"};

    @TempDir
    Path dir;

    /** Writes {@code DOMAINS} names from the seed round-robin into four categories, plus {@code marker} in phishing. */
    private static String[] write(Path root, long seed, String marker) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        String[] sample = new String[1024];
        BufferedWriter[] w = new BufferedWriter[CATEGORIES.length];
        for (int c = 0; c < w.length; c++) {
            Files.createDirectories(root.resolve(CATEGORIES[c]));
            w[c] = Files.newBufferedWriter(root.resolve(CATEGORIES[c]).resolve("domains"), StandardCharsets.US_ASCII);
        }
        StringBuilder b = new StringBuilder(32);
        for (int i = 0; i < DOMAINS; i++) {
            b.setLength(0);
            int n = 6 + r.nextInt(9);
            for (int k = 0; k < n; k++) {
                b.append((char) ('a' + r.nextInt(26)));
            }
            b.append('.').append(TLDS[r.nextInt(TLDS.length)]);
            String d = b.toString();
            if (i < sample.length * 4 && i % 4 == 0) {
                sample[i / 4] = d; // phishing entries
            }
            w[i % w.length].write(d);
            w[i % w.length].write('\n');
        }
        w[0].write(marker + "\n");
        for (BufferedWriter x : w) {
            x.close();
        }
        return sample;
    }

    @Test
    void swappingAMillionDomainListSetWhileQueriesFlowDropsNoQueryAndDecidesWithinFiveSeconds() throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        String[] firstSample = write(first, 1, "marker-first.test");
        String[] secondSample = write(second, 2, "marker-second.test");
        TestUpstream upstream = new TestUpstream().wildcard("192.0.2.1");
        try (Rig rig = new Rig(first, upstream, DnsFilterSettings.builder().clientRate(0).clientInFlight(0))) {
            InetAddress blocked = rig.server.filter().settings().blockV4();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong answered = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Thread> askers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                long seed = t;
                askers.add(Thread.ofPlatform().name("asker-" + t).start(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    try (StubClient client = new StubClient(rig.udp(), "127.0.0.1", 2000)) {
                        while (running.get()) {
                            String name = switch (r.nextInt(3)) {
                                case 0 -> "www." + firstSample[r.nextInt(firstSample.length)];
                                case 1 -> "www." + secondSample[r.nextInt(secondSample.length)];
                                default -> "x" + r.nextInt(1_000_000) + ".unlisted.test";
                            };
                            try {
                                Message m = client.ask(name, Type.A);
                                if (m.getRcode() == Rcode.NOERROR && m.getSection(Section.ANSWER).size() == 1) {
                                    answered.incrementAndGet();
                                } else {
                                    failed.incrementAndGet();
                                    failures.add(name + ": " + Rcode.string(m.getRcode()));
                                }
                            } catch (SocketTimeoutException e) {
                                failed.incrementAndGet();
                                failures.add(name + ": no answer in 2 s");
                            }
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                        failed.incrementAndGet();
                    }
                }));
            }
            try (StubClient probe = new StubClient(rig.udp(), "127.0.0.2", 2000)) {
                Thread.sleep(500);
                assertThat(addressOf(probe.ask("marker-first.test", Type.A))).isEqualTo(blocked);
                assertThat(addressOf(probe.ask("marker-second.test", Type.A))).isNotEqualTo(blocked);
                long before = answered.get();

                long t0 = System.nanoTime();
                var reload = rig.urlFilter.reload(second, 5_000_000);
                long decidedAt;
                while (true) {
                    if (addressOf(probe.ask("marker-second.test", Type.A)).equals(blocked)) {
                        decidedAt = System.nanoTime();
                        break;
                    }
                    if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(30)) {
                        throw new AssertionError("the new lists did not decide within 30 s");
                    }
                    Thread.sleep(5);
                }
                CategoryLists loaded = reload.get(30, TimeUnit.SECONDS);
                long swapMillis = TimeUnit.NANOSECONDS.toMillis(decidedAt - t0);
                assertThat(addressOf(probe.ask("marker-first.test", Type.A))).as("the old set is out of force").isNotEqualTo(blocked);
                Thread.sleep(300);
                running.set(false);
                for (Thread t : askers) {
                    t.join();
                }
                System.out.printf("list swap: %,d entries; reload asked -> new set decides: %d ms; %,d queries answered"
                                + " (%,d during the swap), %d failed%n", loaded.entries(), swapMillis, answered.get(),
                        answered.get() - before, failed.get());
                assertThat(failures).as("failed or unanswered queries").isEmpty();
                assertThat(failed.get()).isZero();
                assertThat(answered.get() - before).as("queries answered while the swap ran").isPositive();
                assertThat(swapMillis).as("ms from reload to the new set deciding").isLessThan(5_000);
            } finally {
                running.set(false);
            }
        }
    }

    private static InetAddress addressOf(Message m) {
        List<Record> answers = m.getSection(Section.ANSWER);
        assertThat(answers).as("answer of %s", m).hasSize(1);
        return ((ARecord) answers.getFirst()).getAddress();
    }
}
