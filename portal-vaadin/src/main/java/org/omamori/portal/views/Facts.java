package org.omamori.portal.views;

import com.vaadin.flow.component.html.Div;

/** Label–value pairs of one thing (an alert, an appliance), as a two-column grid; one column on a phone. */
final class Facts extends Div {

    Facts(String id) {
        setId(id);
        addClassName("facts");
    }

    /** A pair; an empty value shows as a dash. Both are text, never HTML. */
    Facts add(String label, String value) {
        Div row = new Div();
        row.addClassName("fact");
        Div l = new Div(label);
        l.addClassName("fact-label");
        Div v = new Div(value == null || value.isEmpty() ? "—" : value);
        v.addClassName("fact-value");
        row.add(l, v);
        add(row);
        return this;
    }
}
