package org.omamori.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.omamori.backoffice.contract.Actor;
import org.omamori.backoffice.desk.DeskDeadlines;
import org.omamori.backoffice.edition.Editions;
import org.omamori.backoffice.rma.Rma;
import org.omamori.edition.vario.VarioEdition;
import org.omamori.events.ApplianceId;
import org.omamori.notify.Brand;
import org.omamori.notify.MailBrands;
import org.omamori.notify.Recipients;
import org.omamori.store.CustomerId;
import org.omamori.store.ResellerId;
import org.omamori.store.Rmas;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;
import org.omamori.store.TenantScope;

/** A replacement's activation is the swap: the desk's job takes the step, the faulty unit's token stops working, the customer is mailed. */
class RmaDeskTest {

    Path dir;
    Store store;
    RmaDesk desk;
    CustomerId customer;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("omamori-rma-desk");
        store = Store.open(StoreSettings.h2File(dir.resolve("db")));
        ResellerId reseller = store.tenants().createReseller("バリオ販売店", Optional.of("vario"));
        customer = store.tenants().createCustomer(reseller, "株式会社交換");
        store.monitoring().recipients(customer, Recipients.of("koukan@example.jp"));
        Editions editions = new Editions();
        editions.install(new VarioEdition(), "1.0.0");
        desk = new RmaDesk(store, id -> editions.of(Optional.of(id)),
                new MailBrands(id -> editions.installed(id).map(Editions.Installed::edition), Brand.standard()));
    }

    @AfterEach
    void close() throws Exception {
        store.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theReplacementsActivationSwapsTheUnitsAndRevokesTheFaultyOne() {
        ApplianceId faulty = new ApplianceId("0f0000000101");
        String code = store.tenants().registerAppliance(customer, faulty, "本社");
        String oldToken = store.ingest().activate(faulty, code).orElseThrow();
        ZonedDateTime now = ZonedDateTime.now(DeskDeadlines.JST);
        long id = desk.open(TenantScope.operator(), faulty, Optional.empty(), now, Actor.CUSTOMER);
        desk.step(TenantScope.operator(), id, (f, r, t) -> f.check(r, true, "電源が入らない", t, Actor.OPERATOR), now);
        Rmas.Saved shipped = desk.step(TenantScope.operator(), id, (f, r, t) -> f.ship(r, "0f0000000102", t, Actor.OPERATOR), now);
        assertThat(desk.swapActivated(now)).as("not activated yet").isZero();

        store.ingest().activate(new ApplianceId("0f0000000102"), shipped.activationCode().orElseThrow()).orElseThrow();
        assertThat(desk.swapActivated(ZonedDateTime.now(DeskDeadlines.JST))).isEqualTo(1);
        Rmas.Stored swapped = store.rmas().get(TenantScope.customer(customer), id).orElseThrow();
        assertThat(swapped.rma().state()).isEqualTo(Rma.State.SWAPPED);
        assertThat(swapped.rma().steps().getLast().by()).isEqualTo(Actor.SYSTEM);
        assertThat(swapped.rma().returnBy()).isPresent(); // Vario: within 5 business days
        assertThat(store.ingest().authenticate(oldToken)).as("the faulty unit's token is revoked").isEmpty();
        assertThat(desk.swapActivated(ZonedDateTime.now(DeskDeadlines.JST))).as("once").isZero();
        assertThat(store.monitoring().outbox(20)).anyMatch(m -> m.mail().subject().contains("RMA番号 " + id)
                && m.mail().body().contains("代替機（0f0000000102）を発送しました"))
                .anyMatch(m -> m.mail().body().contains("ご返送ください（送料は当社負担・着払い）")
                        && m.mail().to().addresses().contains("koukan@example.jp"));
    }
}
