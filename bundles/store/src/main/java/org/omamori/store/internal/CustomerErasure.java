package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.ACCOUNTS;
import static org.omamori.store.internal.schema.Tables.ACCOUNT_AUDIT;
import static org.omamori.store.internal.schema.Tables.ALERTS;
import static org.omamori.store.internal.schema.Tables.ALERT_DISPLAY_IDS;
import static org.omamori.store.internal.schema.Tables.ANNOUNCEMENTS;
import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.APPLIANCES_TO_ERASE;
import static org.omamori.store.internal.schema.Tables.APPLIANCE_WATCH;
import static org.omamori.store.internal.schema.Tables.CLAIMS;
import static org.omamori.store.internal.schema.Tables.CONTRACTS;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.INVOICES;
import static org.omamori.store.internal.schema.Tables.EVENTS;
import static org.omamori.store.internal.schema.Tables.FAULT_NOTICES;
import static org.omamori.store.internal.schema.Tables.HEARTBEATS;
import static org.omamori.store.internal.schema.Tables.APPLIANCE_DAYS;
import static org.omamori.store.internal.schema.Tables.APPLIANCE_SETTINGS;
import static org.omamori.store.internal.schema.Tables.APPLIANCE_SETTINGS_STATE;
import static org.omamori.store.internal.schema.Tables.DEFINITIONS_UPDATES;
import static org.omamori.store.internal.schema.Tables.MONTHLY_REPORTS;
import static org.omamori.store.internal.schema.Tables.ID_TIME_OUTLIERS;
import static org.omamori.store.internal.schema.Tables.MAIL_OUTBOX;
import static org.omamori.store.internal.schema.Tables.PENDING_ALERT_MAIL;
import static org.omamori.store.internal.schema.Tables.RECIPIENTS;
import static org.omamori.store.internal.schema.Tables.RMAS;
import static org.omamori.store.internal.schema.Tables.SMS_OUTBOX;
import static org.omamori.store.internal.schema.Tables.SUPPRESSIONS;
import static org.omamori.store.internal.schema.Tables.THREAT_DAYS;
import static org.omamori.store.internal.schema.Tables.APPLICATION_DAYS;
import static org.omamori.store.internal.schema.Tables.TICKETS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.omamori.events.ApplianceId;
import org.omamori.store.CustomerId;
import org.omamori.store.Erasure;

/**
 * A contract's end ({@code Tenants.erase}): every row of the customer deleted in one transaction,
 * children before parents, its appliances kept by id only for the disk wipe on return.
 */
final class CustomerErasure {

    private CustomerErasure() {
    }

