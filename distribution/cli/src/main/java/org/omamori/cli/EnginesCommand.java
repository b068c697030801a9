package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "engines", mixinStandardHelpOptions = true,
        description = "Lists the engines running in an appliance, with their ids and versions.")
final class EnginesCommand implements Callable<Integer> {

    @Option(names = "--home", description = "Appliance home folder (default: run/appliance in the checkout).")
    Path home;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ApplianceHome applianceHome = home == null ? ApplianceHome.named("appliance") : new ApplianceHome(home.toAbsolutePath());
        PrintWriter out = spec.commandLine().getOut();
        try {
            print(new AdminClient(applianceHome).get("/engines"), out);
            return 0;
        } catch (AdminClient.Unavailable e) {
            spec.commandLine().getErr().println("omamori engines: " + e.getMessage());
            return e.exitCode;
        }
    }

    /** The admin endpoint answers tab-separated values with a header line. */
    static void print(String tsv, PrintWriter out) {
        Table table = new Table();
        for (String line : tsv.split("\n")) {
            if (!line.isBlank()) {
                table.row(line.split("\t", -1));
            }
        }
        table.print(out);
    }
}
