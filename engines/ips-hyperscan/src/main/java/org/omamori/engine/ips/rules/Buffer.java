package org.omamori.engine.ips.rules;

/**
 * Where a content or pcre looks. Sticky buffers ({@code http.uri;}) and their Snort-style
 * modifiers ({@code http_uri}) name the same buffer.
 */
public enum Buffer {
    /** No buffer named: the payload of the stream in the rule's direction. */
    RAW,
    /** Request URI, path and query as sent ({@code http.uri}, {@code http_uri}, {@code http.uri.raw}, {@code http_raw_uri}). */
    HTTP_URI,
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
    /** {@code http.response_body}, {@code http_server_body}, {@code file_data} / {@code file.data}. */
    HTTP_RESPONSE_BODY,
    /** {@code dns.query}, {@code dns_query}: the queried name, dotted. */
    DNS_QUERY,
    /** {@code tls.sni}, {@code tls_sni}: the server name of the ClientHello. */
    TLS_SNI
}
