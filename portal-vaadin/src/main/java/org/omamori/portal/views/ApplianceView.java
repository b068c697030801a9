package org.omamori.portal.views;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEvent;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.HasUrlParameter;
import com.vaadin.flow.router.Route;

import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.portal.web.PortalSession;
import org.omamori.store.ApplianceDetections;
import org.omamori.store.ApplianceStatus;

/**
 * One appliance: online or stopped, last contact, firmware and definitions versions, detections
 * per function over 30 days. The stopped notice links here (docs/notify.md).
 */
@Route("appliances")
public class ApplianceView extends VerticalLayout implements HasUrlParameter<String>, HasDynamicTitle {

    private String title = "";

    @Override
    public void setParameter(BeforeEvent event, String id) {
        removeAll();
        SessionUser user = PortalSession.user().orElse(null);
        if (user == null) {
            return;
        }
        Instant now = Portal.get().clock().instant();
        Optional<ApplianceStatus> found = id.matches("[0-9a-f]{12}") ? Portal.get().store().fleet().status(user.scope(), now)
                .stream().filter(a -> a.appliance().value().equals(id)).findFirst() : Optional.empty();
        if (found.isEmpty()) {
            add(new NotFound());
            return;
        }
        ApplianceStatus a = found.get();
        title = a.name().isEmpty() ? a.appliance().value() : a.name();
        add(new H1(title));
        Facts facts = new Facts("appliance-facts")
                .add(getTranslation("appliance.id"), a.appliance().value())
                .add(getTranslation("appliance.state"), getTranslation("liveness." + a.liveness().name()))
                .add(getTranslation("appliance.lastContact"), Format.seconds(a.lastContact().orElse(null)))
                .add(getTranslation("appliance.firmware"), a.firmwareVersion().orElse("—"));
        a.definitions().forEach((set, version) -> facts.add(getTranslation("appliance.definitions"), set + ": " + version));
        add(facts);
        List<ApplianceDetections> detections = Portal.get().store().statistics()
                .compareAppliances(user.scope(), a.customer(), Format.lastDays(now, 30)[0], Format.lastDays(now, 30)[1]);
        detections.stream().filter(d -> d.appliance().equals(a.appliance())).findFirst().ifPresent(d -> {
            List<Charts.Bar> bars = d.byFunction().entrySet().stream()
                    .map(e -> new Charts.Bar(Labels.function(this, e.getKey()), e.getValue(), null)).toList();
            add(new H2(getTranslation("appliance.detections30")), Charts.bars("appliance-detections",
                    getTranslation("appliance.detections30"), bars, getTranslation("dashboard.threats"), null));
        });
    }

    @Override
    public String getPageTitle() {
        return title;
    }
}
