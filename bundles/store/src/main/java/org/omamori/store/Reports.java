package org.omamori.store;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.omamori.notify.Mail;
import org.omamori.report.MonthlyFigures;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Monthly reports (docs/reports.md, table {@code monthly_reports}): the figures of a customer's
 * month, and the PDFs made of them, one per customer and month, kept for the portal. Reads take a
 * {@link TenantScope}; a scope that may not see the customer gets nothing, as {@link Statistics} does.
 */
@ProviderType
public interface Reports {

    /** A stored report, without its bytes. */
    record Stored(CustomerId customer, YearMonth month, Instant createdAt, int bytes) {
    }

    /**
     * The figures of the customer's Japanese {@code month} (for the producer, every tenant): detections
     * per function against the participants' average, per appliance, the ★★★/★★☆ alerts, each appliance's
     * availability (hours with a heartbeat) and definitions updates; empty for an unknown customer.
     */
    Optional<MonthlyFigures> figures(CustomerId customer, YearMonth month);

    /**
     * Up to {@code limit} customers, by id after {@code after} (0: from the start), that existed before
     * {@code month} ended and have no report of it yet: the producer's next batch.
     */
    List<CustomerId> pending(YearMonth month, long after, int limit);

    /** How many customers existed before {@code month} ended, and how many of them have its report. */
    record Progress(long customers, long made) {
    }

    Progress progress(YearMonth month);

    /**
     * Stores the customer's report of {@code month} unless one is stored already (then nothing
     * changes). In the same transaction, when the customer chose report mail and has recipients,
     * {@code mail} of its addressee goes into the outbox.
     *
     * @return whether this call stored it
     */
    boolean save(CustomerId customer, YearMonth month, byte[] pdf, Function<Addressee, Mail> mail);

    /** {@link #save(CustomerId, YearMonth, byte[], Function)} without mail. */
    default boolean save(CustomerId customer, YearMonth month, byte[] pdf) {
        return save(customer, month, pdf, null);
    }

    /** The PDF of the customer's month, if stored and the scope may see the customer. */
    Optional<byte[]> get(TenantScope scope, CustomerId customer, YearMonth month);

    /** The customer's stored reports, newest month first; empty when the scope may not see it. */
    List<Stored> list(TenantScope scope, CustomerId customer);

    /** Whether the customer wants a mail when its report is ready; false when the scope may not see it. */
    boolean wantsMail(TenantScope scope, CustomerId customer);

    /** Whether the customer wants a mail when its report is ready (default no). */
    void setMail(CustomerId customer, boolean wanted);
}
