package org.omamori.store;

import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;

import org.omamori.backoffice.invoice.Invoice;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Issued invoices (docs/invoices.md): numbered without gaps per issuer, one per contract and month,
 * kept as printed so the PDF is made again byte for byte.
 */
@ProviderType
public interface Invoices {

    /**
     * Issues the contract's invoice for {@code month}: in one transaction the issuer's next number is
     * taken and given to {@code make}, and the invoice stored; a failure leaves no gap.
     *
     * @throws IllegalArgumentException when the contract does not exist, already has that month's invoice,
     *                                  or the invoice made is not the issuer's next
     */
    Invoice issue(long contract, YearMonth month, LongFunction<Invoice> make);

    /** The invoice, if the scope may see it (a customer its own, a reseller its customers'). */
    Optional<Invoice> get(TenantScope scope, String issuer, long number);

    /** The invoices the scope may see, newest first. */
    List<Invoice> list(TenantScope scope);
}
