package org.omamori.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.engine.Engine;
import org.omamori.api.engine.Evidence;
import org.omamori.engine.urlfilter.UrlFilter;
import org.omamori.events.ApplianceId;
import org.omamori.events.Result;
import org.omamori.notify.Recipients;
import org.omamori.store.CustomerId;
import org.omamori.store.QueuedMail;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.threeten.extra.MutableClock;

/**
 * Alerts under investigation are looked at again by the real URL filter when its lists change,
 * and end confirmed (with stars) or benign, each with its follow-up report in the outbox.
 */
class InvestigatorTest {

    static final Instant T0 = Instant.parse("2026-11-20T01:00:00Z");

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.of(T0, ZoneOffset.UTC);
    final ApplianceId office = new ApplianceId("0c0000000001");
    final Map<String, String> definitions = new HashMap<>(Map.of("urlfilter", "2026.1"));
    Store store;
    UrlFilter filter;
    Monitor monitor;
    Investigator investigator;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(StoreSettings.h2File(dir.resolve("omamori")), clock);
        CustomerId customer = store.tenants().createCustomer(store.tenants().createReseller("r"), "株式会社テスト");
        store.tenants().registerAppliance(customer, office, "本社");
        store.monitoring().recipients(customer, Recipients.of("soumu@example.co.jp"));
        filter = new UrlFilter("1.0.0");
        assertThat(filter.loadNow(lists("old", "c2 other-c2.example"), 1_000)).isTrue();
        monitor = new Monitor(store, MonitorSettings.standard(), clock);
        investigator = new Investigator(monitor.monitoring(), monitor.settings(), () -> List.<Engine>of(filter.asEngine()),
                () -> Map.copyOf(definitions), clock);
    }

    @AfterEach
    void close() {
        filter.close();
        store.close();
    }

    @Test
    void anAlertUnderInvestigationIsConfirmedWhenNewListsNameItsServer() throws Exception {
        suspicious("new-c2.example", T0);
        settled();
        assertThat(investigator.run()).as("same definitions as when it was graded: nothing to look at").isZero();
        assertThat(monitor.monitoring().outbox(10)).isEmpty();

        assertThat(filter.loadNow(lists("new", "c2 new-c2.example"), 1_000)).isTrue();
        definitions.put("urlfilter", "2026.2");
        assertThat(investigator.run()).as("new definitions: not before they settled").isZero();
        clock.add(Investigator.SETTLE);
        assertThat(investigator.run()).isEqualTo(1);
        assertThat(investigator.run()).as("resolved once").isZero();

        List<QueuedMail> mails = monitor.monitoring().outbox(10);
        assertThat(mails).hasSize(1);
        assertThat(mails.getFirst().mail().subject()).contains("★★★");
        assertThat(mails.getFirst().mail().body()).contains("new-c2.example");
    }

    @Test
    void anAlertTheNewListsDoNotNameEndsBenign() throws Exception {
        suspicious("harmless.example", T0);
        settled();
        assertThat(filter.loadNow(lists("new", "c2 new-c2.example"), 1_000)).isTrue();
        definitions.put("urlfilter", "2026.2");
        assertThat(settled()).isEqualTo(1);
        List<QueuedMail> mails = monitor.monitoring().outbox(10);
        assertThat(mails).hasSize(1);
        assertThat(mails.getFirst().mail().subject()).doesNotContain("★");
    }

    /** Runs the investigator until the definitions in force have settled; what it resolved on the way. */
    private int settled() {
        int resolved = investigator.run();
        clock.add(Investigator.SETTLE);
        return resolved + investigator.run();
    }

    /** A finding the standard table grades 調査中: evidence "suspicious". */
    private void suspicious(String server, Instant at) {
        monitor.ingest().store(office, List.of(Traffic.threat(office, at, "192.168.1.10", server, "ips", "ips-hyperscan",
                "sid:9000099", "suspicious beacon-like traffic", Result.PASS, Evidence.SUSPICIOUS)));
        assertThat(monitor.monitoring().pendingAlertMail()).as("調査中 mails at once, with ※調査中※").isEqualTo(1);
    }

    /** A lists folder with "category domain" lines. */
    private Path lists(String name, String... entries) throws Exception {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        Files.writeString(d.resolve("categories.conf"), "c2 | block | critical | 不正通信先 (C&C) | Command and control\n");
        for (String e : entries) {
            String[] p = e.split(" ");
            Files.createDirectories(d.resolve(p[0]));
            Files.writeString(d.resolve(p[0]).resolve("domains"), p[1] + "\n");
        }
        return d;
    }
}
