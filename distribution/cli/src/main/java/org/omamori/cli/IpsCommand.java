package org.omamori.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.omamori.engine.ips.CompiledRules;
import org.omamori.engine.ips.IpsSettings;
import org.omamori.engine.ips.RuleSetReport;
import org.omamori.engine.ips.RuleSets;
import org.omamori.engine.ips.rules.Classtypes;
import org.omamori.engine.ips.rules.RuleParseException;
import org.omamori.engine.ips.rules.ThresholdConfigParser;
import org.omamori.engine.ips.rules.Variables;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ips", mixinStandardHelpOptions = true, description = "Works with IPS rules (Suricata syntax).",
        subcommands = {IpsCommand.Check.class})
final class IpsCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Parses and compiles rule files as the appliance would, and reports what loaded,",
                    "what was skipped (by the keyword the engine does not support) and what failed (file:line: why).",
                    "A threshold.config in a folder given or beside a file given is read as the appliance reads it.",
                    "Exit code 0: every rule loaded or was skipped; 1: some rules failed;",
                    "2: unreadable input, or a threshold file with a bad line (file:line: why)."})
    static final class Check implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rule files, or folders of *.rules files.")
        List<Path> files;

        @Option(names = "--home-net", paramLabel = "GROUP", description = "HOME_NET, e.g. [192.168.1.0/24] (default: the private ranges).")
        String homeNet;

        @Option(names = "--classification", paramLabel = "FILE", description = "Extra classification.config to apply.")
        Path classification;

        @Option(names = "--threshold-file", paramLabel = "FILE",
                description = "A threshold.config to check with the rules (besides one found next to them).")
        Path thresholdFile;

        @Option(names = "--errors", paramLabel = "N", defaultValue = "50", description = "Print at most N errors (default ${DEFAULT-VALUE}).")
        int maxErrors;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Variables variables = homeNet == null ? Variables.defaults() : Variables.defaults().withAddress("HOME_NET", homeNet);
            long started = System.nanoTime();
            Thread ticker = Thread.ofPlatform().daemon().start(() -> tick(err, started));
            RuleSetReport report;
            List<String> notes;
            List<Path> thresholds = new ArrayList<>(RuleSets.thresholdFilesNextTo(files));
            if (thresholdFile != null && !thresholds.contains(thresholdFile.toAbsolutePath().normalize())) {
                thresholds.add(thresholdFile);
            }
            try {
                RuleSets.readThresholds(thresholds, variables);
            } catch (ThresholdConfigParser.Invalid e) {
                err.println("omamori ips check: threshold file not loaded (the appliance would keep the rules in force):");
                e.errors().forEach(x -> err.println("  " + x.getMessage()));
                return 2;
            } catch (NoSuchFileException e) {
                err.println("omamori ips check: no such threshold file: " + e.getFile());
                return 2;
            } catch (IOException e) {
                err.println("omamori ips check: cannot read a threshold file: " + e.getMessage());
                return 2;
            }
            try {
                Classtypes classtypes = classification == null ? Classtypes.standard() : Classtypes.standard().with(classification);
                try (CompiledRules compiled = RuleSets.compile(files, thresholds, variables, classtypes, IpsSettings.DEFAULTS,
                        n -> err.printf("\r読み込み中 / reading rules: %,d", n).flush())) {
                    report = compiled.report();
                    notes = compiled.thresholdNotes();
                }
            } catch (NoSuchFileException e) {
                err.println("\romamori ips check: no such file or folder: " + e.getFile());
                return 2;
            } catch (Exception e) {
                err.println("\romamori ips check: " + e.getMessage());
                return 2;
            } finally {
                ticker.interrupt();
                try {
                    ticker.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            err.print("\r");
            err.flush();
            print(report, (System.nanoTime() - started) / 1_000_000, out);
            if (!thresholds.isEmpty()) {
                out.println("threshold files: " + thresholds);
                notes.forEach(n -> out.println("  no effect: " + n));
                out.flush();
            }
            return report.errors().isEmpty() ? 0 : 1;
        }

        /** Compiling is one native call: say that it is still running. */
        private static void tick(PrintWriter err, long started) {
            try {
                Thread.sleep(1500);
                while (true) {
                    err.printf("\r処理中 / parsing and compiling... %d s", (System.nanoTime() - started) / 1_000_000_000).flush();
                    Thread.sleep(1000);
                }
            } catch (InterruptedException done) {
                // finished
            }
        }

        private void print(RuleSetReport report, long millis, PrintWriter out) {
            out.printf("loaded %,d   skipped %,d   failed %,d   (%,d ms; %,d patterns, %,d KiB of Hyperscan databases)%n",
                    report.loaded(), report.skipped(), report.errors().size(), millis, report.patterns(),
                    report.databaseBytes() / 1024);
            if (!report.skippedByKeyword().isEmpty()) {
                out.println("skipped by keyword (not supported, never half-understood):");
                report.skippedByKeyword().entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .forEach(e -> out.printf("  %-28s %,d%n", e.getKey(), e.getValue()));
            }
            if (!report.errors().isEmpty()) {
                out.println("failed:");
                for (RuleParseException e : report.errors().subList(0, Math.min(maxErrors, report.errors().size()))) {
                    out.println("  " + e.getMessage());
                }
                if (report.errors().size() > maxErrors) {
                    out.printf("  ... and %,d more (--errors N shows more)%n", report.errors().size() - maxErrors);
                }
            }
            out.flush();
        }
    }
}
