package org.omamori.portal.views;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;

import org.omamori.portal.Portal;
import org.omamori.portal.SessionUser;
import org.omamori.store.ApplianceStatus;
import org.omamori.store.CustomerId;

/** The customer's appliances with their state (docs/portal.md "Appliance status"). */
@Route("appliances")
public class AppliancesView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<Viewed.Entered> entered = Viewed.enter(this, event);
        if (entered.isEmpty()) {
            return;
        }
        SessionUser user = entered.get().user();
        CustomerId customer = entered.get().customer();
        Instant now = Portal.get().clock().instant();
        List<ApplianceStatus> mine = Viewed.appliances(customer, now);
        Grid<ApplianceStatus> grid = new Grid<>();
        grid.setId("appliances");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addComponentColumn(a -> {
            RouterLink l = new RouterLink(a.name().isEmpty() ? a.appliance().value() : a.name(), ApplianceView.class,
                    a.appliance().value());
            l.setQueryParameters(Viewed.keep(user, customer));
            return l;
        }).setHeader(getTranslation("appliance.name"));
        grid.addColumn(a -> a.appliance().value()).setHeader(getTranslation("appliance.id"));
        grid.addColumn(a -> getTranslation("liveness." + a.liveness().name())).setHeader(getTranslation("appliance.state"));
        grid.addColumn(a -> Format.time(a.lastContact().orElse(null))).setHeader(getTranslation("appliance.lastContact"));
        grid.addColumn(a -> a.firmwareVersion().orElse("—")).setHeader(getTranslation("appliance.firmware"));
        grid.setItems(mine);
        add(new H1(getTranslation("appliances.title")), grid);
    }

    @Override
    public String getPageTitle() {
        return getTranslation("appliances.title");
    }
}
