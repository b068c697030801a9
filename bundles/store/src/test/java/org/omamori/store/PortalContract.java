package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.accounts.AccountId;
import org.omamori.accounts.AccountScope;
import org.omamori.notify.Recipients;
import org.omamori.store.Announcement.Audience;
import org.omamori.store.Announcement.Draft;
import org.threeten.extra.MutableClock;

/**
 * What the portal adds to the store beside statistics — announcements, the SMS outbox — proved the
 * same way on H2 and PostgreSQL (subclasses give a fresh database per test).
 */
abstract class PortalContract {

    abstract StoreSettings settings() throws Exception;

    void dispose() throws Exception {
    }

    static final ZoneId JST = ZoneId.of("Asia/Tokyo");
    static final Instant START = LocalDateTime.of(2026, 6, 1, 9, 0).atZone(JST).toInstant();
    static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA";

    final MutableClock clock = MutableClock.of(START, ZoneOffset.UTC);
    Store store;

    @BeforeEach
    void open() throws Exception {
        store = Store.open(settings(), clock);
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dispose();
    }

    ResellerId reseller() {
        return store.tenants().createReseller("商工会議所 " + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    CustomerId customer(ResellerId r, String... mail) {
        CustomerId c = store.tenants().createCustomer(r, "株式会社 " + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        if (mail.length > 0) {
            store.monitoring().recipients(c, Recipients.of(mail));
        }
        return c;
    }

    // ---- announcements ----

    record World(ResellerId r1, ResellerId r2, CustomerId a, CustomerId b, CustomerId x, CustomerId silent, AccountId operator,
                 AccountId staff) {
    }

    World world() {
        ResellerId r1 = reseller();
        ResellerId r2 = reseller();
        CustomerId a = customer(r1, "a1@example.jp", "a2@example.jp");
        CustomerId b = customer(r1, "b@example.jp");
        CustomerId x = customer(r2, "x@example.jp");
        CustomerId silent = customer(r2); // no recipients: no mail
        Accounts accounts = store.accounts(new byte[32]);
        AccountId operator = accounts.create("operator", "運用者", new AccountScope.Everything(), HASH, null);
        AccountId staff = accounts.create("staff", "販売店", new AccountScope.OfReseller(r1.value()), HASH, operator);
        return new World(r1, r2, a, b, x, silent, operator, staff);
    }

    static Instant jst(int month, int day, int hour) {
        return LocalDateTime.of(2026, month, day, hour, 0).atZone(JST).toInstant();
    }

    List<QueuedMail> mails() {
        return store.monitoring().outbox(1000);
    }

    @Test
    void publishingMailsEachCustomerConcernedOnceAndOnlyOperatorsPublish() {
        World w = world();
        Announcements ann = store.announcements();
        Draft maintenance = Draft.maintenance(Audience.all(), "定期メンテナンスのお知らせ", "7月の定期メンテナンスを行います。\r\nご迷惑をおかけします。",
                jst(7, 2, 2), jst(7, 2, 5));
        Announcement all = ann.publish(TenantScope.operator(), maintenance, w.operator());
        assertThat(all.title()).isEqualTo("定期メンテナンスのお知らせ");
        assertThat(all.body()).isEqualTo("7月の定期メンテナンスを行います。\nご迷惑をおかけします。");
        assertThat(all.publishedAt()).isEqualTo(START);
        assertThat(all.publishedBy()).isEqualTo(w.operator());
        assertThat(all.startsAt()).contains(jst(7, 2, 2));
        List<QueuedMail> mails = mails();
        assertThat(mails).hasSize(3);
        assertThat(mails).allSatisfy(m -> {
            assertThat(m.mail().subject()).isEqualTo("【お知らせ】定期メンテナンスのお知らせ");
            assertThat(m.mail().body()).contains("7月の定期メンテナンスを行います。\nご迷惑をおかけします。", "計画メンテナンス",
                    "2026年7月2日 02:00 〜 2026年7月2日 05:00（日本時間）");
            assertThat(m.key()).startsWith("announcement:" + all.id() + ":");
        });
        assertThat(mails).extracting(m -> m.mail().to().addresses()).containsExactlyInAnyOrder(
                List.of("a1@example.jp", "a2@example.jp"), List.of("b@example.jp"), List.of("x@example.jp"));

        Announcement toR2 = ann.publish(TenantScope.operator(), Draft.failure(new Audience.OfReseller(w.r2()), "通信障害",
                "一部の地域で通信障害が発生しています。", Optional.of(START.minusSeconds(600)), Optional.empty()), w.operator());
        assertThat(mails()).hasSize(4).filteredOn(m -> m.key().startsWith("announcement:" + toR2.id() + ":"))
                .singleElement().satisfies(m -> assertThat(m.mail().to().addresses()).containsExactly("x@example.jp"));
        Announcement toB = ann.publish(TenantScope.operator(), Draft.failure(new Audience.OfCustomer(w.b()), "復旧のお知らせ",
                "復旧しました。", Optional.empty(), Optional.empty()), w.operator());
        assertThat(mails()).hasSize(5).filteredOn(m -> m.key().startsWith("announcement:" + toB.id() + ":"))
                .singleElement().satisfies(m -> assertThat(m.mail().to().addresses()).containsExactly("b@example.jp"));

        // Only the operator publishes, as an operator account, to tenants that exist.
        Draft failure = Draft.failure(Audience.all(), "障害", "本文", Optional.empty(), Optional.empty());
        for (TenantScope other : List.of(TenantScope.reseller(w.r1()), TenantScope.customer(w.a()))) {
            assertThatThrownBy(() -> ann.publish(other, failure, w.operator())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("only the operator");
        }
        assertThatThrownBy(() -> ann.publish(TenantScope.operator(), failure, w.staff())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an operator account");
        assertThatThrownBy(() -> ann.publish(TenantScope.operator(), failure, new AccountId(987654))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ann.publish(TenantScope.operator(), Draft.failure(new Audience.OfCustomer(new CustomerId(987654)),
                "障害", "本文", Optional.empty(), Optional.empty()), w.operator())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ann.publish(TenantScope.operator(), Draft.failure(new Audience.OfReseller(new ResellerId(987654)),
                "障害", "本文", Optional.empty(), Optional.empty()), w.operator())).isInstanceOf(IllegalArgumentException.class);
        assertThat(ann.list(TenantScope.operator())).hasSize(3);
        assertThat(mails()).hasSize(5);
    }

    @Test
    void emergencyWorkAndChangesFollowTheNoticePeriodsOfTheEditionsConcerned() {
        World w = world();
        ResellerId niigata = store.tenants().createReseller("新潟 " + Long.toHexString(ThreadLocalRandom.current().nextLong()), Optional.of("niigata"));
        CustomerId n = customer(niigata, "n@example.jp");
        java.util.function.Function<Optional<String>, org.omamori.api.edition.Edition> editions = id -> id.filter("niigata"::equals)
                .<org.omamori.api.edition.Edition>map(x -> new org.omamori.edition.niigata.NiigataEdition())
                .orElse(org.omamori.backoffice.edition.NeutralEdition.INSTANCE);
        Announcements ann = store.announcements();

        Announcement emergency = ann.publish(TenantScope.operator(), Draft.emergencyMaintenance(new Audience.OfReseller(w.r1()), "緊急メンテナンス",
                "脆弱性対応のため本日緊急メンテナンスを行います。", START.plusSeconds(3600), START.plusSeconds(7200)), w.operator(), editions);
        assertThat(emergency.emergency()).isTrue();
        assertThat(mails()).filteredOn(m -> m.key().startsWith("announcement:" + emergency.id() + ":")).hasSize(2)
                .allMatch(m -> m.mail().subject().equals("【お知らせ】【緊急】緊急メンテナンス") && m.mail().body().contains("緊急メンテナンス"));

        // Published 1 June: a specification change takes effect 20 days later, on 21 June, unless a later day is given.
        Announcement spec = ann.publish(TenantScope.operator(), Draft.change(Announcement.Kind.SPEC_CHANGE, Audience.all(), "検知機能の仕様変更",
                "URLフィルタリングのカテゴリを追加します。", Optional.empty()), w.operator(), editions);
        assertThat(spec.effectiveOn()).contains(java.time.LocalDate.parse("2026-06-21"));
        List<QueuedMail> specMails = mails().stream().filter(m -> m.key().startsWith("announcement:" + spec.id() + ":")).toList();
        assertThat(specMails).extracting(m -> m.mail().to().addresses().getFirst()).contains("a1@example.jp", "b@example.jp", "x@example.jp", "n@example.jp");
        assertThat(specMails).allMatch(m -> m.mail().body().contains("適用日: 2026年6月21日"));
        assertThat(specMails).filteredOn(m -> m.mail().to().addresses().contains("n@example.jp"))
                .allMatch(m -> m.mail().body().contains("第12条5"));
        assertThat(specMails).filteredOn(m -> m.mail().to().addresses().contains("x@example.jp"))
                .allMatch(m -> !m.mail().body().contains("第12条5"));

        assertThatThrownBy(() -> ann.publish(TenantScope.operator(), Draft.change(Announcement.Kind.TERMS_CHANGE, new Audience.OfCustomer(n),
                "規約改定", "第5条を改定します。", Optional.of(java.time.LocalDate.parse("2026-06-30"))), w.operator(), editions))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2026-07-01", "30 days");
        Announcement terms = ann.publish(TenantScope.operator(), Draft.change(Announcement.Kind.TERMS_CHANGE, new Audience.OfCustomer(n),
                "規約改定", "第5条を改定します。", Optional.of(java.time.LocalDate.parse("2026-07-01"))), w.operator(), editions);
        assertThat(terms.effectiveOn()).contains(java.time.LocalDate.parse("2026-07-01"));
        Announcement abolition = ann.publish(TenantScope.operator(), Draft.change(Announcement.Kind.ABOLITION, new Audience.OfCustomer(n),
                "サービス終了", "本サービスを終了します。", Optional.empty()), w.operator(), editions);
        assertThat(abolition.effectiveOn()).contains(java.time.LocalDate.parse("2026-10-01"));
        assertThat(mails()).filteredOn(m -> m.key().startsWith("announcement:" + abolition.id() + ":"))
                .allMatch(m -> m.mail().body().contains("廃止日: 2026年10月1日") && m.mail().body().contains("第11条2"));
        assertThat(store.announcements().forCustomer(TenantScope.customer(n), n, START).current()).extracting(Announcement::id)
                .contains(spec.id(), terms.id(), abolition.id());
        assertThatThrownBy(() -> Draft.change(Announcement.Kind.FAILURE, Audience.all(), "t", "b", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maintenanceIsAnnouncedAMonthAheadAndTextsAreChecked() {
        World w = world();
        Announcements ann = store.announcements();
        Instant monthAhead = LocalDateTime.of(2026, 7, 1, 9, 0).atZone(JST).toInstant(); // START + one month
        assertThatThrownBy(() -> ann.publish(TenantScope.operator(), Draft.maintenance(Audience.all(), "メンテナンス", "本文",
                monthAhead.minusSeconds(1), monthAhead.plusSeconds(3600)), w.operator()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one month before it starts");
        assertThat(ann.list(TenantScope.operator())).isEmpty();
        assertThat(mails()).isEmpty();
        ann.publish(TenantScope.operator(), Draft.maintenance(Audience.all(), "メンテナンス", "本文", monthAhead,
                monthAhead.plusSeconds(3600)), w.operator());

        assertThatThrownBy(() -> Draft.maintenance(Audience.all(), "t", "b", monthAhead, monthAhead)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Draft(Announcement.Kind.MAINTENANCE, Audience.all(), "t", "b", Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        for (String title : new String[] {"", "  ", "a\nb", "a\tb", "a\u0000b", "a\u202Eb", "あ".repeat(Announcement.MAX_TITLE + 1)}) {
            assertThatThrownBy(() -> Draft.failure(Audience.all(), title, "本文", Optional.empty(), Optional.empty())).as(title)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String body : new String[] {"", "\n", "a\rb", "a\u0007b", "a\u0085b", "あ".repeat(Announcement.MAX_BODY + 1)}) {
            assertThatThrownBy(() -> Draft.failure(Audience.all(), "t", body, Optional.empty(), Optional.empty())).as(body)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Draft.failure(Audience.all(), "あ".repeat(Announcement.MAX_TITLE), "あ".repeat(Announcement.MAX_BODY),
                Optional.empty(), Optional.empty()).body()).hasSize(Announcement.MAX_BODY);
        Announcement longest = ann.publish(TenantScope.operator(), Draft.failure(Audience.all(), "あ".repeat(Announcement.MAX_TITLE),
                "あ".repeat(Announcement.MAX_BODY), Optional.empty(), Optional.empty()), w.operator());
        assertThat(ann.list(TenantScope.operator()).getFirst().body()).isEqualTo(longest.body());
    }

    @Test
    void customersSeeTheirCurrentAndPastAnnouncementsAndNoOneElses() {
        World w = world();
        Announcements ann = store.announcements();
        // Published at different times (the store's clock); read later.
        clock.setInstant(START.minus(Duration.ofDays(400)));
        Announcement ancient = ann.publish(TenantScope.operator(), Draft.failure(Audience.all(), "古い障害", "本文",
                Optional.empty(), Optional.empty()), w.operator());
        clock.setInstant(START.minus(Duration.ofDays(200)));
        Announcement old = ann.publish(TenantScope.operator(), Draft.failure(Audience.all(), "過去の障害", "本文",
                Optional.empty(), Optional.empty()), w.operator());
        Announcement farMaintenance = ann.publish(TenantScope.operator(), Draft.maintenance(new Audience.OfReseller(w.r1()),
                "大規模メンテナンス", "本文", START.plus(Duration.ofDays(1)), START.plus(Duration.ofDays(2))), w.operator());
        clock.setInstant(START.minus(Duration.ofDays(40)));
        Announcement endedMaintenance = ann.publish(TenantScope.operator(), Draft.maintenance(new Audience.OfCustomer(w.a()),
                "終わったメンテナンス", "本文", START.minus(Duration.ofDays(5)), START.minus(Duration.ofDays(4))), w.operator());
        clock.setInstant(START.minus(Duration.ofDays(10)));
        Announcement recent = ann.publish(TenantScope.operator(), Draft.failure(new Audience.OfCustomer(w.a()), "最近の障害", "本文",
                Optional.of(START.minus(Duration.ofDays(11))), Optional.of(START.minus(Duration.ofDays(10)))), w.operator());
        Announcement forX = ann.publish(TenantScope.operator(), Draft.failure(new Audience.OfCustomer(w.x()), "他社の障害", "本文",
                Optional.empty(), Optional.empty()), w.operator());
        Announcement forR2 = ann.publish(TenantScope.operator(), Draft.failure(new Audience.OfReseller(w.r2()), "他販売店の障害", "本文",
                Optional.empty(), Optional.empty()), w.operator());
        clock.setInstant(START.plusSeconds(60));
        Announcement future = ann.publish(TenantScope.operator(), Draft.failure(Audience.all(), "これから", "本文",
                Optional.empty(), Optional.empty()), w.operator());

        CustomerAnnouncements forA = ann.forCustomer(TenantScope.customer(w.a()), w.a(), START);
        assertThat(forA.current()).containsExactly(recent, farMaintenance);
        assertThat(forA.past()).containsExactly(endedMaintenance, old);
        assertThat(forA.current().stream().anyMatch(a -> a.id() == future.id() || a.id() == ancient.id())).isFalse();
        assertThat(ann.forCustomer(TenantScope.reseller(w.r1()), w.a(), START)).isEqualTo(forA);
        assertThat(ann.forCustomer(TenantScope.operator(), w.a(), START)).isEqualTo(forA);
        CustomerAnnouncements forX2 = ann.forCustomer(TenantScope.customer(w.x()), w.x(), START);
        assertThat(forX2.current()).containsExactly(forR2, forX); // same time: the later id first
        assertThat(forX2.past()).containsExactly(old);
        // Another tenant's customer: nothing, as for a customer that does not exist.
        for (TenantScope other : List.of(TenantScope.customer(w.b()), TenantScope.customer(w.x()), TenantScope.reseller(w.r2()))) {
            assertThat(ann.forCustomer(other, w.a(), START)).as(other.toString()).isEqualTo(CustomerAnnouncements.none());
        }
        assertThat(ann.forCustomer(TenantScope.operator(), new CustomerId(987654), START)).isEqualTo(CustomerAnnouncements.none());

        assertThat(ann.list(TenantScope.operator())).extracting(Announcement::id).containsExactly(future.id(), forR2.id(), forX.id(),
                recent.id(), endedMaintenance.id(), farMaintenance.id(), old.id(), ancient.id());
        assertThat(ann.list(TenantScope.reseller(w.r1()))).extracting(Announcement::id).containsExactly(future.id(), recent.id(),
                endedMaintenance.id(), farMaintenance.id(), old.id(), ancient.id());
        assertThat(ann.list(TenantScope.reseller(w.r2()))).extracting(Announcement::id).containsExactly(future.id(), forR2.id(),
                forX.id(), old.id(), ancient.id());
        assertThat(ann.list(TenantScope.customer(w.b()))).extracting(Announcement::id).containsExactly(future.id(),
                farMaintenance.id(), old.id(), ancient.id());
        assertThat(ann.list(TenantScope.customer(w.silent()))).extracting(Announcement::id).containsExactly(future.id(),
                forR2.id(), old.id(), ancient.id());
    }

    // ---- SMS outbox ----

    @Test
    void smsOutboxKeepsMessagesPerPhoneNewestFirst() {
        SmsOutbox sms = store.smsOutbox();
        sms.enqueue("+819012345678", "認証コード: 123456", START);
        sms.enqueue("+819012345678", "認証コード: 654321\nお守り", START.plusSeconds(30));
        sms.enqueue("+819012345678", "same time, later id", START.plusSeconds(30));
        sms.enqueue("+819087654321", "他の番号", START.plusSeconds(60));
        List<SmsMessage> latest = sms.latest("+819012345678", 10);
        assertThat(latest).extracting(SmsMessage::text).containsExactly("same time, later id", "認証コード: 654321\nお守り", "認証コード: 123456");
        assertThat(latest.getLast().createdAt()).isEqualTo(START);
        assertThat(latest).allSatisfy(m -> assertThat(m.phone()).isEqualTo("+819012345678"));
        assertThat(sms.latest("+819012345678", 1)).extracting(SmsMessage::text).containsExactly("same time, later id");
        assertThat(sms.latest("+819087654321", 10)).extracting(SmsMessage::text).containsExactly("他の番号");
        assertThat(sms.latest("+10000000000", 10)).isEmpty();
        for (String bad : new String[] {"", "819012345678", "+8190", "+8190123456789012", "+81 90 1234 5678", "+81-90-1234-5678",
                "+８１９０１２３４５６７８", "+819012345678\n", "%"}) {
            assertThatThrownBy(() -> sms.enqueue(bad, "x", START)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sms.latest(bad, 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String bad : new String[] {"", " ", "a\u0000b", "a\rb", "あ".repeat(SmsOutbox.MAX_TEXT + 1)}) {
            assertThatThrownBy(() -> sms.enqueue("+819012345678", bad, START)).isInstanceOf(IllegalArgumentException.class);
        }
        sms.enqueue("+819012345678", "あ".repeat(SmsOutbox.MAX_TEXT), START.plusSeconds(90));
        assertThat(sms.latest("+819012345678", 1).getFirst().text()).hasSize(SmsOutbox.MAX_TEXT);
        assertThatThrownBy(() -> sms.latest("+819012345678", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sms.latest("+819012345678", SmsOutbox.MAX_LATEST + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- customer profile ----

    @Test
    void companyDataAreChangedByStaffWithinTheirScopeOnly() {
        ResellerId r1 = reseller();
        ResellerId r2 = reseller();
        CustomerId c = customer(r1);
        CustomerProfile p = new CustomerProfile("株式会社みなと製作所", "山田 太郎", "総務部", "部長", "yamada@minato.example.jp",
                "東京都港区芝公園1-2-3", "03-1234-5678");
        store.tenants().updateProfile(TenantScope.reseller(r1), c, p);
        assertThat(store.tenants().profile(TenantScope.customer(c), c)).contains(p);
        assertThat(store.tenants().customers(TenantScope.customer(c)).getFirst().name()).isEqualTo("株式会社みなと製作所");
        // Empty fields are kept empty; the operator may change any customer.
        CustomerProfile bare = new CustomerProfile("みなと製作所", null, "", null, null, null, null);
        store.tenants().updateProfile(TenantScope.operator(), c, bare);
        assertThat(store.tenants().profile(TenantScope.reseller(r1), c)).contains(bare);
        // Another reseller, and the customer himself, get "not found"; nothing changes.
        assertThatThrownBy(() -> store.tenants().updateProfile(TenantScope.reseller(r2), c, p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> store.tenants().updateProfile(TenantScope.customer(c), c, p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not found");
        assertThat(store.tenants().profile(TenantScope.reseller(r2), c)).isEmpty();
        assertThat(store.tenants().profile(TenantScope.operator(), c)).contains(bare);
        // Bad data are refused before the database.
        assertThatThrownBy(() -> new CustomerProfile(" ", null, null, null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CustomerProfile("x", null, null, null, "not-mail", null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CustomerProfile("x", null, null, null, null, null, "03-1234-5678; DROP")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CustomerProfile("x", "a\nb", null, null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
