package org.omamori.notify;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;

/**
 * Who the mail comes from, as the customer knows the service: the standard edition or a
 * reseller's (docs/notify.md).
 *
 * @param serviceName the service's name in subjects and bodies, e.g. {@code サイバーセキュリティお助け隊}
 * @param desk        where the customer asks for help, e.g. {@code お助け隊 相談窓口 0120-000-000（24時間受付）}
 * @param portal      the portal's address, shown so the customer can look at the details
 */
public record Brand(String serviceName, String desk, String portal) {

    public Brand {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(desk, "desk");
        Objects.requireNonNull(portal, "portal");
        if (serviceName.isBlank()) {
            throw new IllegalArgumentException("a brand needs a service name for the mail subject");
        }
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
