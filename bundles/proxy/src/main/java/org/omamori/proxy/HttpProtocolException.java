package org.omamori.proxy;

/**
 * A message that breaks HTTP/1.1's rules. It carries the status to answer with: a proxy that
 * forwarded an ambiguous message would let the next hop frame it differently (smuggling).
 */
final class HttpProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    final int status;

    HttpProtocolException(int status, String message) {
        super(message);
        this.status = status;
    }
}