    static Erasure erase(DSLContext db, CustomerId customer, Instant now) {
        long c = customer.value();
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            // Locks the customer's row: grading (which locks it too) cannot add to what is being deleted.
            if (t.select(CUSTOMERS.ID).from(CUSTOMERS).where(CUSTOMERS.ID.eq(c)).forUpdate().fetchOne() == null) {
                throw new IllegalArgumentException(customer + " does not exist");
            }
            List<String> appliances = t.select(APPLIANCES.ID).from(APPLIANCES).where(APPLIANCES.CUSTOMER_ID.eq(c)).fetch(APPLIANCES.ID);
            List<Long> accounts = t.select(ACCOUNTS.ID).from(ACCOUNTS).where(ACCOUNTS.CUSTOMER_ID.eq(c)).fetch(ACCOUNTS.ID);
            List<String> phones = t.select(ACCOUNTS.PHONE).from(ACCOUNTS).where(ACCOUNTS.CUSTOMER_ID.eq(c)).and(ACCOUNTS.PHONE.isNotNull())
                    .fetch(ACCOUNTS.PHONE);
            long rows = 0;
            rows += t.deleteFrom(MAIL_OUTBOX).where(mailsOf(c, appliances, accounts)).execute();
            rows += t.deleteFrom(SMS_OUTBOX).where(phones.isEmpty() ? DSL.falseCondition() : SMS_OUTBOX.PHONE.in(phones)).execute();
            rows += t.deleteFrom(PENDING_ALERT_MAIL).where(PENDING_ALERT_MAIL.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(ALERT_DISPLAY_IDS).where(ALERT_DISPLAY_IDS.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(ALERTS).where(ALERTS.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(EVENTS).where(EVENTS.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(THREAT_DAYS).where(THREAT_DAYS.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(APPLICATION_DAYS).where(APPLICATION_DAYS.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(ID_TIME_OUTLIERS).where(ID_TIME_OUTLIERS.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(SUPPRESSIONS).where(SUPPRESSIONS.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(RECIPIENTS).where(RECIPIENTS.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(FAULT_NOTICES).where(FAULT_NOTICES.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(ANNOUNCEMENTS).where(ANNOUNCEMENTS.CUSTOMER_ID.eq(c)).execute();
            // Tickets hold the customer's words and files; steps, messages and attachments go with them.
            rows += t.deleteFrom(TICKETS).where(TICKETS.CUSTOMER_ID.eq(c)).execute();
            // Its monthly reports are its data, not the issuer's records (unlike invoices): gone with it.
            rows += t.deleteFrom(MONTHLY_REPORTS).where(MONTHLY_REPORTS.CUSTOMER_ID.eq(c)).execute();
            Condition audit = ACCOUNT_AUDIT.CUSTOMER_ID.eq(c);
            if (!accounts.isEmpty()) {
                audit = audit.or(ACCOUNT_AUDIT.ACCOUNT_ID.in(accounts)).or(ACCOUNT_AUDIT.ACTOR_ID.in(accounts));
            }
            rows += t.deleteFrom(ACCOUNT_AUDIT).where(audit).execute();
            rows += t.deleteFrom(ACCOUNTS).where(ACCOUNTS.CUSTOMER_ID.eq(c)).execute();
            if (!appliances.isEmpty()) {
                rows += t.deleteFrom(HEARTBEATS).where(HEARTBEATS.APPLIANCE_ID.in(appliances)).execute();
                rows += t.deleteFrom(APPLIANCE_WATCH).where(APPLIANCE_WATCH.APPLIANCE_ID.in(appliances)).execute();
                rows += t.deleteFrom(APPLIANCE_DAYS).where(APPLIANCE_DAYS.APPLIANCE_ID.in(appliances)).execute();
                rows += t.deleteFrom(DEFINITIONS_UPDATES).where(DEFINITIONS_UPDATES.APPLIANCE_ID.in(appliances)).execute();
                // Its settings name its networks and brand texts: gone with it.
                rows += t.deleteFrom(APPLIANCE_SETTINGS).where(APPLIANCE_SETTINGS.APPLIANCE_ID.in(appliances)).execute();
                rows += t.deleteFrom(APPLIANCE_SETTINGS_STATE).where(APPLIANCE_SETTINGS_STATE.APPLIANCE_ID.in(appliances)).execute();
                for (String a : appliances) {
                    t.insertInto(APPLIANCES_TO_ERASE).set(APPLIANCES_TO_ERASE.APPLIANCE_ID, a)
                            .set(APPLIANCES_TO_ERASE.ENDED_AT, Times.column(now))
                            .onConflict(APPLIANCES_TO_ERASE.APPLIANCE_ID).doUpdate().set(APPLIANCES_TO_ERASE.ENDED_AT, Times.column(now))
                            .execute();
                }
                // Its RMAs (their steps cascade): they name its appliances and tell its sites; a unit still to come
                // back is wiped by appliances_to_erase like the others (docs/rma.md).
                rows += t.deleteFrom(RMAS).where(RMAS.CUSTOMER_ID.eq(c)).execute();
                // The registration with its token and activation code: the appliance's credentials end here.
                rows += t.deleteFrom(APPLIANCES).where(APPLIANCES.CUSTOMER_ID.eq(c)).execute();
            }
            // Its contracts stay for the reseller's books, without it (docs/contracts.md "The end").
            t.update(CONTRACTS).setNull(CONTRACTS.CUSTOMER_ID).where(CONTRACTS.CUSTOMER_ID.eq(c)).execute();
            // Its insurance claims stay with their contracts, without it: dates, amounts, scan result and
            // vendor are the insurer's and the reseller's record, no personal data (docs/insurance.md "Claims").
            t.update(CLAIMS).setNull(CLAIMS.CUSTOMER_ID).where(CLAIMS.CUSTOMER_ID.eq(c)).execute();
            // Issued invoices stay as printed: the issuer must keep their copies (decision 0024).
            t.update(INVOICES).setNull(INVOICES.CUSTOMER_ID).where(INVOICES.CUSTOMER_ID.eq(c)).execute();
            rows += t.deleteFrom(CUSTOMERS).where(CUSTOMERS.ID.eq(c)).execute();
            List<ApplianceId> ids = new ArrayList<>();
            appliances.forEach(a -> ids.add(new ApplianceId(a)));
            return new Erasure(customer, ids, rows);
        });
    }

    /**
     * The outbox's mails to the customer, by the keys they were queued under: alert mails and
     * follow-ups name the customer, fault and announcement mails end with it, notices name the
     * appliance, account mails the account.
     */
    private static Condition mailsOf(long c, List<String> appliances, List<Long> accounts) {
        Condition mine = MAIL_OUTBOX.MAIL_KEY.like("alerts:" + c + ":%")
                .or(MAIL_OUTBOX.MAIL_KEY.eq("alerts:" + c))
                .or(MAIL_OUTBOX.MAIL_KEY.like("follow-up:" + c + ":%"))
                .or(MAIL_OUTBOX.MAIL_KEY.like("fault:%:" + c))
                .or(MAIL_OUTBOX.MAIL_KEY.like("fault-recovered:%:" + c))
                .or(MAIL_OUTBOX.MAIL_KEY.like("announcement:%:" + c))
                .or(MAIL_OUTBOX.MAIL_KEY.like("ticket:" + c + ":%"))
                .or(MAIL_OUTBOX.MAIL_KEY.like("claim:" + c + ":%"))
                .or(MAIL_OUTBOX.MAIL_KEY.like("rma:" + c + ":%"))
                .or(MAIL_OUTBOX.MAIL_KEY.like("report:%:" + c));
        for (String a : appliances) {
            mine = mine.or(MAIL_OUTBOX.MAIL_KEY.like("stopped:" + a + ":%"))
                    .or(MAIL_OUTBOX.MAIL_KEY.like("still-stopped:" + a + ":%"))
                    .or(MAIL_OUTBOX.MAIL_KEY.like("recovered:" + a + ":%"));
        }
        for (Long account : accounts) {
            mine = mine.or(MAIL_OUTBOX.MAIL_KEY.eq("account-issued:" + account));
        }
        return mine;
    }
}
