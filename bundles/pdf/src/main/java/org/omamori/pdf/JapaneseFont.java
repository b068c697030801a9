package org.omamori.pdf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * A TrueType font with Japanese glyphs, read from disk once and embedded as a subset into each
 * document: the subset's tag follows its glyphs, so the same text gives the same bytes. Thread-safe:
 * every document parses its own copy from the bytes held here (parsing from memory is cheap; reading
 * the 6 MB file per document was not).
 */
public final class JapaneseFont {

    /** Where Debian's fonts-ipafont-gothic puts IPA Gothic (scripts/fonts.sh installs it). */
    public static final Path DEBIAN_IPA_GOTHIC = Path.of("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf");

    private final Path path;
    private final byte[] bytes;

    /**
     * @param path a TrueType font with Japanese glyphs
     * @param what what needs it, for the message when it is missing (e.g. "invoice")
     * @throws IllegalArgumentException when the file is missing, saying how to install it
     */
    public JapaneseFont(Path path, String what) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("the " + what + " font " + path + " is missing: install fonts-ipafont-gothic (scripts/fonts.sh install)"
                    + " or give a TrueType font with Japanese glyphs");
        }
        this.path = path;
        try {
            this.bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the font " + path + ": " + e.getMessage(), e);
        }
    }

    /** IPA Gothic where Debian installs it. */
    public static JapaneseFont debian(String what) {
        return new JapaneseFont(DEBIAN_IPA_GOTHIC, what);
    }

    public Path path() {
        return path;
    }

    /** The font for {@code doc}, embedded as a subset of the glyphs the document uses (closed with the document). */
    public PDType0Font load(PDDocument doc) throws IOException {
        TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(bytes));
        // PDFBox closes the parsed font with the document when it embeds a subset.
        return PDType0Font.load(doc, ttf, true);
    }
}
