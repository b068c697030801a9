package org.omamori.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.omamori.api.config.ListSetting;

/** Where forwarded queries go: the configured resolvers, or the system's, or 1.1.1.1. */
public final class Upstreams {

    /** The resolver used when nothing is configured and /etc/resolv.conf names none. */
    public static final InetSocketAddress FALLBACK = new InetSocketAddress(Listener.Endpoints.parse("1.1.1.1", 53, "fallback").getAddress(), 53);

    private Upstreams() {
    }

    /**
     * The configured upstream resolvers ({@code 9.9.9.9}, {@code 9.9.9.9:53}, {@code [2620:fe::fe]:53});
     * none configured: the first nameserver of {@code resolvConf}, else {@link #FALLBACK}.
     */
    public static List<InetSocketAddress> of(String[] configured, Path resolvConf) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : ListSetting.entries(configured)) {
            out.add(Listener.Endpoints.parse(entry, 53, "upstream '" + entry + "'"));
        }
        if (out.isEmpty()) {
            out.add(firstNameserver(resolvConf).orElse(FALLBACK));
        }
        return List.copyOf(out);
    }

    /** The first usable {@code nameserver} line of a resolv.conf file; empty when there is none or no file. */
    public static Optional<InetSocketAddress> firstNameserver(Path resolvConf) {
        List<String> lines;
        try {
            lines = Files.readAllLines(resolvConf, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.empty();
        }
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                String host = words[1];
                int zone = host.indexOf('%');
                if (zone >= 0) {
                    host = host.substring(0, zone); // a link-local scope id: not usable as written
                }
                if (Listener.Endpoints.isIpLiteral(host)) {
                    return Optional.of(Listener.Endpoints.parse(host.indexOf(':') >= 0 ? "[" + host + "]" : host, 53, "resolv.conf"));
                }
            }
        }
        return Optional.empty();
    }
}
