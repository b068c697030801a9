package org.omamori.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.omamori.api.edition.Brand;
import org.omamori.api.edition.Defaults;
import org.omamori.api.edition.Edition;
import org.omamori.api.edition.Terms;
import org.omamori.backoffice.edition.Editions;
import org.omamori.backoffice.edition.NeutralEdition;
import org.omamori.edition.niigata.NiigataEdition;
import org.omamori.edition.vario.VarioEdition;
import org.omamori.events.ApplianceId;
import org.omamori.notify.Recipients;
import org.omamori.notify.SmtpSettings;
import org.omamori.store.CustomerId;
import org.omamori.store.QueuedMail;
import org.omamori.store.ResellerId;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.threeten.extra.MutableClock;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * One node, customers of different editions (docs/edition-sdk.md): each gets mail in its reseller's
 * edition's brand and sender and is graded with its edition's star table; editions installed,
 * updated and removed while the node runs take effect at once. Real H2 and a real SMTP server.
 */
class EditionMailTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    static final Instant T0 = Instant.parse("2026-11-20T01:00:00Z");

    /** An edition whose star table makes a blocked phishing site ★★☆ (the platform's says ★☆☆). */
    record Strict(String id) implements Edition {
        @Override
        public Brand brand() {
            return NeutralEdition.INSTANCE.brand();
        }

        @Override
        public Terms terms() {
            return NeutralEdition.INSTANCE.terms();
        }

        @Override
        public Defaults defaults() {
            return new Defaults(Optional.of("dedup 1h\nrule phishing-blocked ★★☆ evidence=phishing result=block,neutralise\n"), 90);
        }
    }

    @TempDir
    Path dir;

    final MutableClock clock = MutableClock.of(T0, ZoneOffset.UTC);
    final Editions editions = new Editions();
    Store store;
    Monitor monitor;

    @BeforeEach
    void open() {
        store = Store.open(StoreSettings.h2File(dir.resolve("omamori")), clock);
        monitor = new Monitor(store, MonitorSettings.standard().withSmtp(
                SmtpSettings.of("127.0.0.1", SMTP.getSmtp().getPort(), "noreply@omamori.example")), clock, editions);
    }

    @AfterEach
    void close() {
        store.close();
    }

    CustomerId customer(String reseller, Optional<String> edition, String appliance, String mail) {
        ResellerId r = store.tenants().createReseller(reseller, edition);
        CustomerId c = store.tenants().createCustomer(r, reseller + "のお客様");
        store.tenants().registerAppliance(c, new ApplianceId(appliance));
        store.monitoring().recipients(c, Recipients.of(mail));
        return c;
    }

    QueuedMail mailTo(String address) {
        return monitor.monitoring().outbox(20).stream().filter(m -> m.mail().to().addresses().contains(address)).findFirst().orElseThrow();
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String header(MimeMessage m, String name) {
        try {
            return String.valueOf(m.getHeader(name, ", "));
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoCustomersOfDifferentEditionsGetDifferentlyBrandedMailFromOneNode() throws Exception {
        editions.install(new NiigataEdition(), "1.0.0");
        editions.install(new VarioEdition(), "1.0.0");
        customer("新潟商工会議所", Optional.of("niigata"), "0e0000000001", "soumu@niigata-customer.example");
        customer("バリオセキュア", Optional.of("vario"), "0e0000000002", "it@vario-customer.example");
        customer("未設定の販売店", Optional.empty(), "0e0000000003", "info@neutral-customer.example");
        for (String a : List.of("0e0000000001", "0e0000000002", "0e0000000003")) {
            ApplianceId id = new ApplianceId(a);
            monitor.ingest().store(id, List.of(Traffic.c2(id, T0, "192.168.1.10")));
        }
        clock.add(Duration.ofMinutes(6));
        assertThat(monitor.flushAlertMail()).isEqualTo(3);

        QueuedMail niigata = mailTo("soumu@niigata-customer.example");
        assertThat(niigata.mail().subject()).contains("★★★", "商工会議所サイバーセキュリティお助け隊サービス");
        assertThat(niigata.mail().body()).startsWith("新潟商工会議所 商工会議所サイバーセキュリティお助け隊サービスをご利用のお客様へ")
                .contains("新潟商工会議所 お助け隊サービス相談窓口", "025-000-0000", "平日 9:00〜17:00", "desk@niigata-cci.example")
                .doesNotContain("{desk}", "{phone}");
        assertThat(niigata.mail().from()).hasValueSatisfying(f -> assertThat(f.address()).isEqualTo("otasuketai@niigata-cci.example"));

        QueuedMail vario = mailTo("it@vario-customer.example");
        assertThat(vario.mail().subject()).contains("★★★", "セキュリティお助けパック").doesNotContain("商工会議所");
        assertThat(vario.mail().body()).contains("バリオセキュア サポートセンター", "03-0000-0000");

        QueuedMail neutral = mailTo("info@neutral-customer.example");
        assertThat(neutral.mail().subject()).contains("サイバーセキュリティお助け隊");
        assertThat(neutral.mail().body()).startsWith("お客様各位");
        assertThat(neutral.mail().from()).isEmpty();

        assertThat(monitor.sendMail()).isEqualTo(3);
        MimeMessage sent = Arrays.stream(SMTP.getReceivedMessages())
                .filter(m -> subject(m).contains("セキュリティお助けパック")).findFirst().orElseThrow();
        InternetAddress from = (InternetAddress) sent.getFrom()[0];
        assertThat(from.getAddress()).isEqualTo("otasuke-pack@vario.example");
        assertThat(from.getPersonal()).isEqualTo("バリオセキュア セキュリティお助けパック");
        assertThat(((InternetAddress) sent.getSender()).getAddress()).as("the node sends on the edition's behalf")
                .isEqualTo("noreply@omamori.example");
        MimeMessage plain = Arrays.stream(SMTP.getReceivedMessages())
                .filter(m -> header(m, "To").contains("neutral-customer")).findFirst().orElseThrow();
        assertThat(((InternetAddress) plain.getFrom()[0]).getAddress()).isEqualTo("noreply@omamori.example");
        assertThat(plain.getSender()).isNull();
    }

    @Test
    void anEditionInstalledLaterBrandsTheNextMailAndRemovingItFallsBackToTheNodesBrand() throws Exception {
        customer("新潟商工会議所", Optional.of("niigata"), "0e0000000001", "soumu@niigata-customer.example");
        ApplianceId id = new ApplianceId("0e0000000001");
        monitor.ingest().store(id, List.of(Traffic.c2(id, T0, "192.168.1.10")));
        clock.add(Duration.ofMinutes(6));
        monitor.flushAlertMail();
        assertThat(mailTo("soumu@niigata-customer.example").mail().subject()).as("not installed yet: the node's brand")
                .contains("サイバーセキュリティお助け隊").doesNotContain("商工会議所");

        Edition niigata = new NiigataEdition();
        editions.install(niigata, "1.0.0");
        monitor.ingest().store(id, List.of(Traffic.phishing(id, clock.instant(), "192.168.1.11")));
        clock.add(Duration.ofMinutes(6));
        monitor.flushAlertMail();
        assertThat(monitor.monitoring().outbox(20)).filteredOn(m -> m.mail().subject().contains("★☆☆")).singleElement()
                .satisfies(m -> assertThat(m.mail().subject()).contains("商工会議所サイバーセキュリティお助け隊サービス"));

        editions.remove(niigata);
        assertThat(monitor.brands().of(Optional.of("niigata")).serviceName()).isEqualTo("サイバーセキュリティお助け隊");
    }

    @Test
    void aCustomerIsGradedWithItsEditionsStarTableAndAnotherWithTheNodes() {
        editions.install(new Strict("strict"), "1.0.0");
        customer("厳格な販売店", Optional.of("strict"), "0e0000000001", "a@strict.example");
        customer("普通の販売店", Optional.empty(), "0e0000000002", "b@plain.example");
        for (String a : List.of("0e0000000001", "0e0000000002")) {
            ApplianceId id = new ApplianceId(a);
            monitor.ingest().store(id, List.of(Traffic.phishing(id, T0, "192.168.1.10")));
        }
        clock.add(Duration.ofMinutes(6));
        monitor.flushAlertMail();
        assertThat(mailTo("a@strict.example").mail().subject()).contains("★★☆");
        assertThat(mailTo("b@plain.example").mail().subject()).contains("★☆☆");
    }

    @Test
    void settingAResellersEditionRegradesItsCustomersWithTheNewTableAtTheirNextBatch() {
        editions.install(new Strict("strict"), "1.0.0");
        ResellerId r = store.tenants().createReseller("乗り換える販売店");
        CustomerId c = store.tenants().createCustomer(r, "株式会社乗換");
        ApplianceId id = new ApplianceId("0e0000000001");
        store.tenants().registerAppliance(c, id);
        store.monitoring().recipients(c, Recipients.of("a@switch.example"));
        monitor.ingest().store(id, List.of(Traffic.phishing(id, T0, "192.168.1.10")));
        store.tenants().edition(r, Optional.of("strict"));
        monitor.ingest().store(id, List.of(Traffic.phishing(id, T0.plusSeconds(5), "192.168.1.20")));
        clock.add(Duration.ofMinutes(6));
        monitor.flushAlertMail();
        assertThat(mailTo("a@switch.example").mail().body()).as("the second host's alert was graded with the new table")
                .contains("★★☆");
        assertThat(store.tenants().resellers(org.omamori.store.TenantScope.operator())).singleElement()
                .satisfies(x -> assertThat(x.edition()).contains("strict"));
        assertThatThrownBy(() -> store.tenants().edition(r, Optional.of("Strict!"))).hasMessageContaining("not an edition id");
    }

    @Test
    void anEditionWhoseStarTableDoesNotParseIsRefusedNamingTheEditionAndLine() {
        Edition broken = new Edition() {
            @Override
            public String id() {
                return "broken";
            }

            @Override
            public Brand brand() {
                return NeutralEdition.INSTANCE.brand();
            }

            @Override
            public Terms terms() {
                return NeutralEdition.INSTANCE.terms();
            }

            @Override
            public Defaults defaults() {
                return new Defaults(Optional.of("dedup 1h\nrule oops ★★★★ evidence=phishing\n"), 90);
            }
        };
        assertThatThrownBy(() -> EditionTables.parse(broken)).hasMessageContaining("edition broken star table").hasMessageContaining(":2");
    }
}
