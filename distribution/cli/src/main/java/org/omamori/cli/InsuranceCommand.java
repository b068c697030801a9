package org.omamori.cli;

import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.billing.Yen;
import org.omamori.backoffice.insurance.InsuranceCheck;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./omamori insurance}: the incident insurance's rules and its stored claims (docs/insurance.md). */
@Command(name = "insurance", mixinStandardHelpOptions = true, description = "The incident insurance by an edition's terms, and its claims.",
        subcommands = {InsuranceCommand.Check.class, ClaimCommand.class})
final class InsuranceCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Prints whether an on-site dispatch is covered, why not, the insurance year it falls in, what the year's "
                    + "limit still allows and the most this dispatch is paid. Exit 0 covered, 1 not covered, 2 bad usage.")
    static final class Check implements Callable<Integer> {

        @Option(names = "--edition", required = true, paramLabel = "E") String edition;

        @Option(names = "--contract-start", required = true, paramLabel = "DATE", description = "The service start.") String start;

        @Option(names = "--alert-mail", required = true, paramLabel = "DATETIME",
                description = "When the ★★★ alert mail arrived: YYYY-MM-DDTHH:MM (Japan) or with an offset.") String alertMail;

        @Option(names = "--dispatch", required = true, paramLabel = "DATE", description = "The day of the on-site dispatch.") String dispatch;

        @Option(names = "--paid", paramLabel = "N", defaultValue = "0",
                description = "Yen the insurance already paid in that insurance year (default 0).") long paid;

        @Option(names = "--renewed-on", paramLabel = "DATE", description = "The contract's last renewal (1 April), for Niigata's rule.")
        String renewedOn;

        @Spec CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                Edition e = CliEditions.edition(edition);
                InsuranceCheck.Result r = InsuranceCheck.check(e, CliDates.date("--contract-start", start), CliDates.dateTime("--alert-mail", alertMail),
                        CliDates.date("--dispatch", dispatch), paid, renewedOn == null ? Optional.empty() : Optional.of(CliDates.date("--renewed-on", renewedOn)));
                out.println(r.eligible() ? "補償の対象です / covered" : "補償の対象外です / not covered");
                r.reasonsJa().forEach(w -> out.println("・" + w));
                out.println("保険年度        " + r.yearFrom() + " 〜 " + r.yearTo());
                out.println("年度内の残り    " + Yen.of(r.left()));
                out.println("今回の上限      " + Yen.of(r.upTo()) + (r.eligible() ? "（超える分はお客様のご負担）" : ""));
                out.println("補償内容        " + e.terms().insurance().summaryJa());
                out.flush();
                return r.eligible() ? 0 : 1;
            } catch (IllegalArgumentException ex) {
                spec.commandLine().getErr().println("omamori insurance check: " + ex.getMessage());
                return 2;
            }
        }

    }
}
