package org.omamori.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.omamori.api.engine.Action;
import org.omamori.api.engine.Direction;
import org.omamori.api.engine.Inspection;
import org.omamori.api.engine.InspectionRequest;
import org.omamori.api.engine.Verdict;
import org.omamori.engine.av.AvEngine;
import org.omamori.engine.av.AvSettings;
import org.omamori.engine.av.clamd.ClamdAddress;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "av", mixinStandardHelpOptions = true, description = "Scans with the antivirus engine (ClamAV daemon).",
        subcommands = {AvCommand.Scan.class})
final class AvCommand {

    @Command(name = "scan", mixinStandardHelpOptions = true,
            description = {"Streams each file through the antivirus engine as a download and prints",
                    "clean / infected (signature) / error (why) for each.",
                    "The ./omamori script starts the project's clamd first (scripts/clamd.sh start).",
                    "Exit code 0: all clean; 1: something infected; 2: some file could not be scanned."})
    static final class Scan implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to scan.")
        List<Path> files;

        @Option(names = "--clamd", paramLabel = "HOST:PORT|unix:PATH",
                description = "Where clamd listens: TCP on loopback, or its local socket (default: where scripts/clamd.sh"
                        + " starts it, 127.0.0.1 on OMAMORI_CLAMD_PORT or 3399).")
        String clamd;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ClamdAddress address = ClamdAddress.LOCAL_DEFAULT;
            if (clamd != null) {
                int colon = clamd.lastIndexOf(':');
                try {
                    address = clamd.startsWith(ClamdAddress.LOCAL_SOCKET_PREFIX)
                            ? ClamdAddress.localSocket(Path.of(clamd.substring(ClamdAddress.LOCAL_SOCKET_PREFIX.length())))
                            : new ClamdAddress(clamd.substring(0, colon), Integer.parseInt(clamd.substring(colon + 1)));
                } catch (RuntimeException e) {
                    spec.commandLine().getErr().println("omamori av scan: --clamd must be HOST:PORT or unix:PATH, not '" + clamd + "'");
                    return 2;
                }
            }
            AvSettings d = AvSettings.DEFAULTS;
            boolean infected = false;
            boolean failed = false;
            Table table = new Table().row("結果/result", "FILE", "詳細/detail");
            try (AvEngine engine = new AvEngine("cli", new AvSettings(address, true, d.maxScanBytes(), d.scanTimeout(), 2))) {
                for (Path file : files) {
                    String[] row = scan(engine, file);
                    infected |= row[0].equals("infected");
                    failed |= row[0].equals("error");
                    table.row(row[0], file.toString(), row[1]);
                }
            }
            table.print(out);
            return infected ? 1 : failed ? 2 : 0;
        }

        private static String[] scan(AvEngine engine, Path file) {
            InspectionRequest request = InspectionRequest.other().url(file.toUri().toString()).build();
            try (Inspection inspection = engine.inspect(request); InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    inspection.body(Direction.RESPONSE, ByteBuffer.wrap(buffer, 0, n));
                }
                inspection.endOfBody(Direction.RESPONSE);
                Verdict v = inspection.verdict();
                if (v.action() == Action.NEUTRALISE) {
                    return new String[] {"infected", v.finding().orElseThrow().ruleName()};
                }
                if (v.finding().isPresent()) {
                    return new String[] {"error", v.note()};
                }
                return new String[] {"clean", ""};
            } catch (IOException e) {
                return new String[] {"error", "cannot read the file: " + e.getMessage()};
            }
        }
    }
}
