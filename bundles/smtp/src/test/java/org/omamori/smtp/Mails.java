package org.omamori.smtp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Mails for the tests, made here; EICAR is assembled at run time so no source file is "infected". */
final class Mails {

    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-" + "TEST-FILE!$H+H*";
    static final String MARKER = "OMAMORI-SMTP-TEST-MARKER-5d21";

    private Mails() {
    }

    /** A plain Japanese mail: ISO-2022-JP subject and body, as Japanese mailers send it. */
    static String japanese() {
        return "From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <taro@sender.example>\r\n"
                + "To: hanako@example.jp\r\n"
                + "Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=ISO-2022-JP\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n"
                + "\r\n"
                + "\u001b$B$3$s$K$A$O\u001b(B\r\n"
                + ".a line that starts with a dot\r\n"
                + "end\r\n";
    }

    /** A mail with a text part and an attachment named 請求書.zip (ISO-2022-JP encoded word), base64. */
    static String withAttachment(byte[] attachment) {
        String b64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(attachment);
        return "From: taro@sender.example\r\n"
                + "To: hanako@example.jp\r\n"
                + "Subject: invoice\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
                + "\r\n"
                + "preamble\r\n"
                + "--outer\r\n"
                + "Content-Type: multipart/alternative; boundary=\"inner\"\r\n"
                + "\r\n"
                + "--inner\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: quoted-printable\r\n"
                + "\r\n"
                + "=E8=AB=8B=E6=B1=82=E6=9B=B8=E3=82=92=E9=80=81=E3=82=8A=E3=81=BE=E3=81=99\r\n"
                + "--inner\r\n"
                + "Content-Type: text/html; charset=UTF-8\r\n"
                + "\r\n"
                + "<p>invoice</p>\r\n"
                + "--inner--\r\n"
                + "--outer\r\n"
                + "Content-Type: application/zip; name=\"=?ISO-2022-JP?B?GyRCQEE1YT1xGyhCLnppcA==?=\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment;\r\n filename=\"=?ISO-2022-JP?B?GyRCQEE1YT1xGyhCLnppcA==?=\"\r\n"
                + "\r\n"
                + b64 + "\r\n"
                + "--outer--\r\n"
                + "epilogue\r\n";
    }

    static byte[] eicar() {
        return EICAR.getBytes(StandardCharsets.US_ASCII);
    }

    /** Multiparts nested {@code depth} deep. */
    static String nested(int depth) {
        StringBuilder b = new StringBuilder("From: a@sender.example\r\nTo: hanako@example.jp\r\nMIME-Version: 1.0\r\n");
        for (int i = 0; i < depth; i++) {
            b.append("Content-Type: multipart/mixed; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        b.append("Content-Type: text/plain\r\n\r\n").append(MARKER).append("\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            b.append("--b").append(i).append("--\r\n");
        }
        return b.toString();
    }
}
