package org.omamori.portal;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.omamori.accounts.AccountId;
import org.omamori.accounts.AccountScope;
import org.omamori.accounts.PasswordHasher;
import org.omamori.api.engine.Evidence;
import org.omamori.api.engine.Level;
import org.omamori.api.engine.MacAddress;
import org.omamori.api.engine.SecurityFunction;
import org.omamori.api.engine.ZonePair;
import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.omamori.events.EventIds;
import org.omamori.events.Kind;
import org.omamori.events.Result;
import org.omamori.grading.StarTable;
import org.omamori.grading.CustomerGrading;
import org.omamori.store.CustomerId;
import org.omamori.store.Heartbeat;
import org.omamori.store.IngestStore;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.threeten.extra.MutableClock;

/**
 * A small service for the portal's tests, on a real store (H2 file): two resellers, their
 * customers, appliances that sent events through the cloud's ingest with the real grading
 * (star table), and accounts. Times come from a clock the tests move.
 */
final class World implements AutoCloseable {

    static final String PASSWORD = "Kaisha-Anzen-2026";

    /** A clock the tests move (TOTP steps, lock times). */
    final MutableClock clock = MutableClock.of(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    final Store store;
    final Portal portal;
    final ResellerId r1;
    final ResellerId r2;
    final CustomerId minato;     // two appliances, alerts
    final CustomerId sakura;     // one appliance, no alert
    final CustomerId kaede;      // no appliance yet
    final CustomerId other;      // reseller 2's customer with an alert: the cross-tenant target
    final ApplianceId minato1 = appliance();
    final ApplianceId minato2 = appliance();
    final ApplianceId sakura1 = appliance();
    final ApplianceId other1 = appliance();
    final AccountId operator;
    final AccountId staff1;

    World(Path dir) {
        store = Store.open(StoreSettings.h2File(dir.resolve("portal")), clock); // one clock for store and portal
        portal = new Portal(store, new byte[32], new OutboxSmsGateway(store, clock), clock,
                new org.omamori.notify.Brand("Omamori", "お助け隊 相談窓口", "http://127.0.0.1/"));
        r1 = store.tenants().createReseller("みなと商工会議所");
        r2 = store.tenants().createReseller("さくらセキュリティ販売");
        // The first reseller sells the Niigata edition: its staff's and customers' pages carry that brand.
        store.tenants().edition(r1, java.util.Optional.of("niigata"));
        minato = store.tenants().createCustomer(r1, "株式会社みなと製作所");
        sakura = store.tenants().createCustomer(r1, "有限会社さくら会計");
        kaede = store.tenants().createCustomer(r1, "かえで工務店");
        other = store.tenants().createCustomer(r2, "株式会社ほかの会社");
        store.tenants().registerAppliance(minato, minato1, "本社");
        store.tenants().registerAppliance(minato, minato2, "倉庫");
        store.tenants().registerAppliance(sakura, sakura1, "事務所");
        store.tenants().registerAppliance(other, other1, "本店");
        IngestStore ingest = store.ingest(new CustomerGrading(StarTable.standard(), 100));
        Instant t = clock.instant().minus(Duration.ofHours(2));
        for (ApplianceId a : List.of(minato1, minato2, sakura1, other1)) {
            ingest.heartbeat(a, new Heartbeat(clock.instant(), t, "1.4.2", Map.of(), Map.of("ips", "2026.12.01"), Map.of()));
        }
        // What the appliances sent: a C2 contact (★★★), malware that got through (★★☆), a blocked
        // exploit (★☆☆) on minato's first appliance, a blocked phishing page on its second.
        ingest.store(minato1, List.of(
                event(minato1, t, "192.168.10.21", "c2.example.net", SecurityFunction.IPS, Result.BLOCK, Evidence.INFECTION, "sid:2024001"),
                event(minato1, t.plusSeconds(60), "192.168.10.22", "files.example.org", SecurityFunction.ANTIVIRUS, Result.PASS, Evidence.MALWARE, "clamav:Win.Trojan.Demo"),
                event(minato1, t.plusSeconds(120), "192.168.10.23", "203.0.113.80", SecurityFunction.IPS, Result.BLOCK, Evidence.EXPLOIT_ATTEMPT, "sid:2024002")));
        Event phishing = event(minato2, t.plusSeconds(180), "192.168.20.5", "login-bank.example.com", SecurityFunction.URL_FILTERING,
                Result.BLOCK, Evidence.PHISHING, "phishing");
        ingest.store(minato2, List.of(phishing));
        // The PC kept asking for the blocked name: the appliance folded the minute's repeats into one event (decision 0028).
        Event repeats = event(minato2, t.plusSeconds(181), "192.168.20.5", "login-bank.example.com", SecurityFunction.URL_FILTERING,
                Result.BLOCK, Evidence.PHISHING, "phishing");
        ingest.store(minato2, List.of(repeats.withCount(42, repeats.time().plusSeconds(58))));
        // The DNS filter's access log: an allowed name looked up 120 times in a minute by one PC (one
        // folded event, format 1.1), a news site once (as an older appliance sends it), on minato's first appliance.
        Event looked = lookup(minato1, t.plusSeconds(240), "192.168.10.21", "www.example.co.jp", "", "");
        ingest.store(minato1, List.of(looked.withCount(120, looked.time().plusSeconds(59)),
                lookup(minato1, t.plusSeconds(300), "192.168.10.22", "news.example.jp", "category:news", "ニュース / News")));
        // Application identification (nDPI): YouTube from two PCs and Microsoft365 from one, each
        // folded by the appliance per application, PC and minute with its count; another tenant's Steam.
        ingest.store(minato1, List.of(app(minato1, t.plusSeconds(360), "192.168.10.21", "app:video:youtube", "YouTube", 150),
                app(minato1, t.plusSeconds(420), "192.168.10.22", "app:video:youtube", "YouTube", 30),
                app(minato1, t.plusSeconds(480), "192.168.10.21", "app:business:microsoft365", "Microsoft365", 12)));
        ingest.store(other1, List.of(app(other1, t.plusSeconds(360), "10.0.0.9", "app:game:steam", "Steam", 77)));
        ingest.store(other1, List.of(
                event(other1, t.plusSeconds(30), "10.0.0.9", "c2.example.net", SecurityFunction.IPS, Result.BLOCK, Evidence.INFECTION, "sid:2024001")));
        PasswordHasher hasher = PasswordHasher.standard();
        operator = portal.accounts().create("operator", "運用担当", new AccountScope.Everything(), hasher.hash(PASSWORD), null);
        portal.accounts().changePassword(org.omamori.store.TenantScope.operator(), operator, hasher.hash(PASSWORD), false, operator);
        staff1 = portal.accounts().create("staff.minato", "商工会議所 担当", new AccountScope.OfReseller(r1.value()), hasher.hash(PASSWORD), operator);
        portal.accounts().changePassword(org.omamori.store.TenantScope.operator(), staff1, hasher.hash(PASSWORD), false, operator);
    }

    /** An account as issued at contract: temporary user ID and password, to be changed at first sign-in. */
    AccountId issue(CustomerId customer, String temporaryId, String temporaryPassword, String name) {
        return portal.accounts().create(temporaryId, name, new AccountScope.OfCustomer(customer.value()),
                PasswordHasher.standard().hash(temporaryPassword), staff1);
    }

    static ApplianceId appliance() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return ApplianceId.parse(HexFormat.of().formatHex(b));
    }

