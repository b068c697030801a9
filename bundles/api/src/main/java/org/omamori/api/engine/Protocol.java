package org.omamori.api.engine;

/** The protocol a request was seen in; tells which protocol facts are present. */
public enum Protocol {
    /** An HTTP request: method, URL, host and headers are known. */
    HTTP,
    /** A TLS connection seen without decryption: the SNI (and so the host) is known. */
    TLS,
    /** A DNS query: the queried name (and so the host) is known. */
    DNS,
    /** A connection with nothing but connection facts. */
    OTHER
}
