package org.omamori.notify;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import org.omamori.api.edition.Brand.MailTemplate;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Terms;

/**
 * Who the mail comes from, as the customer knows the service: the node's own brand or the
 * customer's edition (docs/notify.md, docs/edition-sdk.md).
 *
 * @param serviceName the service's name in subjects and bodies, e.g. {@code サイバーセキュリティお助け隊}
 * @param desk        where the customer asks for help, e.g. {@code お助け隊 相談窓口 0120-000-000（24時間受付）}
 * @param portal      the portal's address, shown so the customer can look at the details
 * @param greeting    the mail's first line, e.g. {@code お客様各位}
 * @param signature   the lines that close every mail, after the portal's address
 * @param from        the sender, when it is not the node's SMTP {@code mailFrom}
 */
public record Brand(String serviceName, String desk, String portal, String greeting, String signature, Optional<Sender> from) {

    public Brand {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(desk, "desk");
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(greeting, "greeting");
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(from, "from");
        if (serviceName.isBlank()) {
            throw new IllegalArgumentException("a brand needs a service name for the mail subject");
        }
    }

    /** A node's brand: the standard greeting and signature, the node's sender. */
    public Brand(String serviceName, String desk, String portal) {
        this(serviceName, desk, portal, "お客様各位", """
                ご不明な点は %s までお問い合わせください。
                このメールは送信専用です。24時間自動で送信しています。
                %s""".formatted(desk, serviceName), Optional.empty());
    }

    /**
     * The brand of an edition's mail (docs/edition-sdk.md): its service name, its desk, its
     * greeting and signature with the placeholders filled, its sender; its portal, else the node's.
     */
    public static Brand of(Edition edition, Brand node) {
        org.omamori.api.edition.Brand b = edition.brand();
        Terms.Desk desk = edition.terms().desk();
        String portal = b.portal().orElse(node.portal());
        Map<String, String> values = Map.of("service", b.service().ja(), "company", b.company().ja(), "portal", portal,
                "desk", desk.name().ja(), "phone", desk.phone(), "hours", desk.hoursJa(), "deskMail", desk.mail());
        return new Brand(b.service().ja(), desk.name().ja() + "（" + desk.phone() + "）", portal,
                MailTemplate.fill(b.mail().greeting(), values), MailTemplate.fill(b.mail().signature(), values),
                Optional.of(new Sender(b.sender().address(), b.sender().name())));
    }

    /** A mail from this brand's sender. */
    public Mail mail(Recipients to, String subject, String body) {
        return new Mail(to, subject, body, from);
    }

    /** The portal's page of one alert: the link in the alert mail (the portal serves {@code alerts/<id>}). */
    public String alertPage(String alertId) {
        return page("alerts/", alertId);
    }

    /** The portal's page of one appliance: the link in the stopped notices ({@code appliances/<12 hex digits>}). */
    public String appliancePage(String applianceId) {
        return page("appliances/", applianceId);
    }

    private String page(String section, String id) {
        return (portal.endsWith("/") ? portal : portal + "/") + section + id;
    }

    /**
     * The brand a cloud home's node mails with: {@code serviceName}, {@code desk} and {@code portal}
     * of {@code etc/org.omamori.monitor.cfg} (UTF-8) where given, the standard edition's otherwise.
     * The CLI and the portal read it so that what they send matches the node's mail.
     */
    public static Brand ofHome(Path home) throws IOException {
        Brand standard = standard();
        Path cfg = home.resolve("etc").resolve("org.omamori.monitor.cfg");
        if (!Files.isRegularFile(cfg)) {
            return standard;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new Brand(p.getProperty("serviceName", standard.serviceName()).strip(),
                p.getProperty("desk", standard.desk()).strip(), p.getProperty("portal", standard.portal()).strip());
    }

    /** The standard edition. */
    public static Brand standard() {
        return new Brand("サイバーセキュリティお助け隊", "お助け隊 相談窓口", "https://portal.omamori.example/");
    }
}
