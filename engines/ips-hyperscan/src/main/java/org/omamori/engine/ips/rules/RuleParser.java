package org.omamori.engine.ips.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses one rule in the Suricata/Snort syntax:
 * {@code action protocol src sport -> dst dport (option; option:value; ...)}.
 *
 * <p>Three outcomes. A rule that uses only what the engine supports is {@link ParseOutcome.Parsed}.
 * A valid rule that uses anything else that changes what matches or what alerts (byte_test,
 * threshold, an unsupported buffer, protocol or pcre flag, …) is {@link ParseOutcome.Skipped} under
 * the first such keyword, never half understood. A rule that is not valid at all throws
 * {@link RuleParseException} saying why; the parser throws nothing else for any input text.
 *
 * <p>Options accepted but ignored because they change neither matching nor alerting:
 * {@code gid} (we use sid alone), {@code target} (only labels which side is the victim in
 * output), {@code tag} (asks for more packets to be logged; we do not log packets),
 * {@code rawbytes} (a Snort leftover Suricata ignores), {@code prefilter} (a hint which match to
 * pre-filter on; the engine chooses its own).
 *
 * <p>{@code file.data}/{@code file_data} is the body going the rule's way: the response body,
 * or the request body on a {@code to_server} rule (uploads), as in Suricata 6 and later.
 *
 * <p>Bounded for hostile input: a rule of at most {@value #MAX_RULE_LENGTH} characters, at most
 * {@value #MAX_OPTIONS} options, contents of at most {@value #MAX_CONTENT_LENGTH} bytes, address
 * and port lists nested at most {@value GroupParser#MAX_DEPTH} deep. All scanning is by hand,
 * linear in the text; no regular expression is used.
 *
 * <p>Thread-safe.
 */
public final class RuleParser {

    public static final int MAX_RULE_LENGTH = 64 * 1024;
    public static final int MAX_OPTIONS = 256;
    public static final int MAX_CONTENT_LENGTH = 64 * 1024;

    /** Sticky buffers (Suricata 5+) and where they look. */
    private static final Map<String, Buffer> STICKY = Map.ofEntries(
            Map.entry("http.uri", Buffer.HTTP_URI),
            Map.entry("http.uri.raw", Buffer.HTTP_URI_RAW),
            Map.entry("http.method", Buffer.HTTP_METHOD),
            Map.entry("http.header", Buffer.HTTP_HEADER),
            Map.entry("http.host", Buffer.HTTP_HOST),
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
            Map.entry("pkt_data", Buffer.RAW));

    /** Snort-style modifiers: move the content just before them into a buffer. */
    private static final Map<String, Buffer> MODIFIERS = Map.ofEntries(
            Map.entry("http_uri", Buffer.HTTP_URI),
            Map.entry("http_raw_uri", Buffer.HTTP_URI_RAW),
            Map.entry("http_method", Buffer.HTTP_METHOD),
            Map.entry("http_header", Buffer.HTTP_HEADER),
            Map.entry("http_host", Buffer.HTTP_HOST),
            Map.entry("http_user_agent", Buffer.HTTP_USER_AGENT),
            Map.entry("http_client_body", Buffer.HTTP_REQUEST_BODY),
            Map.entry("http_server_body", Buffer.HTTP_RESPONSE_BODY));

    private static final Set<String> IGNORED = Set.of("gid", "target", "tag", "rawbytes", "prefilter");

    /**
     * Suricata and Snort keywords the engine does not run: a rule using one is skipped under its
     * name. Any other unknown word is a parse error, so that a typo is not silently skipped.
     * Families of dotted sticky buffers are matched by prefix in {@link #knownUnsupported}.
     */
    private static final Set<String> UNSUPPORTED = Set.of(
            // payload inspection beyond content/pcre
            "byte_test", "byte_jump", "byte_extract", "byte_math", "isdataat", "dsize", "bsize", "urilen",
            "base64_decode", "base64_data", "replace", "dataset", "datarep", "lua", "luajit", "entropy",
            "endswith", "asn1", "ftpbounce", "pcrexform", "xor", "to_md5", "to_sha1", "to_sha256",
            "to_lowercase", "to_uppercase", "from_base64", "strip_whitespace", "compress_whitespace",
            "url_decode", "dotprefix", "header_lowercase", "strip_pseudo_headers", "uricontent_raw",
            "rpc", "sameip", "iprep", "geoip", "fragbits", "fragoffset", "ttl", "tos", "ipopts", "ip_proto",
            "id", "seq", "ack", "window", "flags", "tcp.flags", "tcp.mss", "itype", "icode", "icmp_id", "icmp_seq",
            "stream_size", "flow.age", "flow.pkts", "flow.bytes", "flowint", "xbits", "hostbits", "pktvar",
            "threshold", "detection_filter", "requires", "config", "bypass", "filestore", "fileext",
            "filename", "filemagic", "filemd5", "filesha1", "filesha256", "filesize", "file.name",
            "file.magic", "app-layer-protocol", "app-layer-event", "app-layer-state", "decode-event",
            "stream-event", "engine-event", "ssl_version", "ssl_state", "ja3_hash", "ja3_string",
            "tls_cert_subject", "tls_cert_issuer", "tls_cert_serial", "tls_cert_fingerprint",
            "tls_cert_notbefore", "tls_cert_notafter", "tls_cert_expired", "tls_cert_valid",
            "tls_subject", "tls_issuerdn", "tls_fingerprint", "tls_store", "tls_version",
            "ssh_proto", "ssh_software", "ssh_protoversion", "ssh_softwareversion", "hassh", "hassh_server",
            "hassh_string", "hassh_server_string", "dns_opcode", "dnp3_func", "dnp3_ind", "dnp3_obj",
            "dnp3_data", "modbus", "enip_command", "cip_service", "ftpdata_command", "nfs_procedure",
            "nfs_version", "krb5_msg_type", "krb5_err_code", "krb5_cname", "krb5_sname", "snmp_version",
            "dce_iface", "dce_opnum", "dce_stub_data", "template", "template2", "ike_spi", "http_cookie",
            "http_raw_header", "http_raw_host", "http_stat_code", "http_stat_msg", "http_request_line",
            "http_response_line", "http_header_names", "http_accept", "http_accept_lang",
            "http_accept_enc", "http_referer", "http_connection", "http_content_type", "http_content_len",
            "http_start", "http_protocol", "http_server", "http_location", "http_encode", "pkt_data_raw",
            "sip_method", "sip_uri", "ja3s_hash", "ja3s_string", "file_data_raw", "icmpv4.hdr", "icmpv6.hdr",
            "ipv4.hdr", "ipv6.hdr", "tcp.hdr", "udp.hdr", "icmpv6.mtu", "tcp.wscale", "dhcp.leasetime",
            "dhcp.rebinding_time", "dhcp.renewal_time", "transform", "count", "priority_override",
            // Snort 2 keywords seen in rule sets shipped for Suricata
            "cvs", "sd_pattern", "file_type", "service", "appids", "js_data", "bufferlen", "react", "resp",
            "session", "logto", "activates", "activated_by", "pkt_num", "byte_convert", "file_group",
            "http_param", "http_version", "http_trailer", "http_true_ip", "http_raw_body", "http_raw_request",
            "http_raw_status", "script_data", "vba_data", "raw_data", "ber_data", "ber_skip", "gtp_type",
            "gtp_info", "gtp_version", "ssl_sni", "base64");

    private static final List<String> UNSUPPORTED_FAMILIES = List.of(
            "http.", "http2.", "tls.", "ja3.", "ja3s.", "ja4.", "dns.", "ssh.", "smb.", "dcerpc.", "krb5.",
            "sip.", "snmp.", "mqtt.", "rfb.", "ike.", "quic.", "file.", "smtp.", "ftp.", "sdp.", "websocket.",
            "pgsql.", "ldap.", "dnp3.", "enip.", "cip.", "modbus.", "nfs.", "rdp.", "dhcp.", "ntp.", "tftp.",
            "email.", "mime.", "frame", "ssl.", "x509.", "bittorrent.", "pop3.", "imap.", "ike_", "krb5_", "smb_",
            "dcerpc_", "sip_", "snmp_", "mqtt_", "rfb_", "tls_", "ssh_", "dnp3_", "http2_", "dns_", "ftp_",
            "quic_", "icmp", "tcp.", "udp.", "ipv4.", "ipv6.", "pkthdr", "ipopts", "ja4", "ja3", "modbus_",
            "http_raw_", "ssl_", "sip_", "dce_", "smtp_", "imap_", "pop_", "s7comm", "opcua", "iec104", "enip_",
            "cip_", "dnp3", "mms_", "netflow", "app-layer", "stream_", "flowvar", "pktvar", "hostbits", "xbits");

    private final Variables variables;
    private final AddressParser addresses;
    private final PortParser ports;

    public RuleParser(Variables variables) {
        this.variables = Objects.requireNonNull(variables, "variables");
        this.addresses = new AddressParser(variables);
        this.ports = new PortParser(variables);
    }

    public Variables variables() {
        return variables;
    }

    /**
     * Parses one rule, already joined from its continuation lines and without its comment mark.
     *
     * @param ruleText the rule
     * @param file     where it was read, for messages and {@link Rule#origin()}
     * @param line     the 1-based line it starts on
     * @throws RuleParseException the text is not a valid rule; says where and why
     */
    public ParseOutcome parse(String ruleText, String file, int line) throws RuleParseException {
        Objects.requireNonNull(ruleText, "ruleText");
        try {
            return parse(ruleText, new Rule.Origin(Objects.requireNonNull(file, "file"), line));
        } catch (RuleSyntaxError e) {
            throw new RuleParseException(file, line, e.getMessage());
        }
    }

    /**
     * Parses an address field ({@code [$HOME_NET,!192.0.2.0/24]}) with these variables, as the
     * rule header would: for configuration checks and for fuzzing the address syntax alone.
     */
    public AddressSpec address(String field) throws RuleParseException {
        try {
            synchronized (addresses) {
                return addresses.spec(field);
            }
        } catch (RuleSyntaxError | UnsupportedFeature e) {
            throw new RuleParseException("address", 0, e.getMessage());
        }
    }

    /** Parses a port field ({@code [$HTTP_PORTS,1024:]}) with these variables. */
    public PortSpec port(String field) throws RuleParseException {
        try {
            synchronized (ports) {
                return ports.spec(field);
            }
        } catch (RuleSyntaxError | UnsupportedFeature e) {
            throw new RuleParseException("port", 0, e.getMessage());
        }
    }

    private ParseOutcome parse(String text, Rule.Origin origin) throws RuleSyntaxError {
        if (text.length() > MAX_RULE_LENGTH) {
            throw new RuleSyntaxError("rule longer than " + MAX_RULE_LENGTH + " characters");
        }
        String rule = text.strip();
        if (rule.isEmpty()) {
            throw new RuleSyntaxError("empty rule");
        }
        int open = rule.indexOf('(');
        if (open < 0) {
            throw new RuleSyntaxError("missing '(' before the options");
        }
        if (rule.charAt(rule.length() - 1) != ')') {
            throw new RuleSyntaxError("rule does not end with ')'");
        }
        Draft d = new Draft(origin);
        header(rule.substring(0, open), d);
        List<Option> options = options(rule.substring(open + 1, rule.length() - 1));
        for (Option o : options) {
            if (d.skip == null) {
                try {
                    option(o, d);
                } catch (UnsupportedFeature e) {
                    d.skip = e;
                }
            } else {
                identityOnly(o, d);
            }
        }
        if (d.sid < 0) {
            throw new RuleSyntaxError("missing sid");
        }
        if (d.skip != null) {
            return new ParseOutcome.Skipped(d.skip.keyword(), "sid " + d.sid + ": " + d.skip.getMessage());
        }
        return new ParseOutcome.Parsed(d.build());
    }

    // ---- header ------------------------------------------------------------------------------

    private void header(String header, Draft d) throws RuleSyntaxError {
        List<String> f = headerFields(header);
        if (f.size() != 7) {
            throw new RuleSyntaxError("header needs 7 fields (action protocol source port direction destination port), found "
                    + f.size() + ": '" + GroupParser.clip(header.strip()) + "'");
        }
        String action = f.get(0);
        switch (action) {
            case "alert" -> d.action = RuleAction.ALERT;
            case "drop" -> d.action = RuleAction.DROP;
            case "reject" -> d.action = RuleAction.REJECT;
            case "pass" -> d.action = RuleAction.PASS;
            case "rejectsrc", "rejectdst", "rejectboth", "sdrop", "config", "log", "activate", "dynamic" ->
                    d.skipIfFirst(new UnsupportedFeature("action:" + action, "action " + action + " is not supported"));
            default -> throw new RuleSyntaxError("unknown action '" + GroupParser.clip(action) + "'");
        }
        String protocol = f.get(1).toLowerCase(Locale.ROOT);
        switch (protocol) {
            case "tcp" -> d.protocol = RuleProtocol.TCP;
            case "udp" -> d.protocol = RuleProtocol.UDP;
            case "ip" -> d.protocol = RuleProtocol.IP;
            case "http", "http1" -> d.protocol = RuleProtocol.HTTP;
            case "dns" -> d.protocol = RuleProtocol.DNS;
            case "tls" -> d.protocol = RuleProtocol.TLS;
            default -> {
                if (!isWord(protocol)) {
                    throw new RuleSyntaxError("bad protocol '" + GroupParser.clip(protocol) + "'");
                }
                d.skipIfFirst(new UnsupportedFeature("protocol:" + protocol, "protocol " + protocol + " is not supported"));
            }
        }
        switch (f.get(4)) {
            case "->" -> d.bidirectional = false;
            case "<>" -> d.bidirectional = true;
            default -> throw new RuleSyntaxError("bad direction '" + GroupParser.clip(f.get(4)) + "', expected '->' or '<>'");
        }
        try {
            synchronized (addresses) {
                d.source = field("source address", f.get(2), addresses::spec);
                d.destination = field("destination address", f.get(5), addresses::spec);
            }
            synchronized (ports) {
                d.sourcePorts = field("source port", f.get(3), ports::spec);
                d.destinationPorts = field("destination port", f.get(6), ports::spec);
            }
        } catch (UnsupportedFeature e) {
            d.skipIfFirst(e);
            // Keep the record whole for the parts that did parse; the rule is skipped anyway.
        }
    }

    private interface FieldParser<T> {
        T parse(String field) throws RuleSyntaxError, UnsupportedFeature;
    }

    private static <T> T field(String name, String text, FieldParser<T> parser) throws RuleSyntaxError, UnsupportedFeature {
        try {
            return parser.parse(text);
        } catch (RuleSyntaxError e) {
            throw new RuleSyntaxError(name + ": " + e.getMessage());
        }
    }

    /** Splits the header on spaces outside brackets: lists may be written {@code [1.2.3.4, 5.6.7.8]}. */
    private static List<String> headerFields(String header) {
        List<String> fields = new ArrayList<>(7);
        int depth = 0;
        int start = -1;
        for (int i = 0; i < header.length() && fields.size() <= 8; i++) {
            char c = header.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']' && depth > 0) {
                depth--;
            }
            boolean space = Character.isWhitespace(c) && depth == 0;
            if (!space && start < 0) {
                start = i;
            } else if (space && start >= 0) {
                fields.add(header.substring(start, i));
                start = -1;
            }
        }
        if (start >= 0 && fields.size() <= 8) {
            fields.add(header.substring(start));
        }
        return fields;
    }

    // ---- options -----------------------------------------------------------------------------

    private record Option(String name, String value) {
        String label() {
            return name;
        }
    }

    /**
     * Splits {@code name; name:value; ...}. A value ends at the first {@code ;} not escaped as
     * {@code \;}, quotes or not, as in Suricata: a pcre may hold a bare {@code "}, while a
     * {@code ;} in a message must be escaped. The last option may omit its {@code ;}.
     */
    private static List<Option> options(String body) throws RuleSyntaxError {
        List<Option> options = new ArrayList<>();
        int n = body.length();
        int i = 0;
        while (true) {
            while (i < n && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return options;
            }
            if (options.size() == MAX_OPTIONS) {
                throw new RuleSyntaxError("more than " + MAX_OPTIONS + " options");
            }
            int start = i;
            while (i < n && body.charAt(i) != ':' && body.charAt(i) != ';' && !Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            String name = body.substring(start, i).toLowerCase(Locale.ROOT);
            if (name.isEmpty() || !isOptionName(name)) {
                throw new RuleSyntaxError("bad option name '" + GroupParser.clip(body.substring(start, Math.min(n, Math.max(i, start + 1)))) + "'");
            }
            while (i < n && Character.isWhitespace(body.charAt(i))) {
                i++;
            }
            if (i == n) {
                options.add(new Option(name, null));
                return options;
            }
            char c = body.charAt(i);
            if (c == ';') {
                options.add(new Option(name, null));
                i++;
                continue;
            }
            if (c != ':') {
                throw new RuleSyntaxError(name + ": expected ':' or ';' after the option name");
            }
            i++;
            int valueStart = i;
            while (i < n) {
                char v = body.charAt(i);
                if (v == '\\') {
                    i += 2;
                    continue;
                }
                if (v == ';') {
                    break;
                }
                i++;
            }
            String value = body.substring(valueStart, Math.min(i, n)).strip();
            options.add(new Option(name, value));
            i++;
        }
    }

    private static boolean isOptionName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWord(String s) {
        if (s.isEmpty() || s.length() > 32) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** After a skip: read only what names the rule, but still refuse words that are no option. */
    private static void identityOnly(Option o, Draft d) throws RuleSyntaxError {
        switch (o.name()) {
            case "sid" -> d.sid(o);
            case "rev" -> d.rev = intValue(o, 0, Integer.MAX_VALUE);
            case "msg" -> d.msg = text(o);
            default -> {
                if (!isKnown(o.name())) {
                    throw new RuleSyntaxError("unknown option '" + o.name() + "'");
                }
            }
        }
    }

    private static boolean isKnown(String name) {
        return switch (name) {
            case "msg", "sid", "rev", "classtype", "priority", "reference", "metadata", "content", "uricontent",
                 "nocase", "offset", "depth", "distance", "within", "fast_pattern", "startswith", "pcre", "flow",
                 "flowbits", "noalert" -> true;
            default -> IGNORED.contains(name) || STICKY.containsKey(name) || MODIFIERS.containsKey(name)
                    || knownUnsupported(name);
        };
    }

    private static boolean knownUnsupported(String name) {
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

    private void option(Option o, Draft d) throws RuleSyntaxError, UnsupportedFeature {
        String name = o.name();
        switch (name) {
            case "msg" -> d.msg = text(o);
            case "sid" -> d.sid(o);
            case "rev" -> d.rev = intValue(o, 0, Integer.MAX_VALUE);
            case "classtype" -> {
                String v = required(o);
                if (!isWord(v.toLowerCase(Locale.ROOT))) {
                    throw new RuleSyntaxError("classtype: bad name '" + GroupParser.clip(v) + "'");
                }
                d.classtype = v;
            }
            case "priority" -> d.priority = intValue(o, 1, 255);
            case "reference" -> {
                String v = required(o);
                if (v.indexOf(',') <= 0) {
                    throw new RuleSyntaxError("reference: expected type,value but found '" + GroupParser.clip(v) + "'");
                }
                d.references.add(v);
            }
            case "metadata" -> metadata(required(o), d.metadata);
            case "content" -> d.content(content(o, d.buffer), d.fileData);
            case "uricontent" -> d.content(content(o, Buffer.HTTP_URI), false);
            case "nocase" -> {
                noValue(o);
                d.last(name).nocase = true;
            }
            case "offset" -> d.last(name).offset(modifierValue(o, 0, MAX_CONTENT_LENGTH * 16));
            case "depth" -> d.last(name).depth(modifierValue(o, 1, MAX_CONTENT_LENGTH * 16));
            case "distance" -> d.last(name).distance(modifierValue(o, -MAX_CONTENT_LENGTH * 16, MAX_CONTENT_LENGTH * 16));
            case "within" -> d.last(name).within(modifierValue(o, 1, MAX_CONTENT_LENGTH * 16));
            case "startswith" -> {
                noValue(o);
                d.last(name).startsWith();
            }
            case "fast_pattern" -> {
                fastPattern(o);
                d.last(name).fastPattern = true;
            }
            case "pcre" -> d.matches.add(new PcreDraft(MatchValues.pcre(required(o), d.buffer), d.fileData && d.buffer == Buffer.HTTP_RESPONSE_BODY));
            case "flow" -> flow(required(o), d);
            case "flowbits" -> d.flowbits.add(flowbit(required(o)));
            case "noalert" -> {
                noValue(o);
                d.flowbits.add(new Flowbit(Flowbit.Op.NOALERT, ""));
            }
            default -> {
                Buffer sticky = STICKY.get(name);
                if (sticky != null) {
                    noValue(o);
                    d.buffer = sticky;
                    d.fileData = name.equals("file.data") || name.equals("file_data");
                    return;
                }
                Buffer modifier = MODIFIERS.get(name);
                if (modifier != null) {
                    noValue(o);
                    d.last(name).moveTo(modifier, name);
                    return;
                }
                if (IGNORED.contains(name)) {
                    return;
                }
                if (knownUnsupported(name)) {
                    throw new UnsupportedFeature(name, name + " is not supported");
                }
                throw new RuleSyntaxError("unknown option '" + name + "'");
            }
        }
    }

    private static String required(Option o) throws RuleSyntaxError {
        if (o.value() == null || o.value().isEmpty()) {
            throw new RuleSyntaxError(o.name() + ": missing value");
        }
        return o.value();
    }

    private static void noValue(Option o) throws RuleSyntaxError {
        if (o.value() != null) {
            throw new RuleSyntaxError(o.name() + ": takes no value");
        }
    }

    private static int intValue(Option o, int min, int max) throws RuleSyntaxError {
        String v = required(o);
        Long value = number(v);
        if (value == null) {
            throw new RuleSyntaxError(o.name() + ": not a number '" + GroupParser.clip(v) + "'");
        }
        return inRange(o, value, min, max);
    }

    /**
     * A decimal number in {@code [min, max]} for a content modifier, where a name instead stands
     * for a value extracted by {@code byte_extract}, which the engine does not do.
     */
    private static int modifierValue(Option o, int min, int max) throws RuleSyntaxError, UnsupportedFeature {
        String v = required(o);
        Long value = number(v);
        if (value == null) {
            if (isIdentifier(v)) {
                throw new UnsupportedFeature("byte_extract", o.name() + " uses the byte_extract variable " + v);
            }
            throw new RuleSyntaxError(o.name() + ": not a number '" + GroupParser.clip(v) + "'");
        }
        return inRange(o, value, min, max);
    }

    private static int inRange(Option o, long value, int min, int max) throws RuleSyntaxError {
        if (value < min || value > max) {
            throw new RuleSyntaxError(o.name() + ": " + value + " out of range " + min + ".." + max);
        }
        return (int) value;
    }

    /** An optionally signed decimal of at most 10 digits, or null. */
    private static Long number(String v) {
        int i = 0;
        boolean negative = false;
        if (v.charAt(0) == '-' || v.charAt(0) == '+') {
            negative = v.charAt(0) == '-';
            i = 1;
        }
        if (i == v.length() || v.length() - i > 10) {
            return null;
        }
        long value = 0;
        for (; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return negative ? -value : value;
    }

    private static boolean isIdentifier(String v) {
        if (v.isEmpty() || !(Character.isLetter(v.charAt(0)) || v.charAt(0) == '_')) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    /** A text value: quoted or not; backslash escapes ({@code \"}, {@code \;}, {@code \\}) are undone. */
    private static String text(Option o) throws RuleSyntaxError {
        String v = required(o);
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
            v = v.substring(1, v.length() - 1);
        } else if (v.charAt(0) == '"') {
            throw new RuleSyntaxError(o.name() + ": missing closing quote (an unescaped ';' ends the value)");
        }
        StringBuilder out = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                c = v.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** {@code key value, key value}: keys lower case; a key may come more than once. */
    private static void metadata(String value, Map<String, List<String>> metadata) {
        for (String entry : value.split(",", -1)) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int space = indexOfSpace(e);
            String key = (space < 0 ? e : e.substring(0, space)).toLowerCase(Locale.ROOT);
            String v = space < 0 ? "" : e.substring(space + 1).strip();
            metadata.computeIfAbsent(key, k -> new ArrayList<>()).add(v);
        }
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void fastPattern(Option o) throws RuleSyntaxError {
        String v = o.value();
        if (v == null || v.equals("only")) {
            return;
        }
        int comma = v.indexOf(',');
        if (comma > 0 && comma < v.length() - 1 && digits(v.substring(0, comma).strip())
                && digits(v.substring(comma + 1).strip())) {
            return; // fast_pattern:offset,length picks a slice; the engine picks its own
        }
        throw new RuleSyntaxError("fast_pattern: expected nothing, 'only' or 'offset,length' but found '"
                + GroupParser.clip(v) + "'");
    }

    private static boolean digits(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    // ---- content and pcre values: MatchValues -------------------------------------------------

    private static ContentDraft content(Option o, Buffer buffer) throws RuleSyntaxError {
        MatchValues.ContentValue v = MatchValues.content(o.name(), required(o));
        return new ContentDraft(buffer, v.bytes(), v.negated());
    }

    // ---- flow and flowbits -------------------------------------------------------------------

    private static void flow(String value, Draft d) throws RuleSyntaxError, UnsupportedFeature {
        for (String part : value.split(",", -1)) {
            String p = part.strip().toLowerCase(Locale.ROOT);
            switch (p) {
                case "to_server", "from_client" -> d.toServer = true;
                case "to_client", "from_server" -> d.toClient = true;
                case "established" -> d.established = true;
                case "stateless" -> { } // matches whatever the state: the same as no state option
                case "not_established", "only_stream", "no_stream", "only_frag", "no_frag" ->
                        throw new UnsupportedFeature("flow:" + p, "flow:" + p + " is not supported");
                default -> throw new RuleSyntaxError("flow: unknown option '" + GroupParser.clip(p) + "'");
            }
        }
        if (d.toServer && d.toClient) {
            throw new RuleSyntaxError("flow: both to_server and to_client");
        }
    }

    private static Flowbit flowbit(String value) throws RuleSyntaxError, UnsupportedFeature {
        int comma = value.indexOf(',');
        String op = (comma < 0 ? value : value.substring(0, comma)).strip().toLowerCase(Locale.ROOT);
        String name = comma < 0 ? "" : value.substring(comma + 1).strip();
        Flowbit.Op kind = switch (op) {
            case "set" -> Flowbit.Op.SET;
            case "unset" -> Flowbit.Op.UNSET;
            case "toggle" -> Flowbit.Op.TOGGLE;
            case "isset" -> Flowbit.Op.ISSET;
            case "isnotset" -> Flowbit.Op.ISNOTSET;
            case "noalert" -> Flowbit.Op.NOALERT;
            default -> throw new RuleSyntaxError("flowbits: unknown operation '" + GroupParser.clip(op) + "'");
        };
        if (kind == Flowbit.Op.NOALERT) {
            if (!name.isEmpty()) {
                throw new RuleSyntaxError("flowbits: noalert takes no name");
            }
            return new Flowbit(kind, "");
        }
        if (name.isEmpty()) {
            throw new RuleSyntaxError("flowbits: " + op + " needs a name");
        }
        if (name.indexOf('&') >= 0 || name.indexOf('|') >= 0) {
            throw new UnsupportedFeature("flowbits-group", "flowbits on a group of names is not supported");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-'))) {
                throw new RuleSyntaxError("flowbits: bad name '" + GroupParser.clip(name) + "'");
            }
        }
        return new Flowbit(kind, name);
    }

    // ---- drafts ------------------------------------------------------------------------------

    /** A content while its modifiers are still coming. */
    private static final class ContentDraft {
        Buffer buffer;
        final byte[] bytes;
        final boolean negated;
        boolean nocase;
        boolean fastPattern;
        boolean fileData;
        OptionalInt offset = OptionalInt.empty();
        OptionalInt depth = OptionalInt.empty();
        OptionalInt distance = OptionalInt.empty();
        OptionalInt within = OptionalInt.empty();
        boolean moved;

        ContentDraft(Buffer buffer, byte[] bytes, boolean negated) {
            this.buffer = buffer;
            this.bytes = bytes;
            this.negated = negated;
        }

        void offset(int v) throws RuleSyntaxError {
            absolute("offset");
            offset = once("offset", offset, v);
        }

        void depth(int v) throws RuleSyntaxError {
            absolute("depth");
            depth = once("depth", depth, v);
        }

        void distance(int v) throws RuleSyntaxError {
            relative("distance");
            distance = once("distance", distance, v);
        }

        void within(int v) throws RuleSyntaxError {
            relative("within");
            within = once("within", within, v);
        }

        /** {@code startswith}: the content is at the start of its buffer. */
        void startsWith() throws RuleSyntaxError {
            if (offset.isPresent() || depth.isPresent() || distance.isPresent() || within.isPresent()) {
                throw new RuleSyntaxError("startswith: cannot be combined with offset, depth, distance or within");
            }
            offset = OptionalInt.of(0);
            depth = OptionalInt.of(bytes.length);
        }

        void moveTo(Buffer target, String modifier) throws RuleSyntaxError {
            if (buffer == target) {
                return; // "content:x; http_host; http_host;" occurs in ET Open and Suricata accepts it
            }
            if (moved) {
                throw new RuleSyntaxError(modifier + ": the content before it is already in another buffer");
            }
            // After a sticky buffer the modifier wins for its content, as in Snort
            // ("file_data; content:a; content:b; http_header;" puts b in the headers).
            buffer = target;
            moved = true;
            fileData = false;
        }

        private void absolute(String name) throws RuleSyntaxError {
            if (distance.isPresent() || within.isPresent()) {
                throw new RuleSyntaxError(name + ": cannot be combined with distance or within on the same content");
            }
        }

        private void relative(String name) throws RuleSyntaxError {
            if (offset.isPresent() || depth.isPresent()) {
                throw new RuleSyntaxError(name + ": cannot be combined with offset or depth on the same content");
            }
        }

        private static OptionalInt once(String name, OptionalInt old, int v) throws RuleSyntaxError {
            if (old.isPresent()) {
                throw new RuleSyntaxError(name + ": given twice for the same content");
            }
            return OptionalInt.of(v);
        }

        Content build(boolean toServer) {
            Buffer b = fileData && toServer ? Buffer.HTTP_REQUEST_BODY : buffer;
            return new Content(b, bytes, negated, nocase, offset, depth, distance, within, fastPattern);
        }
    }

    /** A pcre and whether it came from {@code file.data}, whose direction is known only at the end. */
    private record PcreDraft(Pcre pcre, boolean fileData) {
        Pcre build(boolean toServer) {
            Pcre p = pcre;
            return fileData && toServer
                    ? new Pcre(Buffer.HTTP_REQUEST_BODY, p.pattern(), p.negated(), p.caseless(), p.dotAll(),
                            p.multiline(), p.extended(), p.relative())
                    : p;
        }
    }

    /** A rule while its options are read. */
    private static final class Draft {
        final Rule.Origin origin;
        UnsupportedFeature skip;
        RuleAction action = RuleAction.ALERT;
        RuleProtocol protocol = RuleProtocol.IP;
        AddressSpec source = AddressSpec.ANY;
        AddressSpec destination = AddressSpec.ANY;
        PortSpec sourcePorts = PortSpec.ANY;
        PortSpec destinationPorts = PortSpec.ANY;
        boolean bidirectional;
        long sid = -1;
        int rev = 1;
        String msg = "";
        String classtype = "";
        int priority;
        final List<String> references = new ArrayList<>();
        final Map<String, List<String>> metadata = new LinkedHashMap<>();
        final List<Object> matches = new ArrayList<>();
        final List<Flowbit> flowbits = new ArrayList<>();
        boolean toServer;
        boolean toClient;
        boolean established;
        Buffer buffer = Buffer.RAW;
        boolean fileData;
        ContentDraft last;

        Draft(Rule.Origin origin) {
            this.origin = origin;
        }

        void skipIfFirst(UnsupportedFeature e) {
            if (skip == null) {
                skip = e;
            }
        }

        void sid(Option o) throws RuleSyntaxError {
            String v = required(o);
            long value = 0;
            if (v.length() > 10) {
                throw new RuleSyntaxError("sid: not a number '" + GroupParser.clip(v) + "'");
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < '0' || c > '9') {
                    throw new RuleSyntaxError("sid: not a number '" + GroupParser.clip(v) + "'");
                }
                value = value * 10 + (c - '0');
            }
            if (value < 1 || value > 0xFFFF_FFFFL) {
                throw new RuleSyntaxError("sid: " + value + " out of range 1..4294967295");
            }
            if (sid >= 0) {
                throw new RuleSyntaxError("sid: given twice");
            }
            sid = value;
        }

        void content(ContentDraft c, boolean fromFileData) {
            c.fileData = fromFileData;
            matches.add(c);
            last = c;
        }

        ContentDraft last(String modifier) throws RuleSyntaxError {
            if (last == null) {
                throw new RuleSyntaxError(modifier + ": no content before it");
            }
            return last;
        }

        Rule build() {
            List<Match> built = new ArrayList<>(matches.size());
            for (Object m : matches) {
                built.add(m instanceof ContentDraft c ? c.build(toServer) : ((PcreDraft) m).build(toServer));
            }
            return new Rule(action, protocol, source, sourcePorts, bidirectional, destination, destinationPorts,
                    sid, rev, msg, classtype, priority, references, freeze(metadata), built,
                    new Flow(toServer, toClient, established), flowbits, origin);
        }

        private static Map<String, List<String>> freeze(Map<String, List<String>> m) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, List.copyOf(v)));
            return out;
        }
    }
}
