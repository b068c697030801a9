package org.omamori.engine.ips.rules;

/**
 * Where a content or pcre looks. Sticky buffers ({@code http.uri;}) and their Snort-style
 * modifiers ({@code http_uri}) name the same buffer.
 */
public enum Buffer {
    /** No buffer named: the payload of the stream in the rule's direction. */
    RAW,
    /** Request URI, path and query, percent-decoded as Suricata normalises it ({@code http.uri}, {@code http_uri}, pcre {@code U}). */
    HTTP_URI,
    /** Request URI, path and query exactly as sent ({@code http.uri.raw}, {@code http_raw_uri}, pcre {@code I}). */
    HTTP_URI_RAW,
    /** {@code http.method}, {@code http_method}. */
    HTTP_METHOD,
    /** All request headers as {@code Name: value\r\n} lines ({@code http.header}, {@code http_header}). */
    HTTP_HEADER,
    /** {@code http.host}, {@code http_host}, pcre {@code W}: the Host header's value, lower case, without port or trailing dots. */
    HTTP_HOST,
    /** {@code http.user_agent}, {@code http_user_agent}. */
    HTTP_USER_AGENT,
    /** {@code http.request_body}, {@code http_client_body}. */
    HTTP_REQUEST_BODY,
    /**
     * {@code http.response_body}, {@code http_server_body}, {@code file_data} / {@code file.data}.
     * On a {@code to_server} rule {@code file.data} is the request body instead (uploads), as in
     * Suricata 6 and later.
     */
    HTTP_RESPONSE_BODY,
    /** {@code dns.query}, {@code dns_query}: the queried name, dotted. Both are sticky in Suricata. */
    DNS_QUERY,
    /** {@code tls.sni}, {@code tls_sni}: the server name of the ClientHello. Both are sticky in Suricata. */
    TLS_SNI,
    /** {@code dns.query; dotprefix}: the name with a {@code .} before it, so {@code .evil.example} with {@code endswith} matches it and its subdomains. */
    DNS_QUERY_DOTPREFIX,
    /** {@code tls.sni; dotprefix}. */
    TLS_SNI_DOTPREFIX,
    /** {@code http.host; dotprefix}. */
    HTTP_HOST_DOTPREFIX,
    // ---- request head buffers (Suricata 5+ names; the underscore names of Suricata 4 are sticky too) ----
    /** {@code http.cookie}, {@code http_cookie}: the Cookie header's value. */
    HTTP_COOKIE,
    /** {@code http.header_names}: {@code \r\nName\r\nName\r\n\r\n}, the header names in order. */
    HTTP_HEADER_NAMES,
    /** {@code http.accept}: the Accept header's value. */
    HTTP_ACCEPT,
    /** {@code http.accept_lang}. */
    HTTP_ACCEPT_LANG,
    /** {@code http.accept_enc}. */
    HTTP_ACCEPT_ENC,
    /** {@code http.referer}. */
    HTTP_REFERER,
    /** {@code http.connection}. */
    HTTP_CONNECTION,
    /** {@code http.content_type} of the request. */
    HTTP_CONTENT_TYPE,
    /** {@code http.content_len} of the request. */
    HTTP_CONTENT_LEN,
    /** {@code http.request_line}: {@code GET /uri HTTP/1.1}. */
    HTTP_REQUEST_LINE,
    /** {@code http.protocol} of the request: {@code HTTP/1.1}. */
    HTTP_PROTOCOL,
    /** {@code http.start}: the request line and the headers, ending with the empty line. */
    HTTP_START,
    /** {@code http.header.raw}, {@code http_raw_header}: the request's header lines as received, then the empty line. */
    HTTP_RAW_HEADER,
    /** {@code http.host.raw}, {@code http_raw_host}, pcre {@code Z}: the Host header's value exactly as sent. */
    HTTP_HOST_RAW,
    // ---- response head buffers: available once the response's headers arrive (keep them last) ----
    /** {@code http.stat_code}, {@code http_stat_code}: the three digits. */
    HTTP_STAT_CODE,
    /** {@code http.stat_msg}, {@code http_stat_msg}: the reason phrase. */
    HTTP_STAT_MSG,
    /** {@code http.response_line}: {@code HTTP/1.1 200 OK}. */
    HTTP_RESPONSE_LINE,
    /** {@code http.header} on a {@code to_client} rule: the response's header lines. */
    HTTP_RESPONSE_HEADER,
    /** {@code http.cookie} on a {@code to_client} rule: the Set-Cookie header's value. */
    HTTP_RESPONSE_COOKIE,
    /** {@code http.header_names} on a {@code to_client} rule. */
    HTTP_RESPONSE_HEADER_NAMES,
    /** {@code http.content_type} on a {@code to_client} rule. */
    HTTP_RESPONSE_CONTENT_TYPE,
    /** {@code http.content_len} on a {@code to_client} rule. */
    HTTP_RESPONSE_CONTENT_LEN,
    /** {@code http.connection} on a {@code to_client} rule. */
    HTTP_RESPONSE_CONNECTION,
    /** {@code http.protocol} on a {@code to_client} rule. */
    HTTP_RESPONSE_PROTOCOL,
    /** {@code http.start} on a {@code to_client} rule: the status line and the headers. */
    HTTP_RESPONSE_START,
    /** {@code http.header.raw} on a {@code to_client} rule. */
    HTTP_RESPONSE_RAW_HEADER,
    /** {@code http.server}: the response's Server header. */
    HTTP_SERVER,
    /** {@code http.location}: the response's Location header. */
    HTTP_LOCATION,
    // ---- the server's certificate (TLS 1.0-1.2): available once the server's handshake has been read ----
    /** {@code tls.cert_subject}, {@code tls_cert_subject}: {@code C=US, O=Org, CN=name}. */
    TLS_CERT_SUBJECT,
    /** {@code tls.cert_issuer}, {@code tls_cert_issuer}. */
    TLS_CERT_ISSUER,
    /** {@code tls.cert_serial}, {@code tls_cert_serial}: {@code 0A:1B:…}. */
    TLS_CERT_SERIAL,
    /** {@code tls.cert_fingerprint}, {@code tls_cert_fingerprint}: SHA-1, {@code aa:bb:…}. */
    TLS_CERT_FINGERPRINT,
    /** {@code tls.certs}: each certificate of the chain (DER), one at a time. */
    TLS_CERTS,
    /** {@code ja3s.hash}, {@code ja3s_hash}: the MD5 of the ServerHello's JA3S string, lower-case hex. */
    JA3S_HASH,
    /** {@code ja3s.string}. */
    JA3S_STRING,
    // ---- the client's hello (after the response-side ones: they are request-side, read late) ----
    /** {@code ja3.hash}, {@code ja3_hash}: the MD5 of the ClientHello's JA3 string. */
    JA3_HASH,
    /** {@code ja3.string}, {@code ja3_string}. */
    JA3_STRING;

