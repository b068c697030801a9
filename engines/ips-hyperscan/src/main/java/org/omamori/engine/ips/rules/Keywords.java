package org.omamori.engine.ips.rules;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The option words the parser knows: buffers, ignored options, and what is known but not run (skipped by name). */
final class Keywords {

    private Keywords() {
    }

    /** Sticky buffers (Suricata 5+) and where they look. */
    static final Map<String, Buffer> STICKY = Map.ofEntries(
            Map.entry("http.uri", Buffer.HTTP_URI),
            Map.entry("http.uri.raw", Buffer.HTTP_URI_RAW),
            Map.entry("http.method", Buffer.HTTP_METHOD),
            Map.entry("http.header", Buffer.HTTP_HEADER),
            Map.entry("http.host", Buffer.HTTP_HOST),
            Map.entry("http.host.raw", Buffer.HTTP_HOST_RAW),
            Map.entry("http.user_agent", Buffer.HTTP_USER_AGENT),
            Map.entry("http.request_body", Buffer.HTTP_REQUEST_BODY),
            Map.entry("http.response_body", Buffer.HTTP_RESPONSE_BODY),
            Map.entry("file.data", Buffer.HTTP_RESPONSE_BODY),
            Map.entry("file_data", Buffer.HTTP_RESPONSE_BODY),
            Map.entry("dns.query", Buffer.DNS_QUERY),
            Map.entry("tls.sni", Buffer.TLS_SNI),
            // Suricata's older names of the same sticky buffers: they come before the content
            // ("dns_query; content:..."), unlike the Snort-style modifiers below.
            Map.entry("dns_query", Buffer.DNS_QUERY),
            Map.entry("tls_sni", Buffer.TLS_SNI),
            Map.entry("pkt_data", Buffer.RAW),
            Map.entry("http.cookie", Buffer.HTTP_COOKIE),
            Map.entry("http.header_names", Buffer.HTTP_HEADER_NAMES),
            Map.entry("http.accept", Buffer.HTTP_ACCEPT),
            Map.entry("http.accept_lang", Buffer.HTTP_ACCEPT_LANG),
            Map.entry("http.accept_enc", Buffer.HTTP_ACCEPT_ENC),
            Map.entry("http.referer", Buffer.HTTP_REFERER),
            Map.entry("http.connection", Buffer.HTTP_CONNECTION),
            Map.entry("http.content_type", Buffer.HTTP_CONTENT_TYPE),
            Map.entry("http.content_len", Buffer.HTTP_CONTENT_LEN),
            Map.entry("http.request_line", Buffer.HTTP_REQUEST_LINE),
            Map.entry("http.protocol", Buffer.HTTP_PROTOCOL),
            Map.entry("http.start", Buffer.HTTP_START),
            Map.entry("http.header.raw", Buffer.HTTP_RAW_HEADER),
            Map.entry("http.stat_code", Buffer.HTTP_STAT_CODE),
            Map.entry("http.stat_msg", Buffer.HTTP_STAT_MSG),
            Map.entry("http.response_line", Buffer.HTTP_RESPONSE_LINE),
            Map.entry("http.server", Buffer.HTTP_SERVER),
            Map.entry("http.location", Buffer.HTTP_LOCATION),
            Map.entry("tls.cert_subject", Buffer.TLS_CERT_SUBJECT),
            Map.entry("tls.cert_issuer", Buffer.TLS_CERT_ISSUER),
            Map.entry("tls.cert_serial", Buffer.TLS_CERT_SERIAL),
            Map.entry("tls.cert_fingerprint", Buffer.TLS_CERT_FINGERPRINT),
            Map.entry("tls.certs", Buffer.TLS_CERTS),
            Map.entry("ja3.hash", Buffer.JA3_HASH),
            Map.entry("ja3.string", Buffer.JA3_STRING),
            Map.entry("ja3s.hash", Buffer.JA3S_HASH),
            Map.entry("ja3s.string", Buffer.JA3S_STRING),
            Map.entry("ja3_hash", Buffer.JA3_HASH),
            Map.entry("ja3_string", Buffer.JA3_STRING),
            Map.entry("ja3s_hash", Buffer.JA3S_HASH),
            Map.entry("ja3s_string", Buffer.JA3S_STRING),
            Map.entry("tls_cert_subject", Buffer.TLS_CERT_SUBJECT),
            Map.entry("tls_cert_issuer", Buffer.TLS_CERT_ISSUER),
            Map.entry("tls_cert_serial", Buffer.TLS_CERT_SERIAL),
            Map.entry("tls_cert_fingerprint", Buffer.TLS_CERT_FINGERPRINT),
            // Suricata 4's names of the header buffers above: sticky as well, unlike http_cookie & co.
            Map.entry("http_header_names", Buffer.HTTP_HEADER_NAMES),
            Map.entry("http_accept", Buffer.HTTP_ACCEPT),
            Map.entry("http_accept_lang", Buffer.HTTP_ACCEPT_LANG),
            Map.entry("http_accept_enc", Buffer.HTTP_ACCEPT_ENC),
            Map.entry("http_referer", Buffer.HTTP_REFERER),
            Map.entry("http_connection", Buffer.HTTP_CONNECTION),
            Map.entry("http_content_type", Buffer.HTTP_CONTENT_TYPE),
            Map.entry("http_content_len", Buffer.HTTP_CONTENT_LEN),
            Map.entry("http_request_line", Buffer.HTTP_REQUEST_LINE),
            Map.entry("http_response_line", Buffer.HTTP_RESPONSE_LINE),
            Map.entry("http_protocol", Buffer.HTTP_PROTOCOL),
            Map.entry("http_start", Buffer.HTTP_START));

