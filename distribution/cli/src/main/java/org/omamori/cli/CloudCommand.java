package org.omamori.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cloud", mixinStandardHelpOptions = true,
        subcommands = {CloudOutboxCommand.class, CloudResellerCommand.class, CloudCustomerCommand.class, CloudHistoryCommand.Alerts.class,
                CloudHistoryCommand.Events.class, CloudApplianceCommand.class, CloudConfigCommand.class, CloudSuppressCommand.class,
                CloudFaultsCommand.class},
        description = {"Runs a cloud node in the foreground (Ctrl-C stops it): the appliance uplink API and /health over",
                "HTTPS (TLS 1.3). The home folder holds etc/ (configuration, e.g. org.omamori.cloud.api.cfg), tls/",
                "(the key store; a self-signed certificate and its PEM, cloud.pem, for appliances to trust are made on",
                "first start) and state/ (bundle cache, cloud.port, the H2 database). Default port 8443; see docs/cloud.md.",
                "Operator commands on the same home (also while the node runs): outbox, customer, appliance."})
final class CloudCommand implements Callable<Integer> {

    @Option(names = "--home", description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Override
    public Integer call() throws Exception {
        Path dir = CloudStoreAccess.home(home);
        prepareHome(dir);
        Path jar = cloudJar();
        if (!Files.isRegularFile(jar)) {
            System.err.println("omamori cloud: " + jar + " is missing; build it with ./mvnw install -pl distribution/cloud -am");
            return 1;
        }
        System.err.println("Cloud home: " + dir);
        Files.deleteIfExists(dir.resolve("state").resolve("cloud.port"));
        return RuntimeProcess.runInForeground(new ProcessBuilder(RuntimeProcess.javaCommand(jar)).directory(dir.toFile()));
    }

    /**
     * The folders of a cloud home and, where none exist yet, what its engines look at (the cloud
     * investigates alerts with the same URL filter and IPS as appliances): the sample lists, the
     * project's rules, a local operator key for definitions packages, and definitions limited to
     * those two engines (a cloud node has no antivirus); and the {@code editions/} folder, watched by
     * FileInstall, where an edition bundle dropped in is installed and started in the running node
     * (docs/edition-sdk.md "Installing").
     */
    static void prepareHome(Path dir) throws IOException {
        new ApplianceHome(dir).prepare();
        Files.createDirectories(dir.resolve("tls"));
        Files.createDirectories(dir.resolve("editions"));
        Path watcher = dir.resolve("etc").resolve(EDITIONS_WATCHER);
        if (!Files.exists(watcher)) {
            Files.writeString(watcher, EDITIONS_WATCHER_CFG);
        }
        Path definitions = dir.resolve("etc").resolve("org.omamori.definitions.cfg");
        if (!Files.exists(definitions)) {
            Files.writeString(definitions, "kinds = urlfilter, ips\n");
        }
    }

    /** A FileInstall factory configuration: a second watcher, on {@code editions/}, that starts what it installs. */
    static final String EDITIONS_WATCHER = "org.apache.felix.fileinstall-editions.cfg";
    static final String EDITIONS_WATCHER_CFG = """
            # Edition bundles (docs/edition-sdk.md): a jar dropped here is installed and started, a newer one
            # replaces it, a removed one is uninstalled, all while the node runs.
            felix.fileinstall.dir = editions
            felix.fileinstall.filter = .*\\\\.jar
            felix.fileinstall.bundles.new.start = true
            felix.fileinstall.poll = 1000
            felix.fileinstall.noInitialDelay = true
            """;

    static Path cloudJar() {
        return ApplianceHome.root().resolve("distribution/cloud/target/cloud/omamori-cloud.jar");
    }
}
