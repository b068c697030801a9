package org.omamori.store;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/** One Japanese day of an appliance's applications, the most connections first. */
public record ApplicationDay(LocalDate day, List<ApplicationUsage> applications) {

    public ApplicationDay {
        Objects.requireNonNull(day, "day");
        applications = List.copyOf(applications);
    }
}
