package org.omamori.portal.views;

import java.util.List;
import java.util.Locale;

import com.vaadin.flow.component.Html;

/**
 * Charts drawn on the server as SVG, each with a plain table of the same numbers beside it
 * (screen readers, copying, phones): no JavaScript add-on, so the ready-made frontend bundle stays.
 * Every text is escaped; a label may be a customer's own appliance name.
 */
final class Charts {

    /** One bar: a label, its value, and optionally a second value drawn as a marker (an average). */
    record Bar(String label, double value, Double reference) {
    }

    private Charts() {
    }

    /** Horizontal bars with the table beside them, as one component. */
    static Html bars(String id, String caption, List<Bar> bars, String valueHeader, String referenceHeader) {
        double max = bars.stream().mapToDouble(b -> Math.max(b.value(), b.reference() == null ? 0 : b.reference()))
                .max().orElse(0);
        int row = 26;
        int labelWidth = 150;
        int width = 420;
        int height = Math.max(row, bars.size() * row) + 4;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" aria-label=\"")
                .append(escape(caption)).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\">");
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = i * row + 2;
            double scale = max <= 0 ? 0 : (width - labelWidth - 60) / max;
            svg.append("<text x=\"0\" y=\"").append(y + 16).append("\" class=\"chart-label\">")
                    .append(escape(shorten(b.label(), 18))).append("</text>");
            svg.append("<rect class=\"chart-bar\" x=\"").append(labelWidth).append("\" y=\"").append(y + 4)
                    .append("\" height=\"16\" width=\"").append(String.format(Locale.ROOT, "%.1f", b.value() * scale))
                    .append("\"/>");
            if (b.reference() != null) {
                double x = labelWidth + b.reference() * scale;
                svg.append("<line class=\"chart-reference\" x1=\"").append(String.format(Locale.ROOT, "%.1f", x))
                        .append("\" x2=\"").append(String.format(Locale.ROOT, "%.1f", x)).append("\" y1=\"").append(y + 1)
                        .append("\" y2=\"").append(y + 23).append("\"/>");
            }
            svg.append("<text class=\"chart-value\" x=\"").append(String.format(Locale.ROOT, "%.1f", labelWidth + b.value() * scale + 4))
                    .append("\" y=\"").append(y + 16).append("\">").append(number(b.value())).append("</text>");
        }
        svg.append("</svg>");
        StringBuilder table = new StringBuilder("<table class=\"chart-table\"><caption>").append(escape(caption))
                .append("</caption><thead><tr><th></th><th>").append(escape(valueHeader)).append("</th>");
        if (referenceHeader != null) {
            table.append("<th>").append(escape(referenceHeader)).append("</th>");
        }
        table.append("</tr></thead><tbody>");
        for (Bar b : bars) {
            table.append("<tr><th scope=\"row\">").append(escape(b.label())).append("</th><td>").append(number(b.value()))
                    .append("</td>");
            if (referenceHeader != null) {
                table.append("<td>").append(b.reference() == null ? "—" : number(b.reference())).append("</td>");
            }
            table.append("</tr>");
        }
        table.append("</tbody></table>");
        return new Html("<div class=\"chart-with-table\" id=\"" + escape(id) + "\">" + svg + table + "</div>");
    }

    static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** HTML/XML text and attribute escaping. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\t' ? ' ' : c);
            }
        }
        return b.toString();
    }
}
