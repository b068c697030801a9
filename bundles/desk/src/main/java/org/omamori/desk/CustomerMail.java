package org.omamori.desk;

import java.util.Objects;
import java.util.function.Function;

import org.omamori.notify.Brand;
import org.omamori.notify.Mail;
import org.omamori.notify.MailBrands;
import org.omamori.store.Addressee;

/**
 * A mail from the desk to a customer about one of its cases (a claim, an RMA), in the customer's
 * edition's brand: 【service】subject, the brand's greeting, the text, the portal's address and the
 * brand's signature.
 */
final class CustomerMail {

    private CustomerMail() {
    }

    static Function<Addressee, Mail> of(MailBrands brands, String subject, String text) {
        Objects.requireNonNull(brands, "brands");
        return to -> {
            Brand b = brands.of(to.edition());
            return b.mail(to.to(), "【" + b.serviceName() + "】" + subject, b.greeting() + "\n\n" + text.strip() + "\n\n"
                    + "詳しくはポータルでご確認いただけます。\n" + b.portal() + "\n\n" + b.signature().strip() + "\n");
        };
    }
}
