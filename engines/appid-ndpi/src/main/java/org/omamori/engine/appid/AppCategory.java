package org.omamori.engine.appid;

import java.util.Locale;
import java.util.Map;

/**
 * The fixed categories applications are reported in (the cloud and portal know exactly these),
 * and the mapping of nDPI's categories and of some protocols into them. The table is documented
 * in docs/application-identification.md: change both together.
 */
enum AppCategory {
    BUSINESS, VIDEO, MUSIC, MESSAGING, VOIP, SOCIAL, FILE_SHARING, CLOUD_STORAGE, EMAIL, REMOTE_ACCESS, VPN, GAME,
    SHOPPING, SOFTWARE_UPDATE, NETWORK, WEB, OTHER;

    /** nDPI 4.2's category names (ndpi_category_get_name) to ours. */
    private static final Map<String, AppCategory> BY_NDPI_CATEGORY = Map.ofEntries(
            Map.entry("Media", VIDEO), Map.entry("Video", VIDEO), Map.entry("Streaming", VIDEO),
            Map.entry("Music", MUSIC),
            Map.entry("VPN", VPN),
            Map.entry("Email", EMAIL),
            Map.entry("DataTransfer", FILE_SHARING), Map.entry("Download", FILE_SHARING), Map.entry("FileSharing", FILE_SHARING),
            Map.entry("Web", WEB),
            Map.entry("SocialNetwork", SOCIAL),
            Map.entry("Game", GAME),
            Map.entry("Chat", MESSAGING),
            Map.entry("VoIP", VOIP),
            Map.entry("Database", BUSINESS), Map.entry("Collaborative", BUSINESS), Map.entry("Productivity", BUSINESS),
            Map.entry("RemoteAccess", REMOTE_ACCESS),
            Map.entry("Cloud", CLOUD_STORAGE),
            Map.entry("Network", NETWORK), Map.entry("RPC", NETWORK), Map.entry("System", NETWORK),
            Map.entry("ConnCheck", NETWORK),
            Map.entry("SoftwareUpdate", SOFTWARE_UPDATE),
            Map.entry("Shopping", SHOPPING));

    /**
     * Protocols whose nDPI category is too coarse or wrong for an office's report, by nDPI's
     * protocol name; and the applications the bundle's own host rules add (their category is the
     * carrier's, e.g. Web).
     */
    private static final Map<String, AppCategory> BY_PROTOCOL = Map.ofEntries(
            // The bundle's host rules (omamori-protocols.txt).
            Map.entry("LINE", MESSAGING), Map.entry("Chatwork", MESSAGING), Map.entry("Cybozu", BUSINESS),
            // Meetings: nDPI files Zoom under Video and Webex under Collaborative; an office calls them calls.
            Map.entry("Zoom", VOIP), Map.entry("Webex", VOIP), Map.entry("Skype_Teams", VOIP),
            Map.entry("SkypeCall", VOIP),
            // Storage services nDPI files under Web or Cloud with the rest of their vendor.
            Map.entry("GoogleDrive", CLOUD_STORAGE), Map.entry("MS_OneDrive", CLOUD_STORAGE),
            Map.entry("AppleiCloud", CLOUD_STORAGE),
            // Carriers and infrastructure: what nDPI names when it knows nothing more specific.
            Map.entry("HTTP", WEB), Map.entry("TLS", WEB), Map.entry("QUIC", WEB), Map.entry("HTTP_Proxy", WEB),
            Map.entry("DNS", NETWORK), Map.entry("NTP", NETWORK), Map.entry("DHCP", NETWORK), Map.entry("ICMP", NETWORK),
            Map.entry("SMTP", EMAIL), Map.entry("SMTPS", EMAIL), Map.entry("IMAP", EMAIL), Map.entry("IMAPS", EMAIL),
            Map.entry("POP3", EMAIL), Map.entry("POPS", EMAIL),
            Map.entry("FTP_CONTROL", FILE_SHARING), Map.entry("FTP_DATA", FILE_SHARING));

    /** The protocol names the mapping speaks of (for the test that nDPI has them all). */
    static java.util.Set<String> protocolsMapped() {
        return BY_PROTOCOL.keySet();
    }

    /** nDPI category names the mapping speaks of. */
    static java.util.Set<String> categoriesMapped() {
        return BY_NDPI_CATEGORY.keySet();
    }

    /** The category's id as reported: lower case with dashes, e.g. {@code file-sharing}. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Ours for an application nDPI named {@code protocol} and filed under {@code ndpiCategory}. */
    static AppCategory of(String protocol, String ndpiCategory) {
        AppCategory byProtocol = BY_PROTOCOL.get(protocol);
        if (byProtocol != null) {
            return byProtocol;
        }
        return BY_NDPI_CATEGORY.getOrDefault(ndpiCategory, OTHER);
    }
}
