package org.omamori.edition.vario;

import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.omamori.api.edition.Brand;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Names;
import org.omamori.api.edition.Support;
import org.omamori.api.edition.Terms;
import org.osgi.service.component.annotations.Component;

/**
 * The vario edition: seed 004 (セキュリティお助けパックサービス規約、バリオセキュア). Contact addresses are the
 * examples a distribution replaces with the reseller's own (docs/edition-sdk.md).
 */
@Component(service = Edition.class)
public final class VarioEdition implements Edition {

    private static final Brand BRAND = new Brand(
            new Names("セキュリティお助けパック", "Security Otasuke Pack"),
            new Names("バリオセキュア株式会社", "Vario Secure Inc."),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 160 32\" role=\"img\" aria-label=\"バリオセキュア株式会社\">"
                    + "<rect width=\"160\" height=\"32\" rx=\"6\" fill=\"#0068b7\"/>"
                    + "<rect x=\"6\" y=\"6\" width=\"20\" height=\"20\" rx=\"10\" fill=\"#f08300\"/>"
                    + "<text x=\"92\" y=\"21\" font-size=\"14\" text-anchor=\"middle\" fill=\"#ffffff\">VARIO</text></svg>",
            new Brand.Colours("#0068b7", "#f08300"),
            new Brand.Sender("otasuke-pack@vario.example", "バリオセキュア セキュリティお助けパック"),
            new Brand.MailTemplate("バリオセキュア株式会社 セキュリティお助けパックをご利用のお客様へ", """
                    本メールに関するお問い合わせは {desk} へお願いいたします。
                    電話 {phone}（{hours}、土日祝日・年末年始を除く） メール {deskMail}
                    このメールは送信専用のアドレスから24時間自動で送信しています。
                    {company} {service}"""),
            Optional.empty(),
            List.of(new Brand.LegalLink("セキュリティお助けパックサービス規約", "https://vario.example/otasuke-pack/terms")),
            Optional.of("T0000000000004")); // an example number: a distribution carries the reseller's own

    private static final Terms TERMS = new Terms(
            // 第9条, 別紙1 §2: initial 60,000 JPY per appliance (80,000 with endpoint protection), 9,800 a month per appliance,
            // 1,400 per PC a month, tax excluded; 2-year minimum; late payment 14.6 % a year.
            new Terms.Billing.PerAppliance(60_000, 80_000, 9_800, 1_400, 24, 146, Terms.Tax.EXCLUDED_10),
            // 第10-16条: 2-year minimum then month by month, cancelled a month ahead; early termination pays the months left;
            // no cancellation between application and installation; no refunds.
            new Terms.Contract(Terms.Renewal.MONTHLY, 24, 1, false, false, false, 30, true, List.of()),
            // 別紙1 §9: virus removal (remote, else on site), then insurance up to 1,000,000 JPY a year; no count of dispatches (0).
            new Terms.Insurance(1_000_000, 0, 1_000_000, 30, true, "ウイルス駆除サービス（リモート、困難な場合は訪問）で駆除できなかった場合に、年間100万円まで（賠償責任・費用）補償。対象はサポート対象OSのWindows PC・サーバー、VCRライセンスの有効期間中に限る", false),
            new Terms.Desk(new Names("バリオセキュア サポートセンター", "Vario Secure support centre"), "03-0000-0000", "support@vario.example",
                    LocalTime.of(9, 0), LocalTime.of(17, 0), List.of(Terms.ClosedDays.YEAR_END), 4),
            3);

    @Override
    public String id() {
        return "vario";
    }

    // 別紙1 §5–§6: remote configuration changes on request, 4 a month, done within 5 business days; a faulty
    // appliance is replaced the next business day and returned within 5 business days, carriage paid by Vario.
    private static final Support SUPPORT = new Support(4, 5, OptionalInt.of(1), OptionalInt.of(5), true, 7,
            Support.STANDARD.notices());

    @Override
    public Support support() {
        return SUPPORT;
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
