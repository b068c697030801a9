package org.omamori.portal.views;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;

import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.store.ApplianceDetections;
import org.omamori.store.CustomerId;
import org.omamori.store.FunctionComparison;
import org.omamori.store.Statistics;

/**
 * Comparison (docs/portal.md): own detections per function against the participants' average over
 * the same period (only over at least {@link Statistics#MIN_PEERS} companies), and own appliances
 * against each other.
 */
@Route("compare")
public class CompareView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private final Select<Integer> period = new Select<>();
    private final VerticalLayout body = new VerticalLayout();
    private SessionUser user;
    private CustomerId customer;

    public CompareView() {
        period.setLabel(getTranslation("dashboard.period"));
        period.setId("period");
        period.setItems(7, 30, 90);
        period.setItemLabelGenerator(d -> getTranslation(DashboardView.PERIODS.get(d)));
        period.setValue(30);
        period.addValueChangeListener(e -> render());
        body.setPadding(false);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<Viewed.Entered> entered = Viewed.enter(this, event);
        if (entered.isEmpty()) {
            return;
        }
        user = entered.get().user();
        customer = entered.get().customer();
        add(new H1(getTranslation("compare.title")), period, body);
        render();
    }

    private void render() {
        body.removeAll();
        Instant now = Portal.get().clock().instant();
        Instant[] days = Format.lastDays(now, period.getValue());
        Instant from = days[0];
        now = days[1];
        Statistics stats = Portal.get().store().statistics();
        Optional<FunctionComparison> peers = stats.compareWithPeers(user.scope(), customer, from, now);
        if (peers.isEmpty()) {
            body.add(new NotFound());
            return;
        }
        FunctionComparison f = peers.get();
        List<Charts.Bar> bars = f.functions().stream().map(x -> new Charts.Bar(Labels.function(this, x.function()), x.own(),
                f.averageAvailable() && x.average().isPresent() ? x.average().getAsDouble() : null)).toList();
        body.add(new H2(getTranslation("compare.peers")));
        if (!f.averageAvailable()) {
            Paragraph hidden = new Paragraph(getTranslation("compare.tooFew", Statistics.MIN_PEERS));
            hidden.setId("average-hidden");
            body.add(hidden);
        }
        body.add(Charts.bars("compare-peers", getTranslation("compare.peers"), bars, getTranslation("compare.own"),
                f.averageAvailable() ? getTranslation("compare.average") : null));
        List<ApplianceDetections> appliances = stats.compareAppliances(user.scope(), customer, from, now);
        if (appliances.size() > 1) {
            List<Charts.Bar> own = appliances.stream()
                    .map(a -> new Charts.Bar(a.name().isEmpty() ? a.appliance().value() : a.name(), a.total(), null)).toList();
            body.add(new H2(getTranslation("compare.appliances")), Charts.bars("compare-appliances",
                    getTranslation("compare.appliances"), own, getTranslation("dashboard.threats"), null));
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("compare.title");
    }
}
