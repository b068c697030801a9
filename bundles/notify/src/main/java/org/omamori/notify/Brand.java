package org.omamori.notify;

import java.util.Objects;

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

    /** The standard edition. */
    public static Brand standard() {
        return new Brand("サイバーセキュリティお助け隊", "お助け隊 相談窓口", "https://portal.omamori.example/");
    }
}
