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
    /** {@code http.host}, {@code http_host}: the Host header's value. */
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
    TLS_SNI
}
