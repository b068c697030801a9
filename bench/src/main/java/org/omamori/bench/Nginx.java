package org.omamori.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** nginx as the benchmarks' origin: one worker in the foreground, serving {@code dir/www} on loopback. */
final class Nginx {

    private Nginx() {
    }

    /**
     * Starts nginx on {@code port} with its files under {@code dir}; {@code extra} is more of the
     * {@code http} block (e.g. a reverse-proxy server). nginx's workers drop root, so every path in
     * {@code readable} is made readable by others.
     */
    static Process start(Path dir, int port, int workerConnections, String types, String extra, List<Path> readable)
            throws IOException {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections %3$d; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fcgi;
                  uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                  keepalive_requests 1000000;
                  types { %4$s }
                  server { listen 127.0.0.1:%2$d; root %1$s/www; }
                %5$s}
                """.formatted(dir, port, workerConnections, types, extra));
        for (Path p : readable) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        }
        String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
        return new ProcessBuilder(nginx, "-c", conf.toString(), "-p", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    }
}
