package org.omamori.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cloud", mixinStandardHelpOptions = true,
        subcommands = {CloudOutboxCommand.class, CloudCustomerCommand.class, CloudApplianceCommand.class},
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
        Path dir = (home == null ? ApplianceHome.root().resolve("run").resolve("cloud") : home).toAbsolutePath();
        for (String sub : List.of("etc", "tls", "state")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Path jar = cloudJar();
        if (!Files.isRegularFile(jar)) {
            System.err.println("omamori cloud: " + jar + " is missing; build it with ./mvnw install -pl distribution/cloud -am");
            return 1;
        }
        System.err.println("Cloud home: " + dir);
        Files.deleteIfExists(dir.resolve("state").resolve("cloud.port"));
        return RuntimeProcess.runInForeground(new ProcessBuilder(RuntimeProcess.javaCommand(jar)).directory(dir.toFile()));
    }

    static Path cloudJar() {
        return ApplianceHome.root().resolve("distribution/cloud/target/cloud/omamori-cloud.jar");
    }
}
