package org.omamori.pdf;

import java.io.IOException;

import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/** Text placed left, right or centred at a point, and horizontal rules, on one page's content stream. */
public record PdfText(PDPageContentStream cs, PDType0Font font) {

    public void left(String text, float size, float x, float y) throws IOException {
        cs.beginText();
        cs.setFont(font, size);
        cs.newLineAtOffset(x, y);
        cs.showText(text);
        cs.endText();
    }

    public void right(String text, float size, float x, float y) throws IOException {
        left(text, size, x - width(text, size), y);
    }

    public void centered(String text, float size, float x, float y) throws IOException {
        left(text, size, x - width(text, size) / 2, y);
    }

    /** How wide {@code text} is at {@code size}, in points. */
    public float width(String text, float size) throws IOException {
        return font.getStringWidth(text) / 1000 * size;
    }

    public void rule(float from, float to, float y) throws IOException {
        cs.moveTo(from, y);
        cs.lineTo(to, y);
        cs.setLineWidth(0.5f);
        cs.stroke();
    }
}