    /** Snort-style modifiers: move the content just before them into a buffer. */
    static final Map<String, Buffer> MODIFIERS = Map.ofEntries(
            Map.entry("http_uri", Buffer.HTTP_URI),
            Map.entry("http_raw_uri", Buffer.HTTP_URI_RAW),
            Map.entry("http_method", Buffer.HTTP_METHOD),
            Map.entry("http_header", Buffer.HTTP_HEADER),
            Map.entry("http_host", Buffer.HTTP_HOST),
            Map.entry("http_raw_host", Buffer.HTTP_HOST_RAW),
            Map.entry("http_user_agent", Buffer.HTTP_USER_AGENT),
            Map.entry("http_client_body", Buffer.HTTP_REQUEST_BODY),
            Map.entry("http_server_body", Buffer.HTTP_RESPONSE_BODY),
            Map.entry("http_cookie", Buffer.HTTP_COOKIE),
            Map.entry("http_raw_header", Buffer.HTTP_RAW_HEADER),
            Map.entry("http_stat_code", Buffer.HTTP_STAT_CODE),
            Map.entry("http_stat_msg", Buffer.HTTP_STAT_MSG));

    static final Set<String> IGNORED = Set.of("gid", "target", "tag", "rawbytes", "prefilter");

    /**
     * Suricata and Snort keywords the engine does not run: a rule using one is skipped under its
     * name. Any other unknown word is a parse error, so that a typo is not silently skipped.
     * Families of dotted sticky buffers are matched by prefix in {@link #knownUnsupported}.
     */
    static final Set<String> UNSUPPORTED = Set.of(
            // payload inspection beyond content/pcre
            "base64_decode", "base64_data", "replace", "dataset", "datarep", "lua", "luajit", "entropy",
            "asn1", "ftpbounce", "pcrexform", "xor", "to_md5", "to_sha1", "to_sha256",
            "to_lowercase", "to_uppercase", "from_base64", "strip_whitespace", "compress_whitespace",
            "url_decode", "header_lowercase", "strip_pseudo_headers", "uricontent_raw",
            "rpc", "sameip", "iprep", "geoip", "fragbits", "fragoffset", "ttl", "tos", "ipopts", "ip_proto",
            "id", "seq", "ack", "window", "flags", "tcp.flags", "tcp.mss", "itype", "icode", "icmp_id", "icmp_seq",
            "stream_size", "flow.age", "flow.pkts", "flow.bytes", "flowint", "hostbits", "pktvar",
            "requires", "config", "bypass", "filestore", "fileext",
            "filename", "filemagic", "filemd5", "filesha1", "filesha256", "filesize", "file.name",
            "file.magic", "app-layer-protocol", "app-layer-event", "app-layer-state", "decode-event",
            "stream-event", "engine-event", "ssl_version", "ssl_state",
            "tls_cert_notbefore", "tls_cert_notafter", "tls_cert_expired", "tls_cert_valid",
            "tls_subject", "tls_issuerdn", "tls_fingerprint", "tls_store", "tls_version",
            "ssh_proto", "ssh_software", "ssh_protoversion", "ssh_softwareversion", "hassh", "hassh_server",
            "hassh_string", "hassh_server_string", "dns_opcode", "dnp3_func", "dnp3_ind", "dnp3_obj",
            "dnp3_data", "modbus", "enip_command", "cip_service", "ftpdata_command", "nfs_procedure",
            "nfs_version", "krb5_msg_type", "krb5_err_code", "krb5_cname", "krb5_sname", "snmp_version",
            "dce_iface", "dce_opnum", "dce_stub_data", "template", "template2", "ike_spi", "http_server", "http_location", "http_encode", "pkt_data_raw",
            "sip_method", "sip_uri", "file_data_raw", "icmpv4.hdr", "icmpv6.hdr",
            "ipv4.hdr", "ipv6.hdr", "tcp.hdr", "udp.hdr", "icmpv6.mtu", "tcp.wscale", "dhcp.leasetime",
            "dhcp.rebinding_time", "dhcp.renewal_time", "transform", "count", "priority_override",
            // Snort 2 keywords seen in rule sets shipped for Suricata
            "cvs", "sd_pattern", "file_type", "service", "appids", "js_data", "bufferlen", "react", "resp",
            "session", "logto", "activates", "activated_by", "pkt_num", "byte_convert", "file_group",
            "http_param", "http_version", "http_trailer", "http_true_ip", "http_raw_body", "http_raw_request",
            "http_raw_status", "script_data", "vba_data", "raw_data", "ber_data", "ber_skip", "gtp_type",
            "gtp_info", "gtp_version", "ssl_sni", "base64");

