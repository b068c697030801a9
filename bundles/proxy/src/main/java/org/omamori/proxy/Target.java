package org.omamori.proxy;

import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * Where a request goes: host, port and the origin-form path with query.
 *
 * @param host host name (lower case) or IP literal (IPv6 without brackets)
 * @param port TCP port
 * @param path origin-form target, starting with {@code /}
 */
record Target(String host, int port, String path) {

    /** The URL the engines and the events see. */
    String url() {
        // one concatenation per case: the nested one made a String for the port first
        boolean v6 = host.indexOf(':') >= 0;
        if (port == 80) {
            return v6 ? "http://[" + host + "]" + path : "http://" + host + path;
        }
        return v6 ? "http://[" + host + "]:" + port + path : "http://" + host + ":" + port + path;
    }

    /** The Host header to send: the authority. */
    String authority() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == 80 ? h : h + ":" + port;
    }

    /** An explicit proxy request: {@code http://host[:port]/path}. */
    static Target absolute(String target) throws HttpProtocolException {
        if (!target.regionMatches(true, 0, "http://", 0, 7)) {
            throw new HttpProtocolException(400, "a proxy request needs an absolute http:// URL (https goes through CONNECT)");
        }
        int slash = target.indexOf('/', 7);
        int query = target.indexOf('?', 7);
        int end = slash < 0 ? (query < 0 ? target.length() : query) : (query < 0 ? slash : Math.min(slash, query));
        String authority = target.substring(7, end);
        String path = end == target.length() ? "/" : target.charAt(end) == '?' ? "/" + target.substring(end) : target.substring(end);
        int hash = path.indexOf('#');
        if (hash >= 0) {
            path = path.substring(0, hash);
        }
        return authority(authority, 80, path);
    }

    /** A transparent request: origin-form target plus the Host header. */
    static Target originForm(String target, String hostHeader) throws HttpProtocolException {
        if (!target.startsWith("/")) {
            throw new HttpProtocolException(400, "the request target is not an origin-form path");
        }
        int hash = target.indexOf('#');
        // A fragment is never sent on the wire (RFC 9112 §3.2); drop it as the absolute form does.
        return authority(hostHeader, 80, hash < 0 ? target : target.substring(0, hash));
    }

    /** A CONNECT target: {@code host:port}. */
    static Target connect(String target) throws HttpProtocolException {
        Target t = authority(target, -1, "");
        if (t.port < 0) {
            throw new HttpProtocolException(400, "CONNECT needs host:port");
        }
        return t;
    }

    /** Parses {@code host[:port]} strictly: a DNS name or an IP literal, no user info. */
    static Target authority(String authority, int defaultPort, String path) throws HttpProtocolException {
        if (authority.isEmpty() || authority.indexOf('@') >= 0) {
            throw new HttpProtocolException(400, "the authority is empty or carries user information");
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new HttpProtocolException(400, "an IPv6 literal without ']'");
            }
            host = authority.substring(1, close);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') {
                    throw new HttpProtocolException(400, "junk after an IPv6 literal");
                }
                portText = authority.substring(close + 2);
            }
            // 45 characters is the longest IPv6 text form (with an embedded IPv4 address); the
            // fuzzer's finding-ipv6-literal-length carried hundreds.
            if (host.length() < 2 || host.length() > 45 || host.indexOf(':') < 0
                    || !all(host, c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                throw new HttpProtocolException(400, "not an IPv6 literal");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (host.isEmpty() || host.length() > 253
                    || !all(host, c -> Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' || c == '_')) {
                throw new HttpProtocolException(400, "the host is not a DNS name or IP address");
            }
        }
        int port = defaultPort;
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !all(portText, Character::isDigit)) {
                throw new HttpProtocolException(400, "the port is not a number");
            }
            port = Integer.parseInt(portText);
            if (port < 1 || port > 65535) {
                throw new HttpProtocolException(400, "the port is out of range");
            }
        }
        return new Target(host.toLowerCase(Locale.ROOT), port, path);
    }

    /** Whether every character passes; {@code String.chars()} without its stream per request. */
    private static boolean all(String s, IntPredicate test) {
        for (int i = 0; i < s.length(); i++) {
            if (!test.test(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
