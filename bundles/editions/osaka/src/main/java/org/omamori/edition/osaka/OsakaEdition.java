package org.omamori.edition.osaka;

import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.omamori.api.edition.Brand;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Names;
import org.omamori.api.edition.Terms;
import org.osgi.service.component.annotations.Component;

/**
 * The osaka edition: seed 000 (NEC サイバーセキュリティ見守りサービス 仕様書 1.4.1). Contact addresses are the
 * examples a distribution replaces with the reseller's own (docs/edition-sdk.md).
 */
@Component(service = Edition.class)
public final class OsakaEdition implements Edition {

    private static final Brand BRAND = new Brand(
            new Names("サイバーセキュリティ見守りサービス（大阪商工会議所）", "Cyber Security Watch Service (Osaka CCI)"),
            new Names("大阪商工会議所", "Osaka Chamber of Commerce and Industry"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 160 32\" role=\"img\" aria-label=\"大阪商工会議所\">"
                    + "<rect width=\"160\" height=\"32\" rx=\"6\" fill=\"#00479d\"/>"
                    + "<rect x=\"6\" y=\"6\" width=\"20\" height=\"20\" rx=\"10\" fill=\"#e60012\"/>"
                    + "<text x=\"92\" y=\"21\" font-size=\"14\" text-anchor=\"middle\" fill=\"#ffffff\">大阪</text></svg>",
            new Brand.Colours("#00479d", "#e60012"),
            new Brand.Sender("mimamori@osaka-cci.example", "大阪商工会議所 見守りサービス"),
            new Brand.MailTemplate("大阪商工会議所 サイバーセキュリティ見守りサービス（大阪商工会議所）をご利用のお客様へ", """
                    本メールに関するお問い合わせは {desk} へお願いいたします。
                    電話 {phone}（{hours}、土日祝日・年末年始を除く） メール {deskMail}
                    このメールは送信専用のアドレスから24時間自動で送信しています。
                    {company} {service}"""),
            Optional.empty(),
            List.of(new Brand.LegalLink("利用規約", "https://osaka-cci.example/mimamori/terms"),
                    new Brand.LegalLink("個人情報の取扱い", "https://osaka-cci.example/privacy")),
            Optional.of("T0000000000001")); // an example number: a distribution carries the reseller's own

    private static final Terms TERMS = new Terms(
            // 000 §7.5: the monthly fee is the reseller's (the seed states none): each contract gives it.
            new Terms.Billing.MonthlyFromNextMonth(OptionalLong.empty(), Terms.Tax.INCLUDED_10),
            // 000 §7.5, §7.8: billed from the month after the start, no proration, a cancellation runs to the month's end; §7.19, §7.7: no refunds, no suspension on request.
            new Terms.Contract(Terms.Renewal.MONTHLY, 0, 0, false, false, false, 30, false, List.of()),
            // 000 別紙2: 150,000 JPY × 2 dispatches a year, tax included.
            new Terms.Insurance(150_000, 2, 300_000, 30, true, "★★★のアラートメールから30日以内の駆け付け対応の費用を、1回15万円（税その他一式込み）×2回、保険責任期間1年あたり30万円まで補償", false),
            new Terms.Desk(new Names("大阪商工会議所 見守りサービス相談窓口", "Osaka CCI help desk"), "06-0000-0000", "desk@osaka-cci.example",
                    LocalTime.of(9, 0), LocalTime.of(17, 0), List.of(Terms.ClosedDays.YEAR_END), 4),
            3);

    @Override
    public String id() {
        return "osaka";
    }

    @Override
    public Brand brand() {
        return BRAND;
    }

    @Override
    public Terms terms() {
        return TERMS;
    }
}