    /** Whether the buffer comes from the client's TLS hello, read from the request's bytes (request side, after the request's facts). */
    public boolean tlsClientHello() {
        return this == JA3_HASH || this == JA3_STRING;
    }

    /** Whether the buffer comes from the server's certificate. */
    public boolean tlsCertificate() {
        return ordinal() >= TLS_CERT_SUBJECT.ordinal() && ordinal() <= JA3S_STRING.ordinal();
    }

    /** Whether the buffer comes from the response's head (known once its headers arrive) or the server's certificate. */
    public boolean responseHead() {
        return ordinal() >= HTTP_STAT_CODE.ordinal() && !tlsClientHello();
    }

    /** The buffer a request-head keyword names on a {@code to_client} rule: the response's counterpart. */
    public Buffer towardsClient() {
        return switch (this) {
            case HTTP_HEADER -> HTTP_RESPONSE_HEADER;
            case HTTP_COOKIE -> HTTP_RESPONSE_COOKIE;
            case HTTP_HEADER_NAMES -> HTTP_RESPONSE_HEADER_NAMES;
            case HTTP_CONTENT_TYPE -> HTTP_RESPONSE_CONTENT_TYPE;
            case HTTP_CONTENT_LEN -> HTTP_RESPONSE_CONTENT_LEN;
            case HTTP_CONNECTION -> HTTP_RESPONSE_CONNECTION;
            case HTTP_PROTOCOL -> HTTP_RESPONSE_PROTOCOL;
            case HTTP_START -> HTTP_RESPONSE_START;
            case HTTP_RAW_HEADER -> HTTP_RESPONSE_RAW_HEADER;
            default -> this;
        };
    }

    /** The buffer after a {@code dotprefix} transform, or null when the engine has none for it. */
    public Buffer dotPrefixed() {
        return switch (this) {
            case DNS_QUERY -> DNS_QUERY_DOTPREFIX;
            case TLS_SNI -> TLS_SNI_DOTPREFIX;
            case HTTP_HOST -> HTTP_HOST_DOTPREFIX;
            default -> null;
        };
    }
}
