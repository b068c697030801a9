package org.omamori.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.omamori.engine.urlfilter.CategoryLists;
import org.omamori.engine.urlfilter.ListProblem;
import org.omamori.engine.urlfilter.ListsTooLargeException;
import org.omamori.engine.urlfilter.SquidRewriter;
import org.omamori.engine.urlfilter.UrlMatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "url", mixinStandardHelpOptions = true, description = "Checks URLs against category lists.",
        subcommands = {UrlCommand.Check.class, UrlCommand.Serve.class})
final class UrlCommand {

    /** Options both subcommands share: where the lists are and how many entries they may hold. */
    static final class ListOptions {
        @Option(names = "--lists", paramLabel = "DIR",
                description = "Lists directory: one folder per category with 'domains' and 'urls' files, and"
                        + " categories.conf (default: run/appliance/lists, else the sample lists).")
        Path lists;

        @Option(names = "--max-entries", paramLabel = "N", defaultValue = "5000000",
                description = "Refuse list sets larger than this (default: ${DEFAULT-VALUE}).")
        long maxEntries;

        Path directory() {
            if (lists != null) {
                return lists;
            }
            Path appliance = ApplianceHome.named("appliance").lists();
            return Files.isDirectory(appliance) ? appliance : ApplianceHome.sampleLists();
        }

        /** Loads the lists, showing progress on stderr for large sets and reporting skipped lines. */
        CategoryLists load(PrintWriter err) throws IOException {
            Path dir = directory();
            long started = System.nanoTime();
            CategoryLists loaded = CategoryLists.load(dir, maxEntries,
                    entries -> err.printf("\r読み込み中 / loading %s: %,d entries", dir, entries).flush());
            err.printf("\r%s: %,d entries (%,d domains, %,d URLs) in %,d ms%n", dir, loaded.entries(),
                    loaded.domainCount(), loaded.urlCount(), (System.nanoTime() - started) / 1_000_000);
            if (loaded.problemCount() > 0) {
                err.printf("%,d line(s) skipped:%n", loaded.problemCount());
                List<ListProblem> problems = loaded.problems();
                problems.stream().limit(20).forEach(p -> err.println("  " + p));
                if (loaded.problemCount() > 20) {
                    err.printf("  ... and %,d more%n", loaded.problemCount() - 20);
                }
            }
            err.flush();
            return loaded;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Prints category, action and the matching list entry for each URL (or host).",
                    "Exit code 0: nothing blocked; 1: at least one URL is blocked; 2: bad input or lists."})
    static final class Check implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ListOptions options = new ListOptions();

        @Parameters(arity = "1..*", paramLabel = "URL", description = "URLs or host names to check.")
        List<String> urls;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            CategoryLists lists;
            try {
                lists = options.load(err);
            } catch (ListsTooLargeException e) {
                err.println("omamori url check: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("omamori url check: cannot read the lists in " + options.directory() + ": " + e.getMessage());
                return 2;
            }
            boolean anyBlocked = false;
            Table table = new Table().row("判定/verdict", "URL", "カテゴリ/category", "一致/matched entry");
            for (String url : urls) {
                Optional<UrlMatch> match = lists.match(url);
                if (match.isEmpty()) {
                    table.row("pass", url, "-", "-");
                    continue;
                }
                UrlMatch m = match.get();
                boolean blocks = m.category().blocks();
                anyBlocked |= blocks;
                table.row(blocks ? "BLOCK" : "pass (log)", url,
                        m.category().id() + " (" + m.category().labelJa() + " / " + m.category().labelEn() + ")",
                        m.entry() + "  [" + m.listFile() + "]");
            }
            table.print(out);
            return anyBlocked ? 1 : 0;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Answers a helper protocol on stdin/stdout with the URL filter.",
                    "--squid: Squid's url_rewrite_program protocol (with or without concurrency channel ids):",
                    "blocked URLs are rewritten to the block page, others answered ERR (unchanged).",
                    "squid.conf: url_rewrite_program /path/to/omamori url serve --squid --lists DIR"})
    static final class Serve implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ListOptions options = new ListOptions();

        @Option(names = "--squid", required = true, description = "Speak the Squid url_rewrite helper protocol.")
        boolean squid;

        @Option(names = "--block-url", paramLabel = "URL", defaultValue = "http://blocked.omamori.invalid/",
                description = "Where blocked requests are sent (default: ${DEFAULT-VALUE}).")
        String blockUrl;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            CategoryLists lists;
            try {
                lists = options.load(err);
            } catch (IOException e) {
                err.println("omamori url serve: " + e.getMessage());
                return 2;
            }
            try {
                BufferedOutputStream out = new BufferedOutputStream(System.out, 64 * 1024);
                new SquidRewriter(lists, blockUrl).serve(System.in, out);
                out.flush();
                return 0;
            } catch (IOException e) {
                err.println("omamori url serve: " + e.getMessage());
                return 2;
            }
        }
    }
}
