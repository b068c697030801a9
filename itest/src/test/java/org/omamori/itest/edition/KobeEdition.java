package org.omamori.itest.edition;

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
 * The example edition of docs/edition-sdk.md, complete: a reseller that is not in the seeds, built
 * into a bundle by the itest and dropped into a running cloud's {@code editions/} folder.
 */
@Component(service = Edition.class)
public final class KobeEdition implements Edition {

    private static final Brand BRAND = new Brand(
            new Names("神戸サイバー見守りサービス", "Kobe Cyber Watch"),
            new Names("神戸商工会議所", "Kobe Chamber of Commerce and Industry"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 160 32\"><rect width=\"160\" height=\"32\" rx=\"6\" fill=\"#004098\"/>"
                    + "<text x=\"80\" y=\"21\" font-size=\"14\" text-anchor=\"middle\" fill=\"#ffffff\">神戸</text></svg>",
            new Brand.Colours("#004098", "#e60033"),
            new Brand.Sender("mimamori@kobe-cci.example", "神戸商工会議所 見守りサービス"),
            new Brand.MailTemplate("{company} {service}をご利用のお客様へ", """
                    お問い合わせは {desk}（{phone}、{hours}）へお願いいたします。
                    {company}"""),
            Optional.empty(),
            List.of(new Brand.LegalLink("利用規約", "https://kobe-cci.example/mimamori/terms")),
            Optional.of("T0000000000009"));

    private static final Terms TERMS = new Terms(
            new Terms.Billing.MonthlyFromNextMonth(OptionalLong.of(5_500), Terms.Tax.INCLUDED_10),
            new Terms.Contract(Terms.Renewal.MONTHLY, 0, 0, false, false, false, 30, false, List.of()),
            new Terms.Insurance(150_000, 2, 300_000, 30, true, "駆け付け対応の費用を1回15万円×2回まで補償", false),
            new Terms.Desk(new Names("神戸 見守りサービス相談窓口", "Kobe help desk"), "078-000-0000", "desk@kobe-cci.example",
                    LocalTime.of(9, 0), LocalTime.of(17, 0), List.of(Terms.ClosedDays.YEAR_END), 4),
            3);

    @Override
    public String id() {
        return "kobe";
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
