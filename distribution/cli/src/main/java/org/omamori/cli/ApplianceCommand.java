package org.omamori.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "appliance", mixinStandardHelpOptions = true,
        description = {"Runs an appliance in the foreground (Ctrl-C stops it).",
                "The home folder holds etc/ (configuration), lists/ (URL lists; the samples are copied",
                "on first start), deploy/ (signed engine bundles to install), trust/ (trusted signer",
                "certificates, PEM) and state/ (bundle cache, admin token and port)."})
final class ApplianceCommand implements Callable<Integer> {

    @Option(names = "--home", description = "Appliance home folder (default: run/appliance in the checkout).")
    Path home;

    @Override
    public Integer call() throws Exception {
        ApplianceHome applianceHome = (home == null ? ApplianceHome.named("appliance") : new ApplianceHome(home.toAbsolutePath()))
                .prepare();
        System.err.println("Appliance home: " + applianceHome.dir());
        ProcessBuilder process;
        try {
            process = applianceHome.process();
        } catch (IllegalArgumentException badBudget) {
            System.err.println("The appliance did not start: memory budget: " + badBudget.getMessage());
            return 1;
        }
        return RuntimeProcess.runInForeground(process);
    }
}
