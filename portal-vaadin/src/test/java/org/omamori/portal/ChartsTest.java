package org.omamori.portal.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Server-side charts: every text escaped, numbers beside the bars, the QR code well formed. */
class ChartsTest {

    @Test
    void aHostileApplianceNameIsText() {
        String html = Charts.bars("x", "cap", List.of(new Charts.Bar("<script>alert(1)</script>\"&'", 3, 1.5)), "n", "avg")
                .getElement().getOuterHTML();
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;").contains("<td>1.5</td>").contains("<td>3</td>");
    }

    @Test
    void barsScaleToTheLargestValueAndZeroDrawsNothing() {
        String svg = Charts.bars("x", "cap", List.of(new Charts.Bar("a", 0, null), new Charts.Bar("b", 10, null)), "n", null)
                .getElement().getOuterHTML();
        assertThat(svg).contains("width=\"0.0\"").contains("width=\"210.0\"");
    }

    @Test
    void theQrCodeIsOneSvgPath() {
        String svg = QrCode.svg("otpauth://totp/Omamori:%E5%B1%B1%E7%94%B0?secret=JBSWY3DPEHPK3PXP&issuer=Omamori");
        assertThat(svg).startsWith("<svg").contains("<path").endsWith("</svg>");
    }
}