    static final List<String> UNSUPPORTED_FAMILIES = List.of(
            "http.", "http2.", "tls.", "ja3.", "ja3s.", "ja4.", "dns.", "ssh.", "smb.", "dcerpc.", "krb5.",
            "sip.", "snmp.", "mqtt.", "rfb.", "ike.", "quic.", "file.", "smtp.", "ftp.", "sdp.", "websocket.",
            "pgsql.", "ldap.", "dnp3.", "enip.", "cip.", "modbus.", "nfs.", "rdp.", "dhcp.", "ntp.", "tftp.",
            "email.", "mime.", "frame", "ssl.", "x509.", "bittorrent.", "pop3.", "imap.", "ike_", "krb5_", "smb_",
            "dcerpc_", "sip_", "snmp_", "mqtt_", "rfb_", "tls_", "ssh_", "dnp3_", "http2_", "dns_", "ftp_",
            "quic_", "icmp", "tcp.", "udp.", "ipv4.", "ipv6.", "pkthdr", "ipopts", "ja4", "ja3", "modbus_",
            "http_raw_", "ssl_", "sip_", "dce_", "smtp_", "imap_", "pop_", "s7comm", "opcua", "iec104", "enip_",
            "cip_", "dnp3", "mms_", "netflow", "app-layer", "stream_", "flowvar", "pktvar", "hostbits");


    static boolean isKnown(String name) {
        return switch (name) {
            case "msg", "sid", "rev", "classtype", "priority", "reference", "metadata", "content", "uricontent",
                 "nocase", "offset", "depth", "distance", "within", "fast_pattern", "startswith", "pcre", "flow",
                 "flowbits", "noalert", "endswith", "dotprefix", "bsize", "dsize", "urilen", "isdataat", "byte_test",
                 "byte_jump", "byte_extract", "byte_math", "threshold", "detection_filter", "xbits" -> true;
            default -> IGNORED.contains(name) || STICKY.containsKey(name) || MODIFIERS.containsKey(name)
                    || knownUnsupported(name);
        };
    }

    static boolean knownUnsupported(String name) {
        if (UNSUPPORTED.contains(name)) {
            return true;
        }
        for (String family : UNSUPPORTED_FAMILIES) {
            if (name.startsWith(family)) {
                return true;
            }
        }
        return false;
    }
}
