package org.omamori.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The operator's commands run on a fresh cloud home (its embedded store), with what they print kept. */
abstract class CloudHomeCommands {

    @TempDir
    Path home;

    StringWriter out;
    StringWriter err;

    /** {@code ./omamori ARGS --home HOME}: the exit code; {@link #out} and {@link #err} hold what it printed. */
    int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--home";
        all[args.length + 1] = home.toString();
        return new CommandLine(new Omamori()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all);
    }
}
