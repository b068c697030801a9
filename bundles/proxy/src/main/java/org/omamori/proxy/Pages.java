package org.omamori.proxy;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.omamori.api.engine.Finding;
import org.omamori.api.engine.Verdict;

/** The pages the proxy answers with itself: Japanese first, English second, with the brand. */
final class Pages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    private Pages() {
    }

    /** Why a request was blocked, for the user who made it. */
    static byte[] blocked(Brand brand, String url, Verdict verdict) {
        String reason = verdict.finding().map(Finding::ruleName).orElse("");
        String rule = verdict.finding().map(Finding::ruleId).orElse("");
        return page(brand, "アクセスがブロックされました / Access blocked",
                "<h1>このページへのアクセスはブロックされました</h1>"
                + "<p>安全のため、" + esc(brand.name()) + " がこのページへのアクセスを止めました。"
                + "危険なサイト（フィッシング、ウイルス配布など）や攻撃と判断された通信です。</p>"
                + facts(url, reason, rule)
                + "<p>業務に必要なページの場合や心当たりがない場合は、" + esc(brand.contact()) + " にご連絡ください。</p>"
                + "<hr><h2 lang=\"en\">Access to this page was blocked</h2>"
                + "<p lang=\"en\">For your safety, " + esc(brand.name()) + " stopped this request: it was judged to be a dangerous "
                + "site (phishing, malware distribution, …) or an attack.</p>"
                + "<p lang=\"en\">If you need this page for your work, or if this is unexpected, please contact "
                + esc(brand.contact()) + ".</p>");
    }

    /** A request the proxy could not or would not forward: malformed, unreachable origin. */
    static byte[] error(Brand brand, int status, String why) {
        String ja = switch (status) {
            case 502 -> "接続先のサーバーから正しい応答がありませんでした。";
            case 504 -> "接続先のサーバーが時間内に応答しませんでした。";
            case 503 -> "ただいま混み合っています。しばらくしてからもう一度お試しください。";
            default -> "リクエストの形式が正しくないため、転送できませんでした。";
        };
        return page(brand, status + " " + reason(status),
                "<h1>" + ja + "</h1><p lang=\"en\">" + status + " " + reason(status) + ": " + esc(why) + "</p>");
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 405 -> "Method Not Allowed";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }

    private static String facts(String url, String reason, String rule) {
        return "<table><tr><th>URL</th><td>" + esc(url) + "</td></tr>"
                + (reason.isEmpty() ? "" : "<tr><th>理由 / Reason</th><td>" + esc(reason) + "</td></tr>")
                + (rule.isEmpty() ? "" : "<tr><th>ルール / Rule</th><td>" + esc(rule) + "</td></tr>")
                + "<tr><th>日時 / Time</th><td>" + ZonedDateTime.now(JAPAN).format(TIME) + "</td></tr></table>";
    }

    private static byte[] page(Brand brand, String title, String body) {
        return ("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + "</title><style>body{font-family:sans-serif;max-width:42em;margin:2em auto;"
                + "padding:0 1em;line-height:1.6}th{text-align:left;padding-right:1em}td{word-break:break-all}"
                + "header{color:#555;border-bottom:3px solid " + brand.colour() + "}</style></head><body><header>" + esc(brand.name())
                + "</header>" + body + "</body></html>").getBytes(StandardCharsets.UTF_8);
    }

    /** HTML-escapes text that came from the network. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 2048) + 16);
        for (int i = 0; i < s.length() && i < 2048; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 ? '?' : c);
            }
        }
        return out.toString();
    }
}
