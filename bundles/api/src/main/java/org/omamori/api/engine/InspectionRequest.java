package org.omamori.api.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything known about a request before its bodies: connection facts and protocol facts.
 * Text facts that the protocol does not have are empty strings, never null.
 *
 * @param connection addresses, ports, zones and MAC
 * @param protocol   which protocol facts are present
 * @param host       the server's name or address literal as the client gave it (HTTP Host,
 *                   CONNECT target, TLS SNI or DNS name); empty when unknown
 * @param url        the full request URL for HTTP, e.g. {@code http://example.jp/a?b}
 * @param method     the HTTP method
 * @param headers    request headers in the order received
 * @param dnsName    the queried DNS name
 * @param tlsSni     the server name from the TLS ClientHello
 * @param functions  the security functions the intake wants applied; empty means all
 * @param httpVersion the HTTP request's version as sent, e.g. {@code HTTP/1.0}; empty when the
 *                   intake does not say (since 1.5)
 * @param head       the HTTP request's head as received: request line, header lines and the empty
 *                   line that ends them, bytes as sent (folding, spacing, case); empty when the
 *                   intake does not pass it (since 1.5). See {@link #head()}.
 */
public record InspectionRequest(Connection connection, Protocol protocol, String host, String url, String method,
                                List<Header> headers, String dnsName, String tlsSni,
                                Set<SecurityFunction> functions, String httpVersion, ByteBuffer head) {

    private static final ByteBuffer NO_HEAD = ByteBuffer.allocate(0).asReadOnlyBuffer();

    public InspectionRequest {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(dnsName, "dnsName");
        Objects.requireNonNull(tlsSni, "tlsSni");
        Objects.requireNonNull(httpVersion, "httpVersion");
        headers = List.copyOf(headers);
        functions = Set.copyOf(functions);
        // A view of its own (from the caller's position, read-only): the intake's buffer is not copied.
        head = head == null || !head.hasRemaining() ? NO_HEAD
                : head.isReadOnly() ? head.slice() : head.slice().asReadOnlyBuffer();
    }

    /** A request without the HTTP version and head (the 1.0-1.4 constructor). */
    public InspectionRequest(Connection connection, Protocol protocol, String host, String url, String method,
                             List<Header> headers, String dnsName, String tlsSni, Set<SecurityFunction> functions) {
        this(connection, protocol, host, url, method, headers, dnsName, tlsSni, functions, "", NO_HEAD);
    }

    /**
     * The HTTP request's head as the intake received it (request line, header lines, the empty line
     * that ends them), for engines that look at the bytes as sent (IPS {@code http.header.raw}):
     * a read-only view of the intake's bytes, not a copy, positioned at 0; each call gives a view of
     * its own. The intake does not change these bytes while the request is inspected (until the
     * inspection is closed); an engine that keeps them longer copies them. Empty when the intake does
     * not pass it: build the head from the parsed facts then. Since 1.5.
     */
    @Override
    public ByteBuffer head() {
        return head.duplicate();
    }

    /** Whether the intake wants this function applied. */
    public boolean wants(SecurityFunction function) {
        return functions.isEmpty() || functions.contains(function);
    }

    /** The first header of that name, compared case-insensitively. */
    public Optional<String> header(String name) {
        for (Header h : headers) {
            if (h.is(name)) {
                return Optional.of(h.value());
            }
        }
        return Optional.empty();
    }

    /** An HTTP request for a URL; the host is taken from the URL. */
    public static Builder http(String method, String url) {
        return new Builder(Protocol.HTTP).method(method).url(url).host(UrlParts.hostOf(url));
    }

    /** A TLS connection to the server named in the SNI. */
    public static Builder tls(String sni) {
        return new Builder(Protocol.TLS).tlsSni(sni).host(sni);
    }

    /** A DNS query for a name. */
    public static Builder dns(String name) {
        return new Builder(Protocol.DNS).dnsName(name).host(name);
    }

    public static Builder other() {
        return new Builder(Protocol.OTHER);
    }

    /** Builds a request; intakes fill in what they know. */
    public static final class Builder {
        private final Protocol protocol;
        private Connection connection = Connection.unknown();
        private String host = "";
        private String url = "";
        private String method = "";
        private final List<Header> headers = new ArrayList<>();
        private String dnsName = "";
        private String tlsSni = "";
        private Set<SecurityFunction> functions = Set.of();
        private String httpVersion = "";
        private ByteBuffer head;

        private Builder(Protocol protocol) {
            this.protocol = protocol;
        }

        public Builder connection(Connection value) {
            this.connection = Objects.requireNonNull(value);
            return this;
        }

        public Builder host(String value) {
            this.host = Objects.requireNonNull(value);
            return this;
        }

        public Builder url(String value) {
            this.url = Objects.requireNonNull(value);
            return this;
        }

        public Builder method(String value) {
            this.method = Objects.requireNonNull(value);
            return this;
        }

        public Builder header(String name, String value) {
            this.headers.add(new Header(name, value));
            return this;
        }

        public Builder dnsName(String value) {
            this.dnsName = Objects.requireNonNull(value);
            return this;
        }

        public Builder tlsSni(String value) {
            this.tlsSni = Objects.requireNonNull(value);
            return this;
        }

        public Builder functions(Set<SecurityFunction> value) {
            this.functions = Objects.requireNonNull(value);
            return this;
        }

        /** The HTTP version as sent, e.g. {@code HTTP/1.0}. Since 1.5. */
        public Builder httpVersion(String value) {
            this.httpVersion = Objects.requireNonNull(value);
            return this;
        }

        /**
         * The request's head as received, from its position to its limit (not copied: see
         * {@link InspectionRequest#head()} for how long the bytes must stay as they are). Since 1.5.
         */
        public Builder head(ByteBuffer value) {
            this.head = Objects.requireNonNull(value);
            return this;
        }

        public InspectionRequest build() {
            return new InspectionRequest(connection, protocol, host, url, method, headers, dnsName, tlsSni, functions,
                    httpVersion, head);
        }
    }
}
