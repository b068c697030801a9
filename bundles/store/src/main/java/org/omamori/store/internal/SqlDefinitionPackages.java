package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.DEFINITION_PACKAGES;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
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
    public Published publish(String kind, String version, byte[] zip, String signature) {
        Objects.requireNonNull(zip, "zip");
        kind(kind);
        String key = DefinitionPackages.sortKey(version);
        if (signature == null || !SIGNATURE.matcher(signature).matches()) {
            throw new IllegalArgumentException("not an Ed25519 signature in base64");
        }
        if (zip.length == 0 || zip.length > MAX_BYTES) {
            throw new IllegalArgumentException("a package is 1 to " + MAX_BYTES + " bytes, not " + zip.length);
        }
        String sha = sha256(zip);
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
                DEFINITION_PACKAGES.SIGNATURE, DEFINITION_PACKAGES.PUBLISHED_AT);
    }

    private static Package pkg(Record r) {
        return new Package(r.get(DEFINITION_PACKAGES.KIND), r.get(DEFINITION_PACKAGES.VERSION), r.get(DEFINITION_PACKAGES.SIZE),
                r.get(DEFINITION_PACKAGES.SHA256), r.get(DEFINITION_PACKAGES.SIGNATURE), Times.instant(r.get(DEFINITION_PACKAGES.PUBLISHED_AT)));
    }

    private static void kind(String kind) {
        if (!KINDS.contains(kind)) {
            throw new IllegalArgumentException("unknown kind " + kind + ": one of " + KINDS);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
