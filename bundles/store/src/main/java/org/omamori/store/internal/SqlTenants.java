package org.omamori.store.internal;

import static org.omamori.store.internal.schema.Tables.APPLIANCES;
import static org.omamori.store.internal.schema.Tables.CUSTOMERS;
import static org.omamori.store.internal.schema.Tables.RESELLERS;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jooq.DSLContext;
import org.omamori.api.edition.Edition;
import org.jooq.impl.DSL;
import org.omamori.events.ApplianceId;
import org.omamori.store.Appliance;
import org.omamori.store.Customer;
import org.omamori.store.CustomerId;
import org.omamori.store.CustomerProfile;
import org.omamori.store.Reseller;
import org.omamori.store.ResellerId;
import org.omamori.store.TenantScope;
import org.omamori.store.Tenants;

/** Resellers, customers and appliances in SQL. */
public final class SqlTenants implements Tenants {

    private final DSLContext db;
    private final Clock clock;

    public SqlTenants(DSLContext db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public org.omamori.store.Erasure erase(CustomerId customer) {
        Objects.requireNonNull(customer, "customer");
        return CustomerErasure.erase(db, customer, clock.instant());
    }

    @Override
    public ResellerId createReseller(String name, Optional<String> edition) {
        String n = name(name, "reseller");
        String e = edition(edition);
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            if (t.fetchExists(RESELLERS, RESELLERS.NAME.eq(n))) {
                throw new IllegalArgumentException("a reseller named '" + n + "' exists already; choose another name");
            }
            return new ResellerId(t.insertInto(RESELLERS)
                    .set(RESELLERS.NAME, n)
                    .set(RESELLERS.EDITION, e)
                    .set(RESELLERS.CREATED_AT, Times.column(clock.instant()))
                    .returning(RESELLERS.ID).fetchOne(RESELLERS.ID));
        });
    }

    @Override
    public void edition(ResellerId reseller, Optional<String> edition) {
        Objects.requireNonNull(reseller, "reseller");
        String e = edition(edition);
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            if (t.update(RESELLERS).set(RESELLERS.EDITION, e).where(RESELLERS.ID.eq(reseller.value())).execute() == 0) {
                throw new IllegalArgumentException("no reseller " + reseller.value());
            }
            // Moves the customers' grading sequences on: graders cached on any node were made with the
            // old edition's star table and are rebuilt with the new one (CustomerGrading).
            t.update(CUSTOMERS).set(CUSTOMERS.GRADING_SEQ, CUSTOMERS.GRADING_SEQ.plus(1))
                    .where(CUSTOMERS.RESELLER_ID.eq(reseller.value())).execute();
        });
    }

    /** The column value of an edition id: checked as the edition API checks ids; null for the neutral default. */
    private static String edition(Optional<String> edition) {
        Objects.requireNonNull(edition, "edition");
        edition.ifPresent(id -> {
            if (!Edition.ID.matcher(id).matches()) {
                throw new IllegalArgumentException("edition '" + id + "' is not an edition id (lower-case letters, digits and -, 2-40)");
            }
        });
        return edition.orElse(null);
    }

    @Override
    public CustomerId createCustomer(ResellerId reseller, String name) {
        Objects.requireNonNull(reseller, "reseller");
        String n = name(name, "customer");
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            if (!t.fetchExists(RESELLERS, RESELLERS.ID.eq(reseller.value()))) {
                throw new IllegalArgumentException(reseller + " does not exist; create the reseller first");
            }
            return new CustomerId(t.insertInto(CUSTOMERS)
                    .set(CUSTOMERS.RESELLER_ID, reseller.value())
                    .set(CUSTOMERS.NAME, n)
                    .set(CUSTOMERS.CREATED_AT, Times.column(clock.instant()))
                    .returning(CUSTOMERS.ID).fetchOne(CUSTOMERS.ID));
        });
    }

    @Override
    public String registerAppliance(CustomerId customer, ApplianceId appliance, String name) {
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(appliance, "appliance");
        if (name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("an appliance name is at most 200 characters without control characters");
        }
        String code = Secrets.newActivationCode();
        db.transaction(tx -> {
            DSLContext t = tx.dsl();
            if (!t.fetchExists(CUSTOMERS, CUSTOMERS.ID.eq(customer.value()))) {
                throw new IllegalArgumentException(customer + " does not exist; create the customer first");
            }
            if (t.fetchExists(APPLIANCES, APPLIANCES.ID.eq(appliance.value()))) {
                throw new IllegalArgumentException("appliance " + appliance
                        + " is registered already; issue a new activation code for it instead");
            }
            t.insertInto(APPLIANCES)
                    .set(APPLIANCES.ID, appliance.value())
                    .set(APPLIANCES.CUSTOMER_ID, customer.value())
                    .set(APPLIANCES.NAME, name.strip())
                    .set(APPLIANCES.ACTIVATION_CODE_HASH, Secrets.hash(code))
                    .set(APPLIANCES.REGISTERED_AT, Times.column(clock.instant()))
                    .execute();
        });
        return code;
    }

    @Override
    public String issueActivationCode(ApplianceId appliance) {
        Objects.requireNonNull(appliance, "appliance");
        String code = Secrets.newActivationCode();
        int updated = db.update(APPLIANCES)
                .set(APPLIANCES.ACTIVATION_CODE_HASH, Secrets.hash(code))
                .where(APPLIANCES.ID.eq(appliance.value()))
                .and(APPLIANCES.REPLACED_BY.isNull())
                .execute();
        if (updated != 1 && db.fetchExists(APPLIANCES, APPLIANCES.ID.eq(appliance.value()))) {
            throw new IllegalArgumentException("appliance " + appliance + " was replaced in an RMA: its credentials stay revoked (docs/rma.md)");
        }
        if (updated != 1) {
            throw new IllegalArgumentException("appliance " + appliance + " is not registered; register it for its customer first");
        }
        return code;
    }

    @Override
    public List<Reseller> resellers(TenantScope scope) {
        var condition = switch (scope) {
            case TenantScope.Operator o -> DSL.noCondition();
            case TenantScope.Reseller r -> RESELLERS.ID.eq(r.id().value());
            case TenantScope.Customer c -> RESELLERS.ID.in(
                    DSL.select(CUSTOMERS.RESELLER_ID).from(CUSTOMERS).where(CUSTOMERS.ID.eq(c.id().value())));
        };
        return db.selectFrom(RESELLERS).where(condition).orderBy(RESELLERS.ID)
                .fetch(r -> new Reseller(new ResellerId(r.getId()), r.getName(), Times.instant(r.getCreatedAt()),
                        Optional.ofNullable(r.getEdition())));
    }

    @Override
    public List<Customer> customers(TenantScope scope) {
        return db.selectFrom(CUSTOMERS).where(Scopes.customers(CUSTOMERS.ID, scope)).orderBy(CUSTOMERS.ID)
                .fetch(c -> new Customer(new CustomerId(c.getId()), new ResellerId(c.getResellerId()), c.getName(),
                        Times.instant(c.getCreatedAt())));
    }

    @Override
    public List<Appliance> appliances(TenantScope scope) {
        return db.selectFrom(APPLIANCES).where(Scopes.customers(APPLIANCES.CUSTOMER_ID, scope)).orderBy(APPLIANCES.ID)
                .fetch(a -> new Appliance(new ApplianceId(a.getId()), new CustomerId(a.getCustomerId()),
                        Times.instant(a.getRegisteredAt()), a.getActivationCodeHash() != null,
                        Optional.ofNullable(Times.instant(a.getActivatedAt()))));
    }

    @Override
    public Optional<CustomerProfile> profile(TenantScope scope, CustomerId customer) {
        return db.selectFrom(CUSTOMERS).where(CUSTOMERS.ID.eq(customer.value()), Scopes.customers(CUSTOMERS.ID, scope))
                .fetchOptional(c -> new CustomerProfile(c.getName(), c.getContactName(), c.getDepartment(), c.getContactTitle(),
                        c.getContactMail(), c.getAddress(), c.getPhone()));
    }

    @Override
    public void updateProfile(TenantScope scope, CustomerId customer, CustomerProfile p) {
        Objects.requireNonNull(p, "profile");
        int updated = scope instanceof TenantScope.Customer ? 0 : db.update(CUSTOMERS)
                .set(CUSTOMERS.NAME, p.name())
                .set(CUSTOMERS.CONTACT_NAME, blankAsNull(p.contactName()))
                .set(CUSTOMERS.DEPARTMENT, blankAsNull(p.department()))
                .set(CUSTOMERS.CONTACT_TITLE, blankAsNull(p.title()))
                .set(CUSTOMERS.CONTACT_MAIL, blankAsNull(p.mail()))
                .set(CUSTOMERS.ADDRESS, blankAsNull(p.address()))
                .set(CUSTOMERS.PHONE, blankAsNull(p.phone()))
                .where(CUSTOMERS.ID.eq(customer.value()), Scopes.customers(CUSTOMERS.ID, scope))
                .execute();
        if (updated != 1) {
            throw new IllegalArgumentException(customer + " not found");
        }
    }

    private static String blankAsNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static String name(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a " + what + " needs a name");
        }
        String n = name.strip();
        if (n.length() > 200) {
            throw new IllegalArgumentException("a " + what + "'s name is at most 200 characters: " + n.substring(0, 40) + "…");
        }
        return n;
    }
}
