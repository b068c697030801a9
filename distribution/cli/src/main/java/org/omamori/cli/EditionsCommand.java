package org.omamori.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.edition.Editions;
import org.omamori.backoffice.edition.NeutralEdition;
import org.omamori.backoffice.edition.ServiceStandard;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./omamori editions}: the editions this distribution ships (docs/edition-sdk.md). */
@Command(name = "editions", mixinStandardHelpOptions = true,
        description = "Lists the installed editions (the reseller brands and terms this distribution ships) with id, version and "
                + "display names, then what the national service standard check found for each. A reseller set to an edition "
                + "not listed gets the neutral default. Exit 0.")
final class EditionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Editions editions = CliEditions.installed();
        Table table = new Table().row("ID", "VERSION", "サービス名", "販売元", "SERVICE", "STANDARD");
        for (Editions.Installed i : editions.installed()) {
            row(table, i.edition(), i.version(), i.findings());
        }
        row(table, NeutralEdition.INSTANCE, "(built in)", ServiceStandard.check(NeutralEdition.INSTANCE));
        table.print(out);
        for (Editions.Installed i : editions.installed()) {
            i.findings().forEach(f -> out.println(i.id() + ": " + f));
        }
        ServiceStandard.check(NeutralEdition.INSTANCE).forEach(f -> out.println(NeutralEdition.ID + ": " + f));
        out.flush();
        return 0;
    }

    private static void row(Table table, Edition e, String version, java.util.List<ServiceStandard.Finding> findings) {
        long breaches = findings.stream().filter(ServiceStandard.Finding::breach).count();
        table.row(e.id(), version, e.brand().service().ja(), e.brand().company().ja(), e.brand().service().en(),
                breaches > 0 ? breaches + " warning(s)" : findings.isEmpty() ? "ok" : "ok, " + findings.size() + " note(s)");
    }
}
