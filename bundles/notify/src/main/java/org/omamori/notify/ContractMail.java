package org.omamori.notify;

import java.time.LocalDate;
import java.util.Optional;

/** The mails of a contract's life (docs/contracts.md), in the customer's edition's brand. */
public final class ContractMail {

    private ContractMail() {
    }

    /**
     * The approval mail: its sending forms the contract (docs/contracts.md "Approval").
     *
     * @param start  the service start the terms fix, if they fix one
     * @param nextJa what happens next, e.g. 初回利用料の支払い
     * @param by     the day it is due, if any
     */
    public static Mail approved(Brand brand, Recipients to, long contract, LocalDate approved, Optional<LocalDate> start,
                                String nextJa, Optional<LocalDate> by) {
        String subject = "【契約成立】" + brand.serviceName() + " お申込み承認のお知らせ（契約番号 " + contract + "）";
        String body = MailText.head(brand)
                + "このたびはお申込みいただき、ありがとうございます。\n"
                + "お申込みを " + approved + " に承認いたしました。本メールの送信をもって利用契約が成立します。\n\n"
                + "契約番号: " + contract + "\n"
                + "利用開始日: " + start.map(LocalDate::toString).orElse("機器の設置・有効化の日") + "\n"
                + "次のお手続き: " + nextJa + by.map(d -> "（期日 " + d + "）").orElse("") + "\n\n"
                + MailText.footer(brand);
        return brand.mail(to, subject, body);
    }

    /**
     * The renewal notice (Niigata: mid-January, docs/contracts.md "Renewal"): the period ends, it
     * renews for a year unless cancelled, and the renewal fee is due.
     */
    public static Mail renewalNotice(Brand brand, Recipients to, long contract, LocalDate periodEnd, String feeLine, long fee,
                                     Optional<LocalDate> due, LocalDate cancelBy) {
        String subject = "【契約更新のご案内】" + brand.serviceName() + "（契約番号 " + contract + "）";
        String body = MailText.head(brand)
                + "ご利用中の契約は " + periodEnd + " に期間が満了し、お申出がない限り " + periodEnd.plusDays(1) + " から1年間更新されます。\n\n"
                + "契約番号: " + contract + "\n"
                + feeLine + ": " + String.format(java.util.Locale.ROOT, "%,d円", fee) + due.map(d -> "（お支払期日 " + d + "）").orElse("") + "\n"
                + "更新しない場合のお申出期限: " + cancelBy + "\n\n"
                + MailText.footer(brand);
        return brand.mail(to, subject, body);
    }
}
