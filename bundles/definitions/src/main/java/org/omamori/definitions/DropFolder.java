package org.omamori.definitions;

import org.omamori.api.text.Printable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline installs: a package {@code <name>.zip} and its signature {@code <name>.zip.sig} (base64)
 * put into {@code definitions/incoming/} are installed once both are there and the package has
 * not changed for a moment; then both are removed, or moved to {@code incoming/refused/} when the
 * package was refused or could not be applied (the event and the log say why). A file name with a
 * control character is refused unread. Names from here reach logs and events escaped.
 */
public final class DropFolder {

    public static final String SIGNATURE_SUFFIX = ".sig";

    private static final Logger LOG = LoggerFactory.getLogger(DropFolder.class);

    private final Path folder;
    private final Installer installer;
    private final long maxBytes;
    private final Duration settle;
    private final Clock clock;

    /**
     * @param settle a package younger than this (last modified) waits for the next scan: it may still be being copied
     */
    public DropFolder(Path folder, Installer installer, long maxBytes, Duration settle, Clock clock) throws IOException {
        this.folder = folder;
        this.installer = installer;
        this.maxBytes = maxBytes;
        this.settle = settle;
        this.clock = clock;
        Files.createDirectories(folder);
    }

    public Path folder() {
        return folder;
    }

    /** Installs what is ready; returns the outcomes, in name order. */
    public List<Outcome> scan() {
        List<Path> ready = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "*.zip")) {
            for (Path zip : dir) {
                Path sig = zip.resolveSibling(zip.getFileName() + SIGNATURE_SUFFIX);
                if (Files.isRegularFile(zip, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(sig, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(zip).toInstant().plus(settle).isBefore(clock.instant())
                        && Files.getLastModifiedTime(sig).toInstant().plus(settle).isBefore(clock.instant())) {
                    ready.add(zip);
                }
            }
        } catch (IOException e) {
            LOG.warn("definitions drop folder {} not readable: {}", folder, Printable.of(Installer.describe(e)));
            return List.of();
        }
        ready.sort(null);
        List<Outcome> outcomes = new ArrayList<>();
        for (Path zip : ready) {
            Outcome o = Printable.hasUnsafe(zip.getFileName().toString()) ? refuseName(zip) : take(zip);
            if (o != null) {
                outcomes.add(o);
            }
        }
        return outcomes;
    }

    /**
     * A package whose file name holds a control character (a newline, ESC, a bidi override) is
     * refused unread: such a name has no honest use and would forge log lines or drive a terminal.
     * It is reported like any refused package and moved to {@code refused/} under an escaped name.
     */
    private Outcome refuseName(Path zip) {
        String name = zip.getFileName().toString();
        Outcome outcome = installer.refuse(new Refused(Refused.Reason.MALFORMED,
                "file name holds a control character: " + Printable.of(name)), "incoming/" + name);
        putAside(zip);
        return outcome;
    }

    /** The outcome, or null when the files could not be read (they stay for the next scan). */
    private Outcome take(Path zip) {
        Path sig = zip.resolveSibling(zip.getFileName() + SIGNATURE_SUFFIX);
        String origin = "incoming/" + zip.getFileName();
        Outcome outcome;
        try {
            byte[] bytes = readAtMost(zip, maxBytes + 1); // one byte over is enough for the installer to refuse it
            byte[] signature = SignedPackage.signatureOf(new String(readAtMost(sig, 1024), java.nio.charset.StandardCharsets.US_ASCII));
            outcome = installer.install(new SignedPackage(bytes, signature), origin);
        } catch (IOException e) {
            LOG.warn("definitions drop folder: {} not read, will try again: {}", Printable.of(zip.toString()), Printable.of(Installer.describe(e)));
            return null;
        }
        if (outcome instanceof Outcome.Applied || outcome instanceof Outcome.Current) {
            try {
                Files.deleteIfExists(zip);
                Files.deleteIfExists(sig);
            } catch (IOException e) {
                LOG.warn("definitions drop folder: {} could not be cleared away: {}", Printable.of(zip.toString()), Printable.of(Installer.describe(e)));
            }
        } else {
            putAside(zip);
        }
        return outcome;
    }

    /** Moves a package and its signature to {@code refused/}; a name with control characters is escaped there. */
    private void putAside(Path zip) {
        Path sig = zip.resolveSibling(zip.getFileName() + SIGNATURE_SUFFIX);
        try {
            Path refused = Files.createDirectories(folder.resolve("refused"));
            for (Path p : List.of(zip, sig)) {
                String name = p.getFileName().toString();
                Path to = refused.resolve(Printable.hasUnsafe(name) ? Printable.fileName(name) : name);
                Files.move(p, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("definitions drop folder: {} could not be cleared away: {}", Printable.of(zip.toString()),
                    Printable.of(Installer.describe(e)));
        }
    }

    private static byte[] readAtMost(Path file, long max) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes((int) Math.min(max, Integer.MAX_VALUE - 16));
        }
    }
}
