package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.omamori.store.QueuedMail;
import org.omamori.store.Store;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "outbox", mixinStandardHelpOptions = true,
        description = {"Lists the mails of the cloud's outbox, newest first: alert batches, stopped-appliance notices,",
                "recovery mails. Without SMTP configured (the embedded default) every mail stays here as PENDING.",
                "Exit codes: 0 listed, 1 the store could not be opened."})
final class CloudOutboxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;


    @Option(names = "--home", description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Option(names = "--limit", description = "Most mails listed (default ${DEFAULT-VALUE}).", defaultValue = "20")
    int limit;

    @Option(names = "--full", description = "Print each mail whole: recipients, subject and body.")
    boolean full;

    @Override
    public Integer call() throws Exception {
        Path dir = CloudStoreAccess.home(home);
        List<QueuedMail> mails;
        try (Store store = CloudStoreAccess.open(dir)) {
            mails = store.monitoring().outbox(Math.max(1, Math.min(limit, 1000)));
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("omamori cloud outbox: " + e.getMessage());
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (mails.isEmpty()) {
            out.println("送信待ちのメールはありません / the outbox is empty (" + dir + ")");
            return 0;
        }
        if (!full) {
            Table table = new Table().row("状態/state", "作成(JST)/created", "宛先/to", "件名/subject");
            for (QueuedMail m : mails) {
                table.row(m.state(), Table.JST.format(m.created()), String.join(", ", m.mail().to().addresses()), m.mail().subject());
            }
            table.print(out);
            out.println(mails.size() + " mails; --full prints them whole");
            return 0;
        }
        for (QueuedMail m : mails) {
            out.println("==== " + m.state() + "  " + Table.JST.format(m.created()) + " JST  attempts " + m.attempts()
                    + m.lastError().map(e -> "  last error: " + e).orElse(""));
            out.println("To: " + String.join(", ", m.mail().to().addresses()));
            out.println("Subject: " + m.mail().subject());
            out.println();
            out.println(m.mail().body());
        }
        return 0;
    }
}
