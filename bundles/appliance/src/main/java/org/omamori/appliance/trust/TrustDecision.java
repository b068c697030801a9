package org.omamori.appliance.trust;

import java.util.Objects;

/** What the verifier decided about one engine bundle jar. */
public sealed interface TrustDecision {

    /** The jar is an engine bundle signed, entry by entry, by a key the operator trusts. */
    record Trusted(String symbolicName, String version, Signer signer) implements TrustDecision {
        public Trusted {
            Objects.requireNonNull(symbolicName, "symbolicName");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(signer, "signer");
        }
    }

    /** The jar must not be installed; {@code reason} says why and what to do, for the operator. */
    record Refused(Cause cause, String reason) implements TrustDecision {
        public Refused {
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a jar was refused; each cause has its own remedy. */
    enum Cause {
        TOO_LARGE,
        NOT_A_JAR,
        NOT_A_BUNDLE,
        UNSIGNED,
        /** An entry without a signature next to signed ones: added after signing. */
        UNSIGNED_ENTRY,
        /** An entry whose content or presence no longer matches the signature. */
        TAMPERED,
        /** Entries signed by different keys, with no key common to all. */
        MIXED_SIGNERS,
        UNTRUSTED_SIGNER,
        /** The signer's key is trusted, but every trusted certificate for it is expired or not yet valid. */
        TRUST_NOT_VALID,
        NO_TRUSTED_KEYS,
        NOT_AN_ENGINE
    }
}
