package org.omamori.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.omamori.grading.Grading;
import org.omamori.notify.Outbox;
import org.omamori.store.internal.EmbeddedH2;
import org.omamori.store.internal.V14_1__IdTimeOutliersBackfill;
import org.omamori.store.internal.PostgresPartitions;
import org.omamori.store.internal.RowRetention;
import org.omamori.store.internal.SqlEventLog;
import org.omamori.store.internal.SqlFleet;
import org.omamori.store.internal.SqlIngestStore;
import org.omamori.store.internal.SqlMonitoring;
import org.omamori.store.internal.SqlOutbox;
import org.omamori.store.internal.SqlStatistics;
import org.omamori.store.internal.SqlTenants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The store, opened: a connection pool (HikariCP) on the configured database, its schema
 * migrated to the newest version (Flyway), and the services over it. Close it to close the pool.
 */
public final class Store implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Store.class);

    static {
        System.setProperty("org.jooq.no-logo", "true");
        System.setProperty("org.jooq.no-tips", "true");
        // jOOQ's open-source edition says PostgreSQL 15 is "older than the dialect supports" on every
        // start; 15 is what the product runs and tests on (Debian 12), so the warning is noise to an
        // operator. Errors still show.
        if (System.getProperty("org.jooq.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport") == null) {
            System.setProperty("org.jooq.log.org.jooq.impl.DefaultExecuteContext.logVersionSupport", "ERROR");
        }
        EmbeddedH2.loopbackByDefault(); // before any H2 class loads: AUTO_SERVER on loopback only
    }

    private final HikariDataSource pool;
    private final boolean postgres;
    private final IngestStore ingest;
    private final Tenants tenants;
    private final Contracts contracts;
    private final Claims claims;
    /** The device tokens found valid lately, shared by this store's ingest stores and its RMAs' revocations. */
    private final SqlIngestStore.TokenCache tokens;
    private final EventLog events;
    private final Fleet fleet;
    private final Statistics statistics;
    private final Applications applications;
    private final EventPartitions partitions;
    private final DSLContext db;
    private final Clock clock;

    private Store(HikariDataSource pool, boolean postgres, Clock clock) {
        this.pool = pool;
        this.postgres = postgres;
        DSLContext db = DSL.using(pool, postgres ? SQLDialect.POSTGRES : SQLDialect.H2,
                new Settings()
                        // Generated names are lower case: unquoted, each database folds them its own way.
                        .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_UNQUOTED)
                        .withExecuteLogging(false));
        this.tokens = new SqlIngestStore.TokenCache();
        this.ingest = new SqlIngestStore(db, clock, postgres, null, tokens);
        this.clock = clock;
        this.tenants = new SqlTenants(db, clock);
        this.contracts = new org.omamori.store.internal.SqlContracts(db, new SqlOutbox(db, postgres, OUTBOX_LEASE), clock);
        this.claims = new org.omamori.store.internal.SqlClaims(db, clock);
        this.events = new SqlEventLog(db);
        this.fleet = new SqlFleet(db);
        this.statistics = new SqlStatistics(db, fleet, clock);
        this.applications = new org.omamori.store.internal.SqlApplications(db);
        this.partitions = postgres ? new PostgresPartitions(db) : new RowRetention(db);
        this.db = db;
    }

    /**
     * Opens the pool and migrates the schema.
     *
     * @throws IllegalStateException when the database cannot be reached or migrated; the message says which
     */
    public static Store open(StoreSettings settings, Clock clock) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("omamori-store");
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        // Named, not found through DriverManager's service scan: that does not see this bundle's drivers in OSGi.
        config.setDriverClassName(settings.postgres() ? "org.postgresql.Driver" : "org.h2.Driver");
        config.setInitializationFailTimeout(10_000);
        HikariDataSource pool;
        try {
            EmbeddedH2.beforeOpen(settings.jdbcUrl());
            pool = new HikariDataSource(config);
            EmbeddedH2.afterOpen(settings.jdbcUrl());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open the database " + settings + ": " + e.getMessage(), e);
        }
        try {
            MigrateResult result = migrate(pool, settings.postgres());
            LOG.info("store on {}: schema version {}{}", settings, result.targetSchemaVersion == null ? result.initialSchemaVersion
                    : result.targetSchemaVersion, result.migrationsExecuted == 0 ? "" : " (" + result.migrationsExecuted + " migrations applied)");
            return new Store(pool, settings.postgres(), clock);
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("cannot migrate the database " + settings + ": " + e.getMessage(), e);
        }
    }

    public static Store open(StoreSettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /** Flyway locations: the common scripts, plus PostgreSQL's own on PostgreSQL. */
    static List<String> locations(boolean postgres) {
        return postgres ? List.of("classpath:db/migration/common", "classpath:db/migration/postgresql")
                : List.of("classpath:db/migration/common");
    }

    private static MigrateResult migrate(DataSource dataSource, boolean postgres) {
        return Flyway.configure(Store.class.getClassLoader())
                .dataSource(dataSource)
                .locations(locations(postgres).toArray(String[]::new))
                .failOnMissingLocations(true)
                .javaMigrations(new V14_1__IdTimeOutliersBackfill())
                .load()
                .migrate();
    }

    public IngestStore ingest() {
        return ingest;
    }

    /** The ingest API's storage with {@code grading} called in each batch's transaction (docs/store.md). */
    public IngestStore ingest(Grading grading) {
        return new SqlIngestStore(db, clock, postgres, Objects.requireNonNull(grading, "grading"), tokens);
    }

    public Tenants tenants() {
        return tenants;
    }

    /** Issued invoices, numbered without gaps per issuer (docs/invoices.md). */
    public Invoices invoices() {
        return new org.omamori.store.internal.SqlInvoices(db, clock);
    }

    /** The signed definitions packages the cloud serves to appliances (docs/definitions.md "From the cloud"). */
    public DefinitionPackages definitionPackages() {
        return new org.omamori.store.internal.SqlDefinitionPackages(db, clock);
    }

    /** Each appliance's desired configuration, its history and what the appliance reported (docs/fleet.md). */
    public ApplianceSettings applianceSettings() {
        return new org.omamori.store.internal.SqlApplianceSettings(db, clock);
    }

    /** The support desk's tickets (docs/desk.md). */
    public Tickets tickets() {
        return new org.omamori.store.internal.SqlTickets(db, new SqlOutbox(db, postgres, OUTBOX_LEASE), clock);
    }

    /** Monthly reports: the figures of a customer's month and the PDFs kept for the portal (docs/reports.md). */
    public Reports reports() {
        return new org.omamori.store.internal.SqlReports(db, statistics, new SqlOutbox(db, postgres, OUTBOX_LEASE), clock);
    }

    /** The back office's contracts (docs/contracts.md). */
    public Contracts contracts() {
        return contracts;
    }

    /** The insurance claims made on the contracts (docs/insurance.md "Claims"). */
    public Claims claims() {
        return claims;
    }

    /** Faulty appliances replaced: RMAs, the swap's carry-over and revocation, the appliances' age (docs/rma.md). */
    public Rmas rmas() {
        return new org.omamori.store.internal.SqlRmas(db, clock, tokens, new SqlOutbox(db, postgres, OUTBOX_LEASE));
    }

    public EventLog events() {
        return events;
    }

    public Fleet fleet() {
        return fleet;
    }

    /** What the portal shows about a customer's security: status, alerts, comparisons (docs/store.md "Statistics"). */
    public Statistics statistics() {
        return statistics;
    }

    /** The applications an appliance's clients used, per Japanese day (docs/store.md "Application days"). */
    public Applications applications() {
        return applications;
    }

    public EventPartitions partitions() {
        return partitions;
    }

    /** How long {@link Outbox#due} leases an entry by default: far longer than an SMTP send may take. */
    public static final Duration OUTBOX_LEASE = Duration.ofMinutes(10);

    /**
     * The mail outbox (table {@code mail_outbox}) with the {@link #OUTBOX_LEASE default lease}.
     * For now {@link Outbox#enqueue} runs in its own transaction, not the caller's (docs/store.md).
     */
    public Outbox outbox() {
        return outbox(OUTBOX_LEASE);
    }

    /** The mail outbox, {@link Outbox#due} leasing entries for {@code lease}. */
    public Outbox outbox(Duration lease) {
        return new SqlOutbox(db, postgres, lease);
    }

    /** The pool, for what keeps its own tables in the store's database (the job scheduler). */
    public DataSource dataSource() {
        return pool;
    }

    /** Alert mail batches, liveness, recipients and suppressions (the monitoring jobs' store). */
    public Monitoring monitoring() {
        return new SqlMonitoring(db, new SqlOutbox(db, postgres, OUTBOX_LEASE));
    }

    /** The service's faults, classified A/B/Z (000 §9.2–9.3), and the readings the health check probes. */
    public Faults faults() {
        return new org.omamori.store.internal.SqlFaults(db, new SqlOutbox(db, postgres, OUTBOX_LEASE), clock);
    }

    /**
     * Portal accounts and their audit log (docs/accounts.md); {@code totpKey} (32 bytes) encrypts
     * the authenticator secrets at rest and is the portal's to keep, never in the database.
     */
    public Accounts accounts(byte[] totpKey) {
        return new org.omamori.store.internal.SqlAccounts(db, clock, new org.omamori.store.internal.TotpSecretBox(totpKey));
    }

    /** The operator's announcements to customers, mailed through the outbox on publishing (docs/store.md "Announcements"). */
    public Announcements announcements() {
        return new org.omamori.store.internal.SqlAnnouncements(db, new SqlOutbox(db, postgres, OUTBOX_LEASE), clock);
    }

    /** Where the portal's embedded SMS gateway writes the messages it sends (docs/store.md "SMS outbox"). */
    public SmsOutbox smsOutbox() {
        return new org.omamori.store.internal.SqlSmsOutbox(db);
    }

    /** "PostgreSQL" or "H2". */
    public String database() {
        return postgres ? "PostgreSQL" : "H2";
    }

    @Override
    public void close() {
        pool.close();
    }
}
