package org.omamori.portal.views;

import com.vaadin.flow.component.Component;

import org.omamori.api.engine.SecurityFunction;
import org.omamori.events.Result;
import org.omamori.grading.Grade;

/** Labels of domain values from the message bundles (an unknown function shows its id). */
final class Labels {

    private Labels() {
    }

    static String function(Component c, SecurityFunction f) {
        String t = c.getTranslation("function." + f.id());
        return t.startsWith("!") ? f.id() : t;
    }

    static String result(Component c, Result r) {
        return c.getTranslation("result." + r.name());
    }

    /** Stars where graded, ※調査中※ while under investigation (seed 000 §4.3.1). */
    static String grade(Component c, Grade g) {
        return switch (g) {
            case UNDER_INVESTIGATION -> c.getTranslation("grade.investigating");
            case NONE -> "—";
            default -> g.stars() + " " + c.getTranslation("grade." + g.name());
        };
    }
}