    static Event event(ApplianceId appliance, Instant time, String host, String target, SecurityFunction function, Result result,
            Evidence evidence, String rule) {
        EventIds ids = new EventIds(Clock.fixed(time, ZoneOffset.UTC));
        try {
            boolean name = !target.matches("[0-9.]+");
            return new Event(ids.next(), appliance, time.truncatedTo(ChronoUnit.MICROS), Kind.THREAT, ZonePair.LAN_TO_WAN,
                    InetAddress.getByName(host), 50000, InetAddress.getByName("203.0.113.7"), 443,
                    Optional.of(MacAddress.parse("00:1a:2b:3c:4d:5e")), name ? target : "", name ? "https://" + target + "/" : "",
                    name ? target : "", function, "engine", "1.0.0", rule, rule, result, Level.HIGH, 90, evidence, "");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An allowed DNS name as the DNS filter logs it (an access-log event of the URL filter). */
    static Event lookup(ApplianceId appliance, Instant time, String client, String name, String ruleId, String ruleName) {
        EventIds ids = new EventIds(Clock.fixed(time, ZoneOffset.UTC));
        try {
            return new Event(ids.next(), appliance, time.truncatedTo(ChronoUnit.MICROS), Kind.ACCESS, ZonePair.LAN_TO_WAN,
                    InetAddress.getByName(client), 40000, InetAddress.getByName("192.0.2.53"), 53, Optional.empty(), name, "", name,
                    SecurityFunction.URL_FILTERING, "urlfilter", "1.0.0", ruleId, ruleName, Result.PASS, Level.LOW, 100, Evidence.NONE, "");
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An application identification as an intake logs the nDPI engine's finding, folded to {@code count} connections. */
    static Event app(ApplianceId appliance, Instant time, String client, String ruleId, String name, long count) {
        EventIds ids = new EventIds(Clock.fixed(time, ZoneOffset.UTC));
        try {
            Instant at = time.truncatedTo(ChronoUnit.MICROS);
            return new Event(ids.next(), appliance, at, Kind.ACCESS, ZonePair.LAN_TO_WAN,
                    InetAddress.getByName(client), 40000, InetAddress.getByName("203.0.113.30"), 443, Optional.empty(), "", "", "",
                    SecurityFunction.APPLICATION_IDENTIFICATION, "appid-ndpi", "4.14.0", ruleId, name, Result.PASS, Level.LOW, 90,
                    Evidence.NONE, "").withCount(count, at.plusSeconds(55));
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
