package org.omamori.smtp;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The text that replaces an infected attachment: Japanese first, English second, saying which
 * attachment was removed, what was found, and whom to call. The file name comes from the mail
 * (decoded from its Japanese encodings); it goes only to the recipient, never into an event.
 */
final class MailNotice {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private MailNotice() {
    }

    static String text(String filename, String signature, String brand, String contact, ZonedDateTime when) {
        String name = filename.isEmpty() ? "(名前なし / unnamed)" : filename;
        String at = when.format(TIME);
        return "【ウイルスが見つかったため、この添付ファイルは削除されました】\r\n"
                + "このメールの添付ファイル「" + name + "」からウイルス（" + signature + "）が見つかりました。\r\n"
                + brand + " が添付ファイルを削除し、代わりにこのお知らせを添付しました。メール本文と他の添付ファイルはそのまま届いています。\r\n"
                + "日時: " + at + "\r\n"
                + "送信者に心当たりがない場合は、返信やリンクのクリックをせず、" + contact + " にご連絡ください。\r\n"
                + "\r\n"
                + "[A virus was found: this attachment has been removed]\r\n"
                + "The attachment \"" + name + "\" of this mail contained a virus (" + signature + ").\r\n"
                + brand + " removed it and attached this notice instead; the rest of the mail is as it was sent.\r\n"
                + "Time: " + at + "\r\n"
                + "If you do not know the sender, do not reply or click any link, and contact " + contact + ".\r\n";
    }
}
