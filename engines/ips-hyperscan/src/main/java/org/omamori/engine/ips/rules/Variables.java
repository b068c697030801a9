package org.omamori.engine.ips.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The address and port groups rules refer to as {@code $NAME} (Suricata's {@code vars}). Values
 * are written in rule syntax and may refer to other variables ({@code EXTERNAL_NET = !$HOME_NET}).
 * Names are kept without the {@code $}.
 *
 * @param addresses address groups, e.g. {@code HOME_NET -> [10.0.0.0/8,192.168.0.0/16]}
 * @param ports     port groups, e.g. {@code HTTP_PORTS -> [80,8080]}
 */
public record Variables(Map<String, String> addresses, Map<String, String> ports) {

    public Variables {
        addresses = Map.copyOf(addresses);
        ports = Map.copyOf(ports);
    }

    /**
     * Suricata's defaults widened for a small office: the private ranges of RFC 1918 and IPv6
     * unique local addresses are home; servers of every kind are at home; the port groups are
     * those ET Open and the Snort community rules refer to.
     */
    public static Variables defaults() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("HOME_NET", "[10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7]");
        a.put("EXTERNAL_NET", "!$HOME_NET");
        for (String server : new String[] {"HTTP_SERVERS", "SMTP_SERVERS", "SQL_SERVERS", "DNS_SERVERS",
                "TELNET_SERVERS", "DC_SERVERS", "SNMP_SERVERS", "SIP_SERVERS", "FTP_SERVERS", "SSH_SERVERS",
                "DNP3_SERVER", "DNP3_CLIENT", "MODBUS_CLIENT", "MODBUS_SERVER", "ENIP_CLIENT", "ENIP_SERVER"}) {
            a.put(server, "$HOME_NET");
        }
        // Instant-messaging servers are out on the internet, as in Suricata's default.
        a.put("AIM_SERVERS", "$EXTERNAL_NET");

        Map<String, String> p = new LinkedHashMap<>();
        p.put("HTTP_PORTS", "[80,81,591,8000,8008,8080,8088,8888]");
        p.put("SHELLCODE_PORTS", "!80");
        p.put("ORACLE_PORTS", "1521");
        p.put("SSH_PORTS", "22");
        p.put("DNP3_PORTS", "20000");
        p.put("MODBUS_PORTS", "502");
        p.put("FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]");
        p.put("FTP_PORTS", "21");
        p.put("GENEVE_PORTS", "6081");
        p.put("VXLAN_PORTS", "4789");
        p.put("TEREDO_PORTS", "3544");
        p.put("GTP_PORTS", "[2123,2152,3386]");
        p.put("SIP_PORTS", "[5060,5061,5600]");
        p.put("SMTP_PORTS", "[25,465,587]");
        p.put("MAIL_PORTS", "[25,143,465,587,993]");
        return new Variables(a, p);
    }

    /** These variables with one address group set (added or replaced). */
    public Variables withAddress(String name, String value) {
        Map<String, String> a = new LinkedHashMap<>(addresses);
        a.put(strip(name), Objects.requireNonNull(value, "value"));
        return new Variables(a, ports);
    }

    /** These variables with one port group set (added or replaced). */
    public Variables withPort(String name, String value) {
        Map<String, String> p = new LinkedHashMap<>(ports);
        p.put(strip(name), Objects.requireNonNull(value, "value"));
        return new Variables(addresses, p);
    }

    private static String strip(String name) {
        Objects.requireNonNull(name, "name");
        return name.startsWith("$") ? name.substring(1) : name;
    }
}
