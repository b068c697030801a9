package org.omamori.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Linux only: the file status flags of this process's UDP sockets bound to a port, from /proc. */
final class UdpSockets {

    private UdpSockets() {
    }

    static List<Integer> flagsOfPort(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
        for (String table : new String[] {"/proc/net/udp", "/proc/net/udp6"}) {
            Path t = Path.of(table);
            if (!Files.isReadable(t)) {
                continue;
            }
            List<String> lines = Files.readAllLines(t);
            for (String line : lines.subList(1, lines.size())) { // after the column titles
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(hexPort)) {
                    inodes.add(f[9]);
                }
            }
        }
        List<Integer> flags = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed meanwhile
                }
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    for (String l : Files.readAllLines(Path.of("/proc/self/fdinfo", fd.getFileName().toString()))) {
                        if (l.startsWith("flags:")) {
                            flags.add(Integer.parseInt(l.substring(6).trim(), 8));
                        }
                    }
                }
            }
        }
        return flags;
    }
}
