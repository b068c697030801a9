package org.omamori.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "portal", mixinStandardHelpOptions = true,
        description = {"Runs the web portal in the foreground (Ctrl-C stops it): customers' dashboard, alerts, appliances",
                "and comparison; the reseller and operator consoles. It opens the database of a cloud home",
                "(etc/org.omamori.store.cfg; embedded H2 by default, shared with a running node) and keeps its key in",
                "state/portal/totp.key. Serves http://localhost:8080/ by default; see docs/portal.md."})
final class PortalCommand implements Callable<Integer> {

    @Option(names = "--home", description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE}).", defaultValue = "8080")
    int port;

    @Option(names = "--listen", description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).",
            defaultValue = "127.0.0.1")
    String listen;

    @Option(names = "--breached-passwords", paramLabel = "FILE",
            description = "A local list of breached passwords (SHA-1 per line, sorted, as the downloadable Pwned Passwords list); "
                    + "new passwords found in it are refused. Default: none.")
    Path breachedPasswords;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) {
            System.err.println("omamori portal: --port must be 1..65535");
            return 2;
        }
        Path dir = CloudStoreAccess.home(home);
        Files.createDirectories(dir);
        if (!Files.isRegularFile(portalJar())) {
            System.err.println("omamori portal: " + portalJar() + " is missing; build it with ./mvnw install -pl portal-vaadin -am");
            return 1;
        }
        List<String> command = command(dir, port, listen);
        if (breachedPasswords != null) {
            command.addAll(List.of("--breached-passwords", breachedPasswords.toAbsolutePath().toString()));
        }
        return RuntimeProcess.runInForeground(new ProcessBuilder(command).directory(dir.toFile()));
    }

    /** The portal's JVM: its jar and its library folder on the class path (Jetty scans them for Vaadin). */
    static List<String> command(Path home, int port, String listen) {
        Path target = portalJar().getParent();
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-cp");
        cmd.add(portalJar() + java.io.File.pathSeparator + target.resolve("lib") + "/*");
        cmd.add("org.omamori.portal.PortalMain");
        cmd.addAll(List.of("--home", home.toString(), "--port", Integer.toString(port), "--listen", listen));
        return cmd;
    }

    static Path portalJar() {
        return ApplianceHome.root().resolve("portal-vaadin/target/omamori-portal.jar");
    }
}
