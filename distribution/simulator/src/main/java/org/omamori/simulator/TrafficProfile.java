package org.omamori.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The replayed traffic of one customer host: {@link #steps()} in a loop, one at the simulator's
 * pace, and, for an infected host, a {@link #beacon()} on its own period. Every host and URL
 * comes from the project's sample lists and rules (engines/urlfilter/sample-lists,
 * engines/ips-hyperscan/rules/omamori.rules), so the real engines recognise them; servers are in
 * documentation address ranges and are never contacted.
 *
 * <p>Mail is batched per customer with the highest grade in the subject, so an appliance whose
 * profile has the beacon makes its customer's batch ★★★; give the beacon to one customer and
 * {@link #withoutBeacon()} to another to see a ★★★ and a ★☆☆ mail.
 */
public record TrafficProfile(String name, List<TrafficStep> steps, Optional<TrafficStep> beacon) {

    public TrafficProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(beacon, "beacon");
        steps = List.copyOf(steps);
        if (steps.isEmpty() && beacon.isEmpty()) {
            throw new IllegalArgumentException("a profile needs at least one step");
        }
    }

    /** Ordinary browsing: categorised sites (news, social, games: access logs) and an uncategorised one (no event). */
    public static List<TrafficStep> browsing() {
        return List.of(
                TrafficStep.page("news", "http://news.example/", "198.51.100.10"),
                TrafficStep.page("company-site", "http://www.example.com/products/index.html", "198.51.100.11"),
                TrafficStep.page("shimbun", "http://shimbun.example/economy/today.html", "198.51.100.12"),
                TrafficStep.page("social", "http://social.example/feed", "198.51.100.13"),
                TrafficStep.page("video", "http://video.example/live", "198.51.100.14"),
                TrafficStep.page("games", "http://games.example/ranking", "198.51.100.15"));
    }

    /** The C2 beacon: c2 category host beacon.c2.test (URL filter) and POST /c2/beacon (IPS sid:9000012). */
    public static TrafficStep c2Beacon() {
        return TrafficStep.c2Beacon("http://beacon.c2.test/c2/beacon", "203.0.113.99");
    }

    /** The EICAR test file (zipped) from an ordinary (unlisted) download site: the antivirus neutralises it. */
    public static TrafficStep eicarDownload() {
        return TrafficStep.eicarDownload("http://downloads.example.org/tools/eicar_com.zip", "198.51.100.80");
    }

    /** A visit to login-bank.phish.test (phishing category). */
    public static TrafficStep phishingVisit() {
        return TrafficStep.phishing("http://login-bank.phish.test/signin", "192.0.2.66");
    }

    /** The demo's host: ordinary browsing with an EICAR download and a phishing visit, and a C2 beacon: ★★★ and ★☆☆. */
    public static TrafficProfile standard() {
        return new TrafficProfile("standard", threatsAmongBrowsing(), Optional.of(c2Beacon()));
    }

    /** The same without the beacon: a careless but not infected host, ★☆☆ only. */
    public static TrafficProfile withoutBeacon() {
        return new TrafficProfile("without-beacon", threatsAmongBrowsing(), Optional.empty());
    }

    /** Ordinary browsing only: access logs, no alert. */
    public static TrafficProfile browsingOnly() {
        return new TrafficProfile("browsing", browsing(), Optional.empty());
    }

    /** One pass through the profile in order, the beacon (if any) after the second step. */
    public List<TrafficStep> once() {
        List<TrafficStep> all = new ArrayList<>(steps);
        beacon.ifPresent(b -> all.add(Math.min(2, all.size()), b));
        return all;
    }

    private static List<TrafficStep> threatsAmongBrowsing() {
        List<TrafficStep> b = browsing();
        return List.of(b.get(0), b.get(1), eicarDownload(), b.get(2), b.get(3), phishingVisit(), b.get(4), b.get(5));
    }
}
