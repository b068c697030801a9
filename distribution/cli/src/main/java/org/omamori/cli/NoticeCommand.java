package org.omamori.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;

import org.omamori.accounts.AccountRole;
import org.omamori.backoffice.edition.Editions;
import org.omamori.store.Announcement;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.TenantScope;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ./omamori notice}: the operator's notices to customers — maintenance, failures and changes (docs/notices.md). */
@Command(name = "notice", mixinStandardHelpOptions = true,
        description = "Announcements to customers: planned or emergency maintenance, failures, specification and terms changes, "
                + "abolition; published in the portal and mailed to the customers concerned.",
        footer = {"", "Exit codes: 0 done, 1 the store could not be opened, 2 bad usage or a notice period not kept (the message "
                + "names the earliest day allowed)."})
final class NoticeCommand {

    @Spec
    CommandSpec spec;

    @Option(names = "--home", scope = ScopeType.INHERIT, description = "Cloud home folder (default: run/cloud in the checkout).")
    Path home;

    @Command(name = "publish", description = "Publishes a notice and mails the customers concerned; prints its id and, for a change, "
            + "the day it takes effect.")
    int publish(@Option(names = "--kind", required = true, paramLabel = "KIND", description = "One of ${COMPLETION-CANDIDATES}.")
                Announcement.Kind kind,
                @Option(names = "--audience", defaultValue = "all", paramLabel = "WHO",
                        description = "all, reseller:ID or customer:ID (default all).") String audience,
                @Option(names = "--title", required = true) String title,
                @Option(names = "--body", required = true) String body,
                @Option(names = "--starts", paramLabel = "DATETIME", description = "A maintenance's or failure's start.") String starts,
                @Option(names = "--ends", paramLabel = "DATETIME") String ends,
                @Option(names = "--emergency", description = "Emergency maintenance: no month of notice; marked 【緊急】.") boolean emergency,
                @Option(names = "--effective", paramLabel = "DATE", description = "When a change takes effect (default: the earliest "
                        + "day its notice period allows).") String effective,
                @Option(names = "--by", required = true, paramLabel = "LOGIN", description = "The operator account publishing it.") String by) {
        return CloudStoreAccess.run(spec, home, "omamori notice", 2, store -> {
            var operator = store.accounts(new byte[32]).forSignIn(by).filter(a -> a.role() == AccountRole.OPERATOR)
                    .orElseThrow(() -> new IllegalArgumentException(by + " is not an operator account"));
            Announcement.Draft draft = kind.change()
                    ? Announcement.Draft.change(kind, audience(audience), title, body, Optional.ofNullable(effective)
                            .map(d -> CliDates.date("--effective", d)))
                    : new Announcement.Draft(kind, audience(audience), title, body, instant("--starts", starts), instant("--ends", ends),
                            emergency, Optional.empty());
            Editions editions = CliEditions.installed();
            Announcement a = store.announcements().publish(TenantScope.operator(), draft, operator.id(), editions::of);
            PrintWriter out = spec.commandLine().getOut();
            out.println(a.id() + " " + a.kind().ja() + (a.emergency() ? "（緊急）" : "") + a.effectiveOn().map(d -> " 適用日 " + d).orElse(""));
            out.flush();
            return 0;
        });
    }

    @Command(name = "list", description = "Lists the notices, newest first.")
    int list() {
        return CloudStoreAccess.run(spec, home, "omamori notice", 2, store -> {
            Table table = new Table().row("ID", "種類", "公開", "期間・適用日", "件名");
            for (Announcement a : store.announcements().list(TenantScope.operator())) {
                table.row(Long.toString(a.id()), a.kind().ja() + (a.emergency() ? "（緊急）" : ""), Table.JST.format(a.publishedAt()),
                        a.effectiveOn().map(LocalDate::toString).orElse(a.startsAt().map(Table.JST::format).orElse("")), a.title());
            }
            table.print(spec.commandLine().getOut());
            return 0;
        });
    }

    private static Announcement.Audience audience(String who) {
        String w = who.strip();
        if (w.equals("all")) {
            return new Announcement.Audience.All();
        }
        try {
            if (w.startsWith("reseller:")) {
                return new Announcement.Audience.OfReseller(new ResellerId(Long.parseLong(w.substring(9))));
            }
            if (w.startsWith("customer:")) {
                return new Announcement.Audience.OfCustomer(new CustomerId(Long.parseLong(w.substring(9))));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--audience is all, reseller:ID or customer:ID, not " + who);
    }

    private static Optional<java.time.Instant> instant(String option, String text) {
        return Optional.ofNullable(text).map(t -> CliDates.dateTime(option, t).toInstant());
    }
}
