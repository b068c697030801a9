package org.omamori.portal.views;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;

/** The one answer for an id that does not exist and for another tenant's id: they cannot be told apart. */
final class NotFound extends VerticalLayout {

    NotFound() {
        setId("not-found");
        add(new H2(getTranslation("notFound.title")), new Paragraph(getTranslation("notFound.text")));
    }
}
