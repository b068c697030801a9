package org.omamori.api.edition;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an edition's customers know the service (docs/edition-sdk.md "Brand").
 *
 * @param service  the service's name, e.g. 新潟商工会議所 サイバーセキュリティ見守りサービス
 * @param company  who sells it, e.g. 新潟商工会議所; invoices are issued in this name
 * @param logoSvg  the logo as SVG text (at most 64 KiB, no scripts), shown by the portal and on invoices
 * @param colours  the portal's and the block page's colours
 * @param sender   who alert and notice mail comes from
 * @param mail     the greeting and signature of every mail
 * @param portal   the portal's address where the edition runs its own; empty: the node's
 * @param legal    the legal texts customers are pointed to (terms of use, privacy policy), at most 10
 * @param invoiceRegistration the company's qualified-invoice issuer registration number (適格請求書発行事業者登録番号,
 *                 {@code T} and 13 digits), printed on its invoices; empty: it issues no qualified invoices
 */
public record Brand(Names service, Names company, String logoSvg, Colours colours, Sender sender, MailTemplate mail,
                    Optional<String> portal, List<LegalLink> legal, Optional<String> invoiceRegistration) {

    /** What a registration number looks like: {@code T} and 13 digits. */
    public static final Pattern REGISTRATION = Pattern.compile("T[0-9]{13}");

    /** An SVG attribute that runs script, e.g. {@code onload=}. */
    private static final Pattern EVENT_HANDLER = Pattern.compile("\\son[a-z]+\\s*=");

    public Brand {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(company, "company");
        logoSvg = Checks.text("logoSvg", logoSvg, 64 * 1024);
        String lower = logoSvg.toLowerCase(java.util.Locale.ROOT);
        if (!lower.contains("<svg") || lower.contains("<script") || lower.contains("javascript:") || lower.contains("<foreignobject")
                || EVENT_HANDLER.matcher(lower).find()) {
            throw new IllegalArgumentException("logoSvg is not an SVG without scripts");
        }
        Objects.requireNonNull(colours, "colours");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(mail, "mail");
        portal = Objects.requireNonNull(portal, "portal").map(p -> Checks.url("portal", p));
        legal = Checks.list("legal", legal, 10);
        Objects.requireNonNull(invoiceRegistration, "invoiceRegistration").ifPresent(r -> {
            if (!REGISTRATION.matcher(r).matches()) {
                throw new IllegalArgumentException("invoiceRegistration is T and 13 digits: " + r);
            }
        });
    }

    /** The portal's and pages' colours, each {@code #rrggbb}. */
    public record Colours(String primary, String accent) {
        private static final Pattern HEX = Pattern.compile("#[0-9a-fA-F]{6}");

        public Colours {
            for (String c : new String[] {primary, accent}) {
                if (c == null || !HEX.matcher(c).matches()) {
                    throw new IllegalArgumentException("a colour is #rrggbb: " + c);
                }
            }
        }
    }

    /**
     * The From of the edition's mail.
     *
     * @param address the mail address, e.g. {@code otasuketai@niigata-cci.example}
     * @param name    the display name, e.g. 新潟商工会議所 見守りサービス
     */
    public record Sender(String address, String name) {
        private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\\.[A-Za-z]{2,24}");

        public Sender {
            if (address == null || !ADDRESS.matcher(address).matches()) {
                throw new IllegalArgumentException("sender address is not a mail address: " + address);
            }
            name = Checks.line("sender name", name, 100);
        }
    }

    /**
     * The words around every mail the edition's customers get. Both may use the placeholders
     * {@code {service}}, {@code {company}}, {@code {portal}}, {@code {desk}}, {@code {phone}},
     * {@code {hours}} and {@code {deskMail}}, filled from the brand and the desk; any other
     * {@code {word}} is refused when the edition is made, so a typo never reaches a customer.
     *
     * @param greeting  the first line, e.g. お客様各位
     * @param signature the lines after the body, e.g. the desk and the sender's name
     */
    public record MailTemplate(String greeting, String signature) {
        public static final Set<String> PLACEHOLDERS = Set.of("service", "company", "portal", "desk", "phone", "hours", "deskMail");
        private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

        public MailTemplate {
            greeting = Checks.text("greeting", greeting, 500);
            signature = Checks.text("signature", signature, 2000);
            known("greeting", greeting);
            known("signature", signature);
        }

        private static void known(String what, String template) {
            Matcher m = PLACEHOLDER.matcher(template);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    throw new IllegalArgumentException(what + " names an unknown placeholder {" + m.group(1) + "}; known: " + PLACEHOLDERS);
                }
            }
        }

        /** The template with each placeholder replaced by its value ({@code values} by placeholder name). */
        public static String fill(String template, java.util.Map<String, String> values) {
            Matcher m = PLACEHOLDER.matcher(template);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(b);
            return b.toString();
        }
    }

    /** A legal text customers are pointed to, e.g. 利用規約 at the reseller's site. */
    public record LegalLink(String titleJa, String url) {
        public LegalLink {
            titleJa = Checks.line("legal link title", titleJa, 100);
            url = Checks.url("legal link", url);
        }
    }
}
