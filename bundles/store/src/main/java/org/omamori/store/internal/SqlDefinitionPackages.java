package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.DEFINITION_PACKAGES;
import static org.omamori.store.internal.schema.Tables.EVENTS;
import static org.omamori.store.internal.schema.Tables.HEARTBEATS;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;
import org.omamori.store.DefinitionPackages;

/** {@link DefinitionPackages} on the table {@code definition_packages} (V29). */
public final class SqlDefinitionPackages implements DefinitionPackages {

    private final DSLContext db;
    private final Clock clock;

    public SqlDefinitionPackages(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public Published publish(String kind, String version, byte[] zip, String signature, Optional<Canaries> canaries) {
        Objects.requireNonNull(canaries, "canaries");
        Objects.requireNonNull(zip, "zip");
        kind(kind);
        String key = DefinitionPackages.sortKey(version);
        if (signature == null || !SIGNATURE.matcher(signature).matches()) {
            throw new IllegalArgumentException("not an Ed25519 signature in base64");
        }
        if (zip.length == 0 || zip.length > MAX_BYTES) {
            throw new IllegalArgumentException("a package is 1 to " + MAX_BYTES + " bytes, not " + zip.length);
        }
        String sha = Secrets.sha256(zip);
        Optional<Package> before = find(kind, version);
        if (before.isPresent()) {
            return same(before.get(), sha, signature, kind, version);
        }
        try {
            db.insertInto(DEFINITION_PACKAGES)
                    .set(DEFINITION_PACKAGES.KIND, kind)
                    .set(DEFINITION_PACKAGES.VERSION, version)
                    .set(DEFINITION_PACKAGES.SORT_KEY, key)
                    .set(DEFINITION_PACKAGES.SIZE, (long) zip.length)
                    .set(DEFINITION_PACKAGES.SHA256, sha)
                    .set(DEFINITION_PACKAGES.SIGNATURE, signature)
                    .set(DEFINITION_PACKAGES.CONTENT, zip)
                    .set(DEFINITION_PACKAGES.PUBLISHED_AT, Times.column(clock.instant()))
                    .set(DEFINITION_PACKAGES.ROLLOUT, canaries.isPresent() ? Rollout.CANARY.name() : Rollout.GENERAL.name())
                    .set(DEFINITION_PACKAGES.CANARY_PERCENT, canaries.map(Canaries::percent).orElse(null))
                    .set(DEFINITION_PACKAGES.CANARY_APPLIANCES, canaries.map(c -> String.join(",", c.appliances())).orElse(null))
                    .set(DEFINITION_PACKAGES.ROLLOUT_AT, Times.column(clock.instant()))
                    .execute();
            return Published.NEW;
        } catch (IntegrityConstraintViolationException raced) {
            return same(find(kind, version).orElseThrow(() -> raced), sha, signature, kind, version);
        }
    }

    private static Published same(Package before, String sha, String signature, String kind, String version) {
        if (before.sha256().equals(sha) && before.signature().equals(signature)) {
            return Published.SAME;
        }
        throw new IllegalArgumentException(kind + " " + version + " is published already with other bytes: publish a new version");
    }

    @Override
    public Optional<Package> latest(String kind) {
        kind(kind);
        return db.select(fields()).from(DEFINITION_PACKAGES).where(DEFINITION_PACKAGES.KIND.eq(kind))
                .orderBy(DEFINITION_PACKAGES.SORT_KEY.desc()).limit(1).fetchOptional(SqlDefinitionPackages::pkg);
    }

    @Override
    public Optional<Package> latestFor(String kind, String appliance) {
        kind(kind);
        // Newest first; the first served to this appliance. Versions of a kind are few (tens), so read them all.
        return db.select(fields()).from(DEFINITION_PACKAGES).where(DEFINITION_PACKAGES.KIND.eq(kind))
                .and(DEFINITION_PACKAGES.ROLLOUT.in(Rollout.GENERAL.name(), Rollout.CANARY.name()))
                .orderBy(DEFINITION_PACKAGES.SORT_KEY.desc()).fetch(SqlDefinitionPackages::pkg).stream()
                .filter(p -> p.servedTo(appliance)).findFirst();
    }

    @Override
    public Package rollout(String kind, String version, Rollout to, String note) {
        Objects.requireNonNull(to, "to");
        int n = db.update(DEFINITION_PACKAGES).set(DEFINITION_PACKAGES.ROLLOUT, to.name())
                .set(DEFINITION_PACKAGES.ROLLOUT_AT, Times.column(clock.instant()))
                .set(DEFINITION_PACKAGES.ROLLOUT_NOTE, note == null ? null : note.length() > 1000 ? note.substring(0, 1000) : note)
                .where(DEFINITION_PACKAGES.KIND.eq(kind), DEFINITION_PACKAGES.VERSION.eq(version)).execute();
        if (n == 0) {
            throw new IllegalArgumentException("no " + kind + " " + version + " is published");
        }
        return find(kind, version).orElseThrow();
    }

    @Override
    public List<Decision> checkCanaries(Instant now, java.time.Duration quiet) {
        List<Decision> decisions = new java.util.ArrayList<>();
        List<Package> canary = db.select(fields()).from(DEFINITION_PACKAGES).where(DEFINITION_PACKAGES.ROLLOUT.eq(Rollout.CANARY.name()))
                .fetch(SqlDefinitionPackages::pkg);
        if (canary.isEmpty()) {
            return decisions;
        }
        // Every appliance with a recent heartbeat and the definitions it has in force.
        java.util.Map<String, java.util.Map<String, String>> inForce = new java.util.HashMap<>();
        db.select(HEARTBEATS.APPLIANCE_ID, HEARTBEATS.DEFINITIONS_JSON)
                .from(HEARTBEATS)
                .where(HEARTBEATS.RECEIVED_AT.ge(Times.column(now.minus(quiet))))
                .forEach(r -> inForce.put(r.value1().strip(), JsonMaps.readStrings(r.value2())));
        for (Package p : canary) {
            Canaries c = p.canaries().orElseThrow();
            List<String> canaries = inForce.keySet().stream().filter(a -> c.includes(a, p.kind(), p.version())).sorted().toList();
            if (canaries.isEmpty()) {
                continue;
            }
            Instant since = p.rolloutAt().orElse(p.publishedAt());
            Optional<String> failed = Optional.ofNullable(db.select(EVENTS.APPLIANCE_ID)
                    .from(EVENTS)
                    .where(EVENTS.APPLIANCE_ID.in(canaries))
                    .and(EVENTS.RULE_ID.in("definitions:refused", "definitions:failed"))
                    .and(EVENTS.EVENT_TIME.ge(Times.column(since)))
                    .limit(1).fetchOne(EVENTS.APPLIANCE_ID));
            if (failed.isPresent()) {
                String why = "canary " + failed.get().strip() + " reported a definitions failure or refusal";
                rollout(p.kind(), p.version(), Rollout.STOPPED, why);
                decisions.add(new Decision(p.kind(), p.version(), Rollout.STOPPED, why));
                continue;
            }
            String key = DefinitionPackages.sortKey(p.version());
            boolean all = canaries.stream().allMatch(a -> {
                String v = inForce.get(a).get(p.kind());
                return v != null && VERSION.matcher(v).matches() && DefinitionPackages.sortKey(v).compareTo(key) >= 0;
            });
            if (all) {
                String why = canaries.size() + " canaries run it without a failure";
                rollout(p.kind(), p.version(), Rollout.GENERAL, why);
                decisions.add(new Decision(p.kind(), p.version(), Rollout.GENERAL, why));
            }
        }
        return decisions;
    }

    @Override
    public Optional<byte[]> content(String kind, String version) {
        return Optional.ofNullable(db.select(DEFINITION_PACKAGES.CONTENT).from(DEFINITION_PACKAGES)
                .where(DEFINITION_PACKAGES.KIND.eq(kind), DEFINITION_PACKAGES.VERSION.eq(version)).fetchOne(DEFINITION_PACKAGES.CONTENT));
    }

    @Override
    public List<Package> list(Optional<String> kind) {
        kind.ifPresent(SqlDefinitionPackages::kind);
        return db.select(fields()).from(DEFINITION_PACKAGES)
                .where(kind.map(DEFINITION_PACKAGES.KIND::eq).orElse(DSL.noCondition()))
                .orderBy(DEFINITION_PACKAGES.KIND, DEFINITION_PACKAGES.SORT_KEY.desc()).fetch(SqlDefinitionPackages::pkg);
    }

    private Optional<Package> find(String kind, String version) {
        return db.select(fields()).from(DEFINITION_PACKAGES)
                .where(DEFINITION_PACKAGES.KIND.eq(kind), DEFINITION_PACKAGES.VERSION.eq(version)).fetchOptional(SqlDefinitionPackages::pkg);
    }

    private static List<org.jooq.Field<?>> fields() {
        return Arrays.asList(DEFINITION_PACKAGES.KIND, DEFINITION_PACKAGES.VERSION, DEFINITION_PACKAGES.SIZE, DEFINITION_PACKAGES.SHA256,
                DEFINITION_PACKAGES.SIGNATURE, DEFINITION_PACKAGES.PUBLISHED_AT, DEFINITION_PACKAGES.ROLLOUT, DEFINITION_PACKAGES.CANARY_PERCENT,
                DEFINITION_PACKAGES.CANARY_APPLIANCES, DEFINITION_PACKAGES.ROLLOUT_AT, DEFINITION_PACKAGES.ROLLOUT_NOTE);
    }

    private static Package pkg(Record r) {
        Integer percent = r.get(DEFINITION_PACKAGES.CANARY_PERCENT);
        String named = r.get(DEFINITION_PACKAGES.CANARY_APPLIANCES);
        Optional<Canaries> canaries = percent == null && named == null ? Optional.empty() : Optional.of(new Canaries(
                percent == null ? 0 : percent, named == null || named.isBlank() ? List.of() : List.of(named.split(","))));
        return new Package(r.get(DEFINITION_PACKAGES.KIND), r.get(DEFINITION_PACKAGES.VERSION), r.get(DEFINITION_PACKAGES.SIZE),
                r.get(DEFINITION_PACKAGES.SHA256), r.get(DEFINITION_PACKAGES.SIGNATURE), Times.instant(r.get(DEFINITION_PACKAGES.PUBLISHED_AT)),
                Rollout.valueOf(r.get(DEFINITION_PACKAGES.ROLLOUT)), canaries, Optional.ofNullable(Times.instant(r.get(DEFINITION_PACKAGES.ROLLOUT_AT))),
                Optional.ofNullable(r.get(DEFINITION_PACKAGES.ROLLOUT_NOTE)));
    }

    private static void kind(String kind) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown kind " + kind + ": one of " + KINDS);
        }
    }

}
