package org.omamori.http;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * What the user receives instead of an infected download: a short plain-text notice, Japanese
 * first and English second, saying what was found, that the file was neutralised and cannot be
 * opened, and whom to call. The intake sends it as the response body; the reseller's brand and
 * support desk come in through {@code brand} and {@code contact}.
 *
 * @param signature what the scanner found, e.g. {@code Omamori.Test.EICAR.UNOFFICIAL}
 * @param url       what was being downloaded
 * @param brand     the service name the customer knows, e.g. {@code サイバーセキュリティお助け隊}
 * @param contact   whom to call, e.g. the reseller's support desk and its phone number
 * @param when      when it happened
 */
public record NeutralisationNotice(String signature, String url, String brand, String contact, ZonedDateTime when) {

    /** Default wording when no reseller brand is configured yet. */
    public static final String DEFAULT_BRAND = "サイバーセキュリティお助け隊 / Cyber Security Otasuketai";
    public static final String DEFAULT_CONTACT = "ご契約の販売店のサポート窓口 / your provider's support desk";
    public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
    private static final int MAX_FIELD = 2048;

    public NeutralisationNotice {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(brand, "brand");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(when, "when");
    }

    /** A notice for now, in Japan's time zone, with the default brand and contact. */
    public static NeutralisationNotice of(String signature, String url) {
        return new NeutralisationNotice(signature, url, DEFAULT_BRAND, DEFAULT_CONTACT, ZonedDateTime.now(ZoneId.of("Asia/Tokyo")));
    }

    /** The notice as text. Field values are cut and stripped of control characters: they come from the network. */
    public String text() {
        String sig = clean(signature);
        String where = clean(url);
        String at = when.format(TIME);
        return "【ウイルスが見つかったため、このファイルは無害化されました】\r\n"
                + "ダウンロードしようとしたファイルからウイルス（" + sig + "）が見つかりました。\r\n"
                + brand + " がファイルを無害化したため、このファイルは開けません。\r\n"
                + "URL: " + where + "\r\n"
                + "日時: " + at + "\r\n"
                + "業務に必要なファイルの場合や心当たりがない場合は、" + contact + " にご連絡ください。\r\n"
                + "\r\n"
                + "[A virus was found: this file has been neutralised]\r\n"
                + "The file you tried to download contained a virus (" + sig + ").\r\n"
                + brand + " neutralised it; it cannot be opened.\r\n"
                + "URL: " + where + "\r\n"
                + "Time: " + at + "\r\n"
                + "If you need this file for your work, or if this is unexpected, please contact " + contact + ".\r\n";
    }

    public byte[] bytes() {
        return text().getBytes(StandardCharsets.UTF_8);
    }

    private static String clean(String value) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_FIELD));
        for (int i = 0; i < value.length() && out.length() < MAX_FIELD; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}
