package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ACCOUNTS;
import static org.omamori.store.internal.schema.Tables.ANNOUNCEMENTS;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.RECIPIENTS;
import static org.omamori.store.internal.schema.Tables.RESELLERS;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.omamori.accounts.AccountId;
import org.omamori.accounts.AccountRole;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Support;
import org.omamori.backoffice.notice.NoticeRules;
import org.omamori.notify.Mail;
import org.omamori.notify.Recipients;
import org.omamori.store.Announcement.Audience;
import org.omamori.store.Announcement;
import org.omamori.store.Announcements;
import org.omamori.store.CustomerAnnouncements;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.Statistics;
import org.omamori.store.TenantScope;
import org.omamori.store.internal.schema.tables.records.AnnouncementsRecord;

/** {@link Announcements} on table {@code announcements} (V12) and the mail outbox. */
public final class SqlAnnouncements implements Announcements {

    static final String SUBJECT_PREFIX = "【お知らせ】";
    private static final DateTimeFormatter JAPANESE = DateTimeFormatter.ofPattern("uuuu年M月d日 HH:mm");

    private final DSLContext db;
    private final SqlOutbox outbox;
    private final Clock clock;

    public SqlAnnouncements(DSLContext db, SqlOutbox outbox, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public Announcement publish(TenantScope scope, Announcement.Draft draft, AccountId by,
                                Function<Optional<String>, Edition> editions) {
        Objects.requireNonNull(draft, "draft");
        Objects.requireNonNull(by, "by");
        if (!(scope instanceof TenantScope.Operator)) {
            throw new IllegalArgumentException("only the operator publishes announcements");
        }
        Objects.requireNonNull(editions, "editions");
        Instant now = clock.instant();
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            if (!t.fetchExists(ACCOUNTS, ACCOUNTS.ID.eq(by.value()), ACCOUNTS.ROLE.eq(AccountRole.OPERATOR.name()))) {
                throw new IllegalArgumentException(by + " is not an operator account");
            }
            Long reseller = null;
            Long customer = null;
            Condition concerned;
            switch (draft.audience()) {
                case Audience.All a -> concerned = DSL.noCondition();
                case Audience.OfReseller r -> {
                    reseller = r.reseller().value();
                    if (!t.fetchExists(RESELLERS, RESELLERS.ID.eq(reseller))) {
                        throw new IllegalArgumentException("reseller " + reseller + " does not exist");
                    }
                    concerned = CUSTOMERS.RESELLER_ID.eq(reseller);
                }
                case Audience.OfCustomer c -> {
                    customer = c.customer().value();
                    if (!t.fetchExists(CUSTOMERS, CUSTOMERS.ID.eq(customer))) {
                        throw new IllegalArgumentException("customer " + customer + " does not exist");
                    }
                    concerned = CUSTOMERS.ID.eq(customer);
                }
            }
            // The customers concerned, their editions and recipients, in order.
            Map<Long, String> names = new LinkedHashMap<>();
            Map<Long, Optional<String>> editionOf = new LinkedHashMap<>();
            Map<Long, List<String>> addresses = new LinkedHashMap<>();
            t.select(CUSTOMERS.ID, CUSTOMERS.NAME, RESELLERS.EDITION, RECIPIENTS.ADDRESS).from(CUSTOMERS)
                    .join(RESELLERS).on(RESELLERS.ID.eq(CUSTOMERS.RESELLER_ID))
                    .leftJoin(RECIPIENTS).on(RECIPIENTS.CUSTOMER_ID.eq(CUSTOMERS.ID))
                    .where(concerned)
                    .orderBy(CUSTOMERS.ID, RECIPIENTS.POSITION)
                    .forEach(r -> {
                        names.put(r.value1(), r.value2());
                        editionOf.put(r.value1(), Optional.ofNullable(r.value3()));
                        if (r.value4() != null) {
                            addresses.computeIfAbsent(r.value1(), k -> new ArrayList<>()).add(r.value4());
                        }
                    });
            Map<Optional<String>, Edition> concernedEditions = new HashMap<>();
            editionOf.values().forEach(e -> concernedEditions.computeIfAbsent(e, editions));
            Support.Notices notices = NoticeRules.strictest(concernedEditions.values().stream().map(e -> e.support().notices()).toList());
            Optional<LocalDate> effective = Optional.empty();
            try {
                switch (draft.kind()) {
                    case MAINTENANCE -> NoticeRules.maintenance(now, draft.startsAt().orElseThrow(), draft.emergency(), notices);
                    case SPEC_CHANGE, TERMS_CHANGE, ABOLITION -> effective = Optional.of(NoticeRules.effective(change(draft.kind()),
                            now.atZone(Statistics.DAYS).toLocalDate(), draft.effectiveOn(), notices));
                    case FAILURE -> {
                    }
                }
            } catch (org.omamori.backoffice.contract.ContractRuleException e) {
                throw new IllegalArgumentException(e.getMessage(), e); // as publish has always said a bad notice
            }
            AnnouncementsRecord row = t.insertInto(ANNOUNCEMENTS)
                    .set(ANNOUNCEMENTS.KIND, draft.kind().name())
                    .set(ANNOUNCEMENTS.AUDIENCE, audience(draft.audience()))
                    .set(ANNOUNCEMENTS.RESELLER_ID, reseller)
                    .set(ANNOUNCEMENTS.CUSTOMER_ID, customer)
                    .set(ANNOUNCEMENTS.TITLE, draft.title())
                    .set(ANNOUNCEMENTS.BODY, draft.body())
                    .set(ANNOUNCEMENTS.STARTS_AT, draft.startsAt().map(Times::column).orElse(null))
                    .set(ANNOUNCEMENTS.ENDS_AT, draft.endsAt().map(Times::column).orElse(null))
                    .set(ANNOUNCEMENTS.PUBLISHED_AT, Times.column(now))
                    .set(ANNOUNCEMENTS.PUBLISHED_BY, by.value())
                    .set(ANNOUNCEMENTS.EMERGENCY, draft.emergency())
                    .set(ANNOUNCEMENTS.EFFECTIVE_ON, effective.orElse(null))
                    .returning().fetchSingle();
            Announcement published = announcement(row);
            for (var e : addresses.entrySet()) {
                Edition edition = concernedEditions.get(editionOf.get(e.getKey()));
                Mail mail = new Mail(new Recipients(e.getValue()), SUBJECT_PREFIX + (published.emergency() ? "【緊急】" : "") + published.title(),
                        body(published, names.get(e.getKey()), edition));
                outbox.enqueue(t, "announcement:" + published.id() + ":" + e.getKey(), mail, now);
            }
            return published;
        });
    }

    @Override
    public CustomerAnnouncements forCustomer(TenantScope scope, CustomerId customer, Instant now) {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(now, "now");
        Optional<Long> reseller = db.select(CUSTOMERS.RESELLER_ID).from(CUSTOMERS)
                .where(CUSTOMERS.ID.eq(customer.value())).and(Scopes.customers(CUSTOMERS.ID, scope))
                .fetchOptional(CUSTOMERS.RESELLER_ID);
        if (reseller.isEmpty()) {
            return CustomerAnnouncements.none();
        }
        var at = Times.column(now);
        List<Announcement> all = db.selectFrom(ANNOUNCEMENTS)
                .where(concerning(customer.value(), reseller.get()))
                .and(ANNOUNCEMENTS.PUBLISHED_AT.le(at))
                .and(ANNOUNCEMENTS.PUBLISHED_AT.gt(Times.column(now.minus(KEPT_FOR))).or(ANNOUNCEMENTS.ENDS_AT.gt(at)))
                .orderBy(ANNOUNCEMENTS.PUBLISHED_AT.desc(), ANNOUNCEMENTS.ID.desc())
                .limit(MAX_LIST)
                .fetch(SqlAnnouncements::announcement);
        List<Announcement> current = new ArrayList<>();
        List<Announcement> past = new ArrayList<>();
        Instant recent = now.minus(CURRENT_FOR);
        for (Announcement a : all) {
            boolean notEnded = a.endsAt().isPresent() && a.endsAt().get().isAfter(now);
            (notEnded || a.publishedAt().isAfter(recent) ? current : past).add(a);
        }
        return new CustomerAnnouncements(current, past);
    }

    @Override
    public List<Announcement> list(TenantScope scope) {
        Condition where = switch (scope) {
            case TenantScope.Operator o -> DSL.noCondition();
            case TenantScope.Reseller r -> ANNOUNCEMENTS.AUDIENCE.eq("ALL")
                    .or(ANNOUNCEMENTS.RESELLER_ID.eq(r.id().value()))
                    .or(ANNOUNCEMENTS.CUSTOMER_ID.in(DSL.select(CUSTOMERS.ID).from(CUSTOMERS)
                            .where(CUSTOMERS.RESELLER_ID.eq(r.id().value()))));
            case TenantScope.Customer c -> ANNOUNCEMENTS.AUDIENCE.eq("ALL")
                    .or(ANNOUNCEMENTS.RESELLER_ID.in(DSL.select(CUSTOMERS.RESELLER_ID).from(CUSTOMERS)
                            .where(CUSTOMERS.ID.eq(c.id().value()))))
                    .or(ANNOUNCEMENTS.CUSTOMER_ID.eq(c.id().value()));
        };
        return db.selectFrom(ANNOUNCEMENTS).where(where)
                .orderBy(ANNOUNCEMENTS.PUBLISHED_AT.desc(), ANNOUNCEMENTS.ID.desc())
                .limit(MAX_LIST)
                .fetch(SqlAnnouncements::announcement);
    }

    private static Condition concerning(long customer, long reseller) {
        return ANNOUNCEMENTS.AUDIENCE.eq("ALL")
                .or(ANNOUNCEMENTS.RESELLER_ID.eq(reseller))
                .or(ANNOUNCEMENTS.CUSTOMER_ID.eq(customer));
    }

    private static NoticeRules.Change change(Announcement.Kind kind) {
        return switch (kind) {
            case SPEC_CHANGE -> NoticeRules.Change.SPEC;
            case TERMS_CHANGE -> NoticeRules.Change.TERMS;
            default -> NoticeRules.Change.ABOLITION;
        };
    }

    private static String audience(Audience a) {
        return switch (a) {
            case Audience.All x -> "ALL";
            case Audience.OfReseller x -> "RESELLER";
            case Audience.OfCustomer x -> "CUSTOMER";
        };
    }

    static Announcement announcement(AnnouncementsRecord r) {
        Audience audience = switch (r.getAudience()) {
            case "RESELLER" -> new Audience.OfReseller(new ResellerId(r.getResellerId()));
            case "CUSTOMER" -> new Audience.OfCustomer(new CustomerId(r.getCustomerId()));
            default -> new Audience.All();
        };
        return new Announcement(r.getId(), Announcement.Kind.valueOf(r.getKind()), audience, r.getTitle(), r.getBody(),
                Optional.ofNullable(Times.instant(r.getStartsAt())), Optional.ofNullable(Times.instant(r.getEndsAt())),
                Times.instant(r.getPublishedAt()), new AccountId(r.getPublishedBy()), r.getEmergency(), Optional.ofNullable(r.getEffectiveOn()));
    }

    /** The mail's text: the customer, what, when (Japanese time), the operator's body. */
    static String body(Announcement a, String customerName) {
        return body(a, customerName, org.omamori.backoffice.edition.NeutralEdition.INSTANCE);
    }

    static String body(Announcement a, String customerName, Edition edition) {
        StringBuilder b = new StringBuilder();
        b.append(customerName).append(" 様\n\n");
        b.append("いつもご利用いただきありがとうございます。サービスからのお知らせです。\n\n");
        b.append("件名: ").append(a.title()).append('\n');
        b.append("種別: ").append(switch (a.kind()) {
            case MAINTENANCE -> a.emergency() ? "緊急メンテナンス" : "計画メンテナンス";
            default -> a.kind().ja();
        }).append('\n');
        a.effectiveOn().ifPresent(d -> b.append(a.kind() == Announcement.Kind.ABOLITION ? "廃止日: " : "適用日: ")
                .append(d.getYear()).append("年").append(d.getMonthValue()).append("月").append(d.getDayOfMonth()).append("日\n"));
        if (a.startsAt().isPresent() || a.endsAt().isPresent()) {
            b.append("期間: ").append(a.startsAt().map(SqlAnnouncements::japanese).orElse(""))
                    .append(" 〜 ").append(a.endsAt().map(SqlAnnouncements::japanese).orElse("")).append("（日本時間）\n");
        }
        b.append('\n').append(a.body()).append("\n\n");
        List<String> refunds = edition.terms().contract().refundCasesJa();
        if ((a.kind() == Announcement.Kind.SPEC_CHANGE || a.kind() == Announcement.Kind.TERMS_CHANGE)
                && refunds.stream().anyMatch(r -> r.startsWith("第12条5"))) {
            b.append("本変更に伴いご解約を希望される場合、本通知から2か月以内のご解約は、利用規約第12条5により解約月の翌月以降の"
                    + "利用料金を返金いたします。\n\n");
        }
        if (a.kind() == Announcement.Kind.ABOLITION && refunds.stream().anyMatch(r -> r.startsWith("第11条2"))) {
            b.append("お支払い済みの利用料金のうち、廃止日の属する月の翌月以降の分は、利用規約第11条2により返金いたします。\n\n");
        }
        b.append("このお知らせはポータルのダッシュボードでもご覧いただけます。\n");
        return b.toString();
    }

    private static String japanese(Instant t) {
        return JAPANESE.format(t.atZone(Statistics.DAYS));
    }
}
