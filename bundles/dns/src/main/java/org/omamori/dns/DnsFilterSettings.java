package org.omamori.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the DNS filter is told; {@link #defaults()} is a working demo set-up (127.0.0.1:10053,
 * the system's resolver). Validated here, once: after construction the values are usable.
 *
 * @param listeners         where to listen (UDP and TCP each) and the zone of each
 * @param upstreams         resolvers to forward to, tried in order
 * @param upstreamTimeout   how long one upstream attempt may take
 * @param blockMode         how a blocked name is answered
 * @param blockV4           A answer for a blocked name in {@link BlockMode#ADDRESS} mode
 * @param blockV6           AAAA answer for a blocked name in {@link BlockMode#ADDRESS} mode
 * @param blockTtl          TTL of block answers, seconds
 * @param cacheMaxEntries   answers kept at most; 0 turns the cache off
 * @param cacheMaxTtl       longest an answer is kept, seconds (its own TTL is kept when shorter)
 * @param clientRate        queries per second one client address may send on average; 0: no limit
 * @param clientBurst       queries one client may send at once above its rate
 * @param clientInFlight    queries of one client being worked on at once; 0: no limit
 * @param maxInFlight       queries being worked on at once, all clients
 * @param maxClients        client addresses tracked for the limits; beyond, new ones share one budget
 * @param overLimit         what a query over a limit gets
 * @param maxTcpConnections open TCP connections at once, all clients
 * @param tcpIdleTimeout    a TCP connection with no query for this long is closed
 * @param eventWindow       events of the same name, category and client are folded into one per this
 *                          window (allowed names; repeated blocks after the first); zero: one per query
 * @param eventMaxKeys      distinct names, categories and clients held in a window; past it the held
 *                          counts go out early
 * @param eventBlocksAlone  blocks of one name and client in a window that go out at once, one event each;
 *                          the window's repeats past them are one counted event
 */
public record DnsFilterSettings(List<Listener> listeners, List<InetSocketAddress> upstreams, Duration upstreamTimeout,
                                BlockMode blockMode, InetAddress blockV4, InetAddress blockV6, int blockTtl,
                                int cacheMaxEntries, int cacheMaxTtl,
                                double clientRate, int clientBurst, int clientInFlight, int maxInFlight, int maxClients,
                                OverLimit overLimit, int maxTcpConnections, Duration tcpIdleTimeout,
                                Duration eventWindow, int eventMaxKeys, int eventBlocksAlone) {

    public DnsFilterSettings {
        listeners = List.copyOf(listeners);
        upstreams = List.copyOf(upstreams);
        Objects.requireNonNull(upstreamTimeout, "upstreamTimeout");
        Objects.requireNonNull(blockMode, "blockMode");
        Objects.requireNonNull(overLimit, "overLimit");
        Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
        Objects.requireNonNull(eventWindow, "eventWindow");
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listen address is needed, e.g. lan=127.0.0.1:10053");
        }
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("at least one upstream resolver is needed");
        }
        if (!(blockV4 instanceof Inet4Address)) {
            throw new IllegalArgumentException("blockAddressV4 must be an IPv4 address: " + blockV4);
        }
        if (!(blockV6 instanceof Inet6Address)) {
            throw new IllegalArgumentException("blockAddressV6 must be an IPv6 address: " + blockV6);
        }
        positive(upstreamTimeout, "upstreamTimeout");
        positive(tcpIdleTimeout, "tcpIdleTimeout");
        range(blockTtl, 0, 86_400, "blockTtl");
        range(cacheMaxEntries, 0, 10_000_000, "cacheMaxEntries");
        range(cacheMaxTtl, 0, 7 * 86_400, "cacheMaxTtl");
        if (!(clientRate >= 0) || Double.isInfinite(clientRate)) {
            throw new IllegalArgumentException("clientRate must be 0 (no limit) or a positive number: " + clientRate);
        }
        range(clientBurst, 1, 1_000_000, "clientBurst");
        range(clientInFlight, 0, 1_000_000, "clientInFlight");
        range(maxInFlight, 1, 1_000_000, "maxInFlight");
        range(maxClients, 1, 10_000_000, "maxClients");
        range(maxTcpConnections, 1, 1_000_000, "maxTcpConnections");
        // An hour at most: a folded event's id is made at its first occurrence (docs/store.md keeps
        // ids within a day of their time) and the cloud should not wait longer for an office's lookups.
        if (eventWindow.isNegative() || eventWindow.compareTo(MAX_EVENT_WINDOW) > 0) {
            throw new IllegalArgumentException("eventWindow must be 0.." + MAX_EVENT_WINDOW.toSeconds() + " s: " + eventWindow.toSeconds());
        }
        range(eventMaxKeys, 1, 1_000_000, "eventMaxKeys");
        range(eventBlocksAlone, 1, 100_000, "eventBlocksAlone");
    }

    /** The longest {@link #eventWindow}. */
    public static final Duration MAX_EVENT_WINDOW = Duration.ofHours(1);

    /** The demo defaults: lan=127.0.0.1:10053, the first resolver of /etc/resolv.conf (else 1.1.1.1). */
    public static DnsFilterSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.listeners = listeners;
        b.upstreams = upstreams;
        b.upstreamTimeout = upstreamTimeout;
        b.blockMode = blockMode;
        b.blockV4 = blockV4;
        b.blockV6 = blockV6;
        b.blockTtl = blockTtl;
        b.cacheMaxEntries = cacheMaxEntries;
        b.cacheMaxTtl = cacheMaxTtl;
        b.clientRate = clientRate;
        b.clientBurst = clientBurst;
        b.clientInFlight = clientInFlight;
        b.maxInFlight = maxInFlight;
        b.maxClients = maxClients;
        b.overLimit = overLimit;
        b.maxTcpConnections = maxTcpConnections;
        b.tcpIdleTimeout = tcpIdleTimeout;
        b.eventWindow = eventWindow;
        b.eventMaxKeys = eventMaxKeys;
        b.eventBlocksAlone = eventBlocksAlone;
        return b;
    }

    private static void range(long value, long min, long max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
        }
    }

    private static void positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** Starts from the defaults; set what differs. */
    public static final class Builder {
        private List<Listener> listeners = List.of(Listener.parse("lan=127.0.0.1:10053"));
        private List<InetSocketAddress> upstreams;
        private Duration upstreamTimeout = Duration.ofSeconds(2);
        private BlockMode blockMode = BlockMode.ADDRESS;
        private InetAddress blockV4 = Listener.Endpoints.parse("0.0.0.0", 0, "default").getAddress();
        private InetAddress blockV6 = Listener.Endpoints.parse("::", 0, "default").getAddress();
        private int blockTtl = 10;
        private int cacheMaxEntries = 10_000;
        private int cacheMaxTtl = 3_600;
        private double clientRate = 200;
        private int clientBurst = 400;
        private int clientInFlight = 64;
        private int maxInFlight = 1_024;
        private int maxClients = 10_000;
        private OverLimit overLimit = OverLimit.REFUSE;
        private int maxTcpConnections = 256;
        private Duration tcpIdleTimeout = Duration.ofSeconds(10);
        private Duration eventWindow = Duration.ofSeconds(60);
        private int eventMaxKeys = 10_000;
        private int eventBlocksAlone = 30;

        private Builder() {
        }

        public Builder listeners(List<Listener> v) { listeners = v; return this; }
        public Builder upstreams(List<InetSocketAddress> v) { upstreams = v; return this; }
        public Builder upstreamTimeout(Duration v) { upstreamTimeout = v; return this; }
        public Builder blockMode(BlockMode v) { blockMode = v; return this; }
        public Builder blockV4(InetAddress v) { blockV4 = v; return this; }
        public Builder blockV6(InetAddress v) { blockV6 = v; return this; }
        public Builder blockTtl(int v) { blockTtl = v; return this; }
        public Builder cacheMaxEntries(int v) { cacheMaxEntries = v; return this; }
        public Builder cacheMaxTtl(int v) { cacheMaxTtl = v; return this; }
        public Builder clientRate(double v) { clientRate = v; return this; }
        public Builder clientBurst(int v) { clientBurst = v; return this; }
        public Builder clientInFlight(int v) { clientInFlight = v; return this; }
        public Builder maxInFlight(int v) { maxInFlight = v; return this; }
        public Builder maxClients(int v) { maxClients = v; return this; }
        public Builder overLimit(OverLimit v) { overLimit = v; return this; }
        public Builder maxTcpConnections(int v) { maxTcpConnections = v; return this; }
        public Builder tcpIdleTimeout(Duration v) { tcpIdleTimeout = v; return this; }
        public Builder eventWindow(Duration v) { eventWindow = v; return this; }
        public Builder eventMaxKeys(int v) { eventMaxKeys = v; return this; }
        public Builder eventBlocksAlone(int v) { eventBlocksAlone = v; return this; }

        public DnsFilterSettings build() {
            List<InetSocketAddress> up = upstreams != null ? upstreams : Upstreams.of(new String[0], java.nio.file.Path.of("/etc/resolv.conf"));
            return new DnsFilterSettings(listeners, up, upstreamTimeout, blockMode, blockV4, blockV6, blockTtl,
                    cacheMaxEntries, cacheMaxTtl, clientRate, clientBurst, clientInFlight, maxInFlight, maxClients,
                    overLimit, maxTcpConnections, tcpIdleTimeout, eventWindow, eventMaxKeys, eventBlocksAlone);
        }
    }
}
