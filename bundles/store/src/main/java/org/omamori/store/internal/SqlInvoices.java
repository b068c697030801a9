package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.CONTRACTS;
import static org.omamori.store.internal.schema.Tables.INVOICES;
import static org.omamori.store.internal.schema.Tables.INVOICE_LINES;
import static org.omamori.store.internal.schema.Tables.INVOICE_NUMBERS;

import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.omamori.api.edition.Terms.Tax;
import org.omamori.backoffice.billing.Bill;
import org.omamori.backoffice.invoice.Invoice;
import org.omamori.store.Invoices;
import org.omamori.store.TenantScope;
import org.omamori.store.internal.schema.tables.records.ContractsRecord;
import org.omamori.store.internal.schema.tables.records.InvoicesRecord;

/** {@link Invoices} on {@code invoice_numbers}, {@code invoices} and {@code invoice_lines} (V23). */
public final class SqlInvoices implements Invoices {

    private final DSLContext db;
    private final Clock clock;

    public SqlInvoices(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Invoice issue(long contract, YearMonth month, LongFunction<Invoice> make) {
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(make, "make");
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            ContractsRecord c = t.selectFrom(CONTRACTS).where(CONTRACTS.ID.eq(contract)).fetchOne();
            if (c == null) {
                throw new IllegalArgumentException("no contract " + contract);
            }
            if (t.fetchExists(INVOICES, INVOICES.CONTRACT_ID.eq(contract).and(INVOICES.BILLED_MONTH.eq(month.atDay(1))))) {
                throw new IllegalArgumentException("contract " + contract + " has its invoice for " + month + " already");
            }
            String issuer = c.getEdition();
            // The issuer's row is locked until commit: two invoices never get one number, a rollback leaves no gap.
            t.insertInto(INVOICE_NUMBERS).set(INVOICE_NUMBERS.ISSUER, issuer).set(INVOICE_NUMBERS.LAST_NUMBER, 0L)
                    .onConflict(INVOICE_NUMBERS.ISSUER).doNothing().execute();
            long last = t.select(INVOICE_NUMBERS.LAST_NUMBER).from(INVOICE_NUMBERS).where(INVOICE_NUMBERS.ISSUER.eq(issuer))
                    .forUpdate().fetchSingle(INVOICE_NUMBERS.LAST_NUMBER);
            long number = last + 1;
            Invoice invoice = make.apply(number);
            if (invoice.number() != number || !invoice.issuer().key().equals(issuer) || !invoice.month().equals(month)) {
                throw new IllegalArgumentException("the invoice made is not " + issuer + " " + number + " for " + month);
            }
            t.update(INVOICE_NUMBERS).set(INVOICE_NUMBERS.LAST_NUMBER, number).where(INVOICE_NUMBERS.ISSUER.eq(issuer)).execute();
            InvoicesRecord r = t.newRecord(INVOICES);
            r.setIssuer(issuer);
            r.setNumber(number);
            r.setContractId(contract);
            r.setResellerId(c.getResellerId());
            r.setCustomerId(c.getCustomerId());
            r.setIssuerName(invoice.issuer().name());
            r.setRegistration(invoice.issuer().registration());
            r.setContact(invoice.issuer().contact());
            r.setRecipient(invoice.recipient());
            r.setIssuedOn(invoice.issued());
            r.setBilledMonth(month.atDay(1));
            r.setDueOn(invoice.due());
            r.setCreatedAt(Times.column(clock.instant()));
            r.insert();
            for (int i = 0; i < invoice.lines().size(); i++) {
                Bill.Line l = invoice.lines().get(i);
                t.insertInto(INVOICE_LINES).set(INVOICE_LINES.ISSUER, issuer).set(INVOICE_LINES.NUMBER, number).set(INVOICE_LINES.SEQ, i)
                        .set(INVOICE_LINES.ITEM, l.item()).set(INVOICE_LINES.LISTED, l.listed())
                        .set(INVOICE_LINES.TAX_INCLUDED, l.tax().included()).set(INVOICE_LINES.RATE, l.tax().ratePercent()).execute();
            }
            return load(t, INVOICES.ISSUER.eq(issuer).and(INVOICES.NUMBER.eq(number))).getFirst();
        });
    }

    @Override
    public Optional<Invoice> get(TenantScope scope, String issuer, long number) {
        return load(db, INVOICES.ISSUER.eq(issuer).and(INVOICES.NUMBER.eq(number)).and(scoped(scope))).stream().findFirst();
    }

    @Override
    public List<Invoice> list(TenantScope scope) {
        return load(db, scoped(scope));
    }

    private static Condition scoped(TenantScope scope) {
        return switch (scope) {
            case TenantScope.Operator o -> DSL.noCondition();
            case TenantScope.Reseller r -> INVOICES.RESELLER_ID.eq(r.id().value());
            case TenantScope.Customer c -> INVOICES.CUSTOMER_ID.eq(c.id().value());
        };
    }

    private static List<Invoice> load(DSLContext t, Condition where) {
        List<InvoicesRecord> rows = t.selectFrom(INVOICES).where(where).orderBy(INVOICES.ISSUED_ON.desc(), INVOICES.ISSUER, INVOICES.NUMBER.desc())
                .fetch();
        Map<String, List<Bill.Line>> lines = new HashMap<>();
        if (!rows.isEmpty()) {
            Condition any = DSL.or(rows.stream().map(r -> INVOICE_LINES.ISSUER.eq(r.getIssuer()).and(INVOICE_LINES.NUMBER.eq(r.getNumber())))
                    .toList());
            t.selectFrom(INVOICE_LINES).where(any).orderBy(INVOICE_LINES.ISSUER, INVOICE_LINES.NUMBER, INVOICE_LINES.SEQ)
                    .forEach(l -> lines.computeIfAbsent(l.getIssuer() + "#" + l.getNumber(), k -> new ArrayList<>())
                            .add(new Bill.Line(l.getItem(), l.getListed(), new Tax(l.getTaxIncluded(), l.getRate()))));
        }
        List<Invoice> out = new ArrayList<>();
        for (InvoicesRecord r : rows) {
            out.add(new Invoice(new Invoice.Issuer(r.getIssuer(), r.getIssuerName(), r.getRegistration(), r.getContact()), r.getRecipient(),
                    r.getNumber(), r.getIssuedOn(), YearMonth.from(r.getBilledMonth()), r.getDueOn(),
                    lines.getOrDefault(r.getIssuer() + "#" + r.getNumber(), List.of())));
        }
        return out;
    }
}
