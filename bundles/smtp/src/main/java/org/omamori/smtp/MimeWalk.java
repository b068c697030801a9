package org.omamori.smtp;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * Walks a mail's MIME structure as it streams in (Apache James mime4j's token stream): nested
 * multiparts and attached messages, each leaf part decoded (base64, quoted-printable) and handed
 * to an inspector as it arrives, so no part is ever held whole. Entities are numbered in the
 * order their headers end; the same walk over the same bytes numbers them the same, which is how
 * {@link MailWriter} finds the parts to replace. Bounded: header bytes and fields per entity,
 * nesting depth and part count; past a bound the walk stops with a fault and the mail is refused.
 */
final class MimeWalk {

    /** One leaf part and what the inspector said of it. */
    record Part<R>(int entity, String mimeType, String filename, R result) { }

    /** What the walk found; {@code fault} is null when the structure was within every bound. */
    record Outcome<R>(List<Part<R>> parts, String fault, int hops) { }

    /** Inspects one leaf part's decoded content. */
    interface Inspector<R> {
        R inspect(int entity, String mimeType, InputStream decoded) throws IOException;
    }

    private MimeWalk() {
    }

    static MimeConfig config(SmtpSettings s) {
        return new MimeConfig.Builder()
                .setMaxLineLen(-1) // DataStream bounds the lines
                .setMaxHeaderLen(s.maxHeaderBytes())
                .setMaxHeaderCount(s.maxHeaderFields())
                .setMaxContentLen(-1)
                .setMaxNestingDepth(s.maxMimeDepth() + 1)
                .setMaxPartCount(s.maxMimeParts() * 2 + 16)
                .build();
    }

    static MimeTokenStream tokens(SmtpSettings s, InputStream mail) {
        MimeTokenStream tokens = new MimeTokenStream(config(s));
        tokens.setRecursionMode(RecursionMode.M_RECURSE);
        tokens.parse(mail);
        return tokens;
    }

    static <R> Outcome<R> walk(InputStream mail, SmtpSettings s, Inspector<R> inspector) throws IOException {
        MimeTokenStream tokens = tokens(s, mail);
        List<Part<R>> parts = new ArrayList<>();
        int entity = 0;
        int depth = 0;
        int hops = 0;
        boolean top = true;
        long headerBytes = 0;
        String filename = "";
        try {
            for (EntityState state = tokens.getState(); state != EntityState.T_END_OF_STREAM; state = tokens.next()) {
                switch (state) {
                    case T_START_HEADER -> {
                        headerBytes = 0;
                        filename = "";
                    }
                    case T_FIELD -> {
                        Field f = tokens.getField();
                        headerBytes += f.getRaw().length() + 2;
                        if (headerBytes > s.maxHeaderBytes()) {
                            return new Outcome<>(parts, "a header over " + s.maxHeaderBytes() + " bytes", hops);
                        }
                        String name = f.getNameLowerCase();
                        if (top && name.equals("received")) {
                            hops++;
                        }
                        if (name.equals("content-disposition") || name.equals("content-type") && filename.isEmpty()) {
                            String found = filename(f.getBody(), name.equals("content-type") ? "name" : "filename");
                            if (!found.isEmpty()) {
                                filename = found;
                            }
                        }
                    }
                    case T_END_HEADER -> {
                        entity++;
                        top = false;
                    }
                    case T_START_MULTIPART, T_START_MESSAGE -> {
                        if (++depth > s.maxMimeDepth()) {
                            return new Outcome<>(parts, "MIME parts nested deeper than " + s.maxMimeDepth(), hops);
                        }
                    }
                    case T_END_MULTIPART, T_END_MESSAGE -> depth--;
                    case T_BODY -> {
                        if (parts.size() >= s.maxMimeParts()) {
                            return new Outcome<>(parts, "more than " + s.maxMimeParts() + " MIME parts", hops);
                        }
                        String type = tokens.getBodyDescriptor().getMimeType();
                        R result = inspector.inspect(entity, type, tokens.getDecodedInputStream());
                        parts.add(new Part<>(entity, type, filename, result));
                    }
                    default -> { }
                }
            }
        } catch (MimeException e) {
            return new Outcome<>(parts, "malformed MIME (" + e.getClass().getSimpleName() + ")", hops);
        }
        return new Outcome<>(parts, null, hops);
    }

    private static final Pattern EXTENDED = Pattern.compile("(?i)(?:^|;)\\s*%s\\*(?:0\\*)?\\s*=\\s*([^;\\s]+)");
    private static final Pattern PLAIN = Pattern.compile("(?i)(?:^|;)\\s*%s(?:\\*0)?\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^;\\s]+)");

    /**
     * A file name parameter, decoded: RFC 2231 ({@code filename*=ISO-2022-JP''%1B%24B...}) or
     * RFC 2047 encoded words ({@code =?ISO-2022-JP?B?...?=}, as Japanese mailers write it), or
     * plain; empty when none. Cut to 200 characters, control characters dropped.
     */
    static String filename(String fieldBody, String param) {
        String body = MimeUtil.unfold(fieldBody);
        Matcher ext = Pattern.compile(String.format(EXTENDED.pattern(), param)).matcher(body);
        String value = null;
        if (ext.find()) {
            String v = ext.group(1);
            int q1 = v.indexOf('\'');
            int q2 = q1 < 0 ? -1 : v.indexOf('\'', q1 + 1);
            if (q2 > 0) {
                try {
                    Charset cs = Charset.forName(v.substring(0, q1).strip());
                    value = URLDecoder.decode(v.substring(q2 + 1).replace("+", "%2B"), cs);
                } catch (RuntimeException e) {
                    value = null;
                }
            }
        }
        if (value == null) {
            Matcher plain = Pattern.compile(String.format(PLAIN.pattern(), param)).matcher(body);
            if (plain.find()) {
                String v = plain.group(2) != null ? plain.group(2).replaceAll("\\\\(.)", "$1") : plain.group(1);
                try {
                    value = DecoderUtil.decodeEncodedWords(v, DecodeMonitor.SILENT);
                } catch (IllegalArgumentException e) {
                    value = v;
                }
            }
        }
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        value.codePoints().filter(c -> c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0)).limit(200).forEach(out::appendCodePoint);
        return out.toString();
    }
}
