package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;

/** {@link Applications} (V33, docs/store.md "Application days") proved the same way on every database. */
abstract class ApplicationsContract {

    abstract StoreSettings settings() throws Exception;

    void dispose() throws Exception {
    }

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    static final LocalDate DAY1 = LocalDate.of(2026, 6, 10);
    static final LocalDate DAY2 = DAY1.plusDays(1);

    Store store;
    CustomerId customer;
    CustomerId other;
    ResellerId reseller;
    ApplianceId office;
    ApplianceId theirs;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(settings(), Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));
        reseller = store.tenants().createReseller("商工会 " + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        customer = store.tenants().createCustomer(reseller, "株式会社 山田商店");
        ResellerId otherReseller = store.tenants().createReseller("別の販売店 " + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        other = store.tenants().createCustomer(otherReseller, "有限会社 鈴木工務店");
        office = appliance(customer, "本社");
        theirs = appliance(other, "鈴木 事務所");
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dispose();
    }

    ApplianceId appliance(CustomerId c, String name) {
        ApplianceId a = new ApplianceId(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4));
        store.tenants().registerAppliance(c, a, name);
        return a;
    }

    static Instant jst(LocalDate day, int hour, int minute) {
        return LocalDateTime.of(day, java.time.LocalTime.of(hour, minute)).atZone(JST).toInstant();
    }

    /** One application identification as an intake makes it, folded by the appliance to {@code count} connections. */
    static Event app(ApplianceId a, Instant time, String ruleId, String name, String client, long count) {
        try {
            Instant t = time.truncatedTo(ChronoUnit.MICROS);
            Event e = new Event(new EventIds(Clock.fixed(t, ZoneOffset.UTC)).next(), a, t, Kind.ACCESS, ZonePair.LAN_TO_WAN,
                    InetAddress.getByName(client), 50_000, InetAddress.getByName("203.0.113.9"), 443, Optional.empty(),
                    "", "", "", SecurityFunction.APPLICATION_IDENTIFICATION, "appid-ndpi", "4.14.0", ruleId, name,
                    Result.PASS, Level.LOW, 90, Evidence.NONE, "");
            return count == 1 ? e : e.withCount(count, t.plusSeconds(50));
        } catch (java.net.UnknownHostException x) {
            throw new AssertionError(x);
        }
    }

    List<Event> officeDays() {
        List<Event> l = new ArrayList<>();
        l.add(app(office, jst(DAY1, 9, 0), "app:video:youtube", "YouTube", "192.168.1.10", 120));
        l.add(app(office, jst(DAY1, 9, 1), "app:video:youtube", "YouTube", "192.168.1.10", 30));
        l.add(app(office, jst(DAY1, 10, 0), "app:video:youtube", "YouTube", "192.168.1.11", 5));
        l.add(app(office, jst(DAY1, 11, 0), "app:messaging:line", "LINE", "192.168.1.12", 7));
        // 23:59 and 00:01 in Japan are the same UTC day (14:59Z, 15:01Z): two Japanese days
        l.add(app(office, jst(DAY1, 23, 59), "app:business:microsoft365", "Microsoft365", "192.168.1.10", 3));
        l.add(app(office, jst(DAY2, 0, 1), "app:business:microsoft365", "Microsoft365", "192.168.1.13", 4));
        l.add(app(office, jst(DAY2, 8, 0), "app:file-sharing:bittorrent", "BitTorrent", "192.168.1.10", 1));
        l.add(app(office, jst(DAY2, 9, 0), "odd-rule", "Odd", "192.168.1.10", 2));
        return l;
    }

    @Test
    void connectionsAndClientsPerApplicationAndJapaneseDay() {
        List<Event> events = officeDays();
        store.ingest().store(office, events);
        store.ingest().store(office, events); // a replay counts nothing twice
        // not identifications: a URL filter access log and a threat of the same appliance
        Event url = app(office, jst(DAY1, 12, 0), "category:news", "ニュース / News", "192.168.1.10", 1);
        store.ingest().store(office, List.of(new Event(url.id(), office, url.time(), Kind.ACCESS, url.zones(), url.source(), 1,
                url.destination(), 80, url.mac(), "", "", "", SecurityFunction.URL_FILTERING, "urlfilter", "1", "category:news",
                "ニュース / News", Result.PASS, Level.LOW, 100, Evidence.NONE, "")));
        store.ingest().store(theirs, List.of(app(theirs, jst(DAY1, 9, 0), "app:game:steam", "Steam", "192.168.1.10", 9)));

        Applications apps = store.applications();
        List<ApplicationDay> days = apps.days(TenantScope.customer(customer), office, DAY1, DAY2);
        assertThat(days).extracting(ApplicationDay::day).containsExactly(DAY1, DAY2);
        assertThat(days.get(0).applications()).containsExactly(
                new ApplicationUsage("app:video:youtube", "YouTube", "video", 155, 2),
                new ApplicationUsage("app:messaging:line", "LINE", "messaging", 7, 1),
                new ApplicationUsage("app:business:microsoft365", "Microsoft365", "business", 3, 1));
        assertThat(days.get(1).applications()).containsExactly(
                new ApplicationUsage("app:business:microsoft365", "Microsoft365", "business", 4, 1),
                new ApplicationUsage("odd-rule", "Odd", "other", 2, 1),
                new ApplicationUsage("app:file-sharing:bittorrent", "BitTorrent", "file-sharing", 1, 1));

        // the period: a client counted once over both days
        assertThat(apps.period(TenantScope.customer(customer), office, DAY1, DAY2)).startsWith(
                new ApplicationUsage("app:video:youtube", "YouTube", "video", 155, 2),
                new ApplicationUsage("app:messaging:line", "LINE", "messaging", 7, 1),
                new ApplicationUsage("app:business:microsoft365", "Microsoft365", "business", 7, 2));
        assertThat(apps.days(TenantScope.customer(customer), office, DAY2, DAY2)).singleElement()
                .satisfies(d -> assertThat(d.day()).isEqualTo(DAY2));
    }

    @Test
    void anotherTenantsApplianceGivesNothing() {
        store.ingest().store(office, officeDays());
        store.ingest().store(theirs, List.of(app(theirs, jst(DAY1, 9, 0), "app:game:steam", "Steam", "192.168.1.10", 9)));
        Applications apps = store.applications();
        assertThat(apps.days(TenantScope.customer(other), office, DAY1, DAY2)).isEmpty();
        assertThat(apps.period(TenantScope.customer(other), office, DAY1, DAY2)).isEmpty();
        assertThat(apps.period(TenantScope.customer(customer), theirs, DAY1, DAY2)).isEmpty();
        assertThat(apps.period(TenantScope.customer(other), theirs, DAY1, DAY2)).extracting(ApplicationUsage::name)
                .containsExactly("Steam");
        assertThat(apps.period(TenantScope.reseller(reseller), office, DAY1, DAY2)).hasSize(5);
        assertThat(apps.period(TenantScope.reseller(reseller), theirs, DAY1, DAY2)).isEmpty();
        assertThat(apps.period(TenantScope.operator(), theirs, DAY1, DAY2)).hasSize(1);
    }

    @Test
    void periodsAreBoundedAndRetentionAndErasureRemoveTheRows() {
        Applications apps = store.applications();
        assertThatThrownBy(() -> apps.days(TenantScope.customer(customer), office, DAY2, DAY1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> apps.period(TenantScope.customer(customer), office, DAY1, DAY1.plusDays(Applications.MAX_DAYS)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(apps.period(TenantScope.customer(customer), office, DAY1, DAY1.plusDays(Applications.MAX_DAYS - 1))).isEmpty();

        store.ingest().store(office, officeDays());
        store.partitions().removeBefore(DAY2); // the first kept (UTC) day: the Japanese days before it go
        assertThat(apps.days(TenantScope.customer(customer), office, DAY1, DAY2)).extracting(ApplicationDay::day)
                .containsExactly(DAY2);
    }
}
