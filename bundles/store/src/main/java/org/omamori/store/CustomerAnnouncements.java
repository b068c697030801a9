package org.omamori.store;

import java.util.List;

/**
 * A customer's announcements as its dashboard shows them (docs/store.md "Announcements"), each list
 * newest first.
 *
 * @param current not yet ended (end in the future), or published within the last 30 days
 * @param past    the others published within the last year
 */
public record CustomerAnnouncements(List<Announcement> current, List<Announcement> past) {

    public CustomerAnnouncements {
        current = List.copyOf(current);
        past = List.copyOf(past);
    }

    public static CustomerAnnouncements none() {
        return new CustomerAnnouncements(List.of(), List.of());
    }
}
