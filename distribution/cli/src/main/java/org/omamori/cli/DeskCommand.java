package org.omamori.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.desk.DeskDeadlines;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./omamori desk}: the support desk's rules (docs/desk.md). */
@Command(name = "desk", mixinStandardHelpOptions = true, description = "The support desk's rules by an edition's desk calendar.",
        subcommands = DeskCommand.Due.class)
final class DeskCommand {

    @Command(name = "due", mixinStandardHelpOptions = true,
            description = "Prints when an inquiry received at DATETIME must be answered (with --long: the first answer, when a full "
                    + "answer is expected to take more than 5 business days) and the day the ticket closes by itself when answered "
                    + "on that deadline. Exit 0, or 2 for bad usage.")
    static final class Due implements Callable<Integer> {

        @Option(names = "--edition", required = true, paramLabel = "E") String edition;

        @Option(names = "--received", required = true, paramLabel = "DATETIME",
                description = "When it arrived: YYYY-MM-DDTHH:MM (Japan) or with an offset.") String received;

        @Option(names = "--long", description = "A full answer is expected to take more than 5 business days.") boolean longAnswer;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                Edition e = CliEditions.edition(edition);
                DeskDeadlines.Due due = new DeskDeadlines(e.terms().desk()).due(CliDates.dateTime("--received", received), longAnswer);
                out.println("受付日          " + due.receivedOn());
                out.println((due.firstOnly() ? "一次回答期限    " : "回答期限        ") + Table.JST.format(due.answerBy().toInstant()));
                out.println("自動クローズ    " + due.closesOn() + "（期限に回答した場合、回答から14日後）");
                out.println("窓口            " + e.terms().desk().name().ja() + " " + e.terms().desk().hoursJa());
                out.flush();
                return 0;
            } catch (IllegalArgumentException ex) {
                spec.commandLine().getErr().println("omamori desk due: " + ex.getMessage());
                return 2;
            }
        }
    }
}
