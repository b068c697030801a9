package org.omamori.definitions;

/**
 * Bounds on one package, checked before and while it is read, so a hostile package costs at most
 * this much memory and disk.
 *
 * @param maxPackageBytes  the package (zip) itself, as downloaded or dropped
 * @param maxEntries       zip entries, directories included
 * @param maxUnpackedBytes all files unpacked together
 * @param maxManifestBytes the manifest.json entry
 */
public record PackageLimits(long maxPackageBytes, int maxEntries, long maxUnpackedBytes, int maxManifestBytes) {

    public static final long DEFAULT_MAX_PACKAGE_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_ENTRIES = 10_000;
    public static final long DEFAULT_MAX_UNPACKED_BYTES = 1024L * 1024 * 1024;
    public static final int DEFAULT_MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    public PackageLimits {
        if (maxPackageBytes < 1 || maxPackageBytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxPackageBytes must be between 1 and 2 GiB, got " + maxPackageBytes);
        }
        if (maxEntries < 1 || maxUnpackedBytes < 1 || maxManifestBytes < 1) {
            throw new IllegalArgumentException("package limits must be positive");
        }
    }

    public static PackageLimits defaults() {
        return new PackageLimits(DEFAULT_MAX_PACKAGE_BYTES, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_UNPACKED_BYTES, DEFAULT_MAX_MANIFEST_BYTES);
    }

    public PackageLimits withMaxPackageBytes(long bytes) {
        return new PackageLimits(bytes, maxEntries, maxUnpackedBytes, maxManifestBytes);
    }

    public PackageLimits withMaxEntries(int entries) {
        return new PackageLimits(maxPackageBytes, entries, maxUnpackedBytes, maxManifestBytes);
    }

    public PackageLimits withMaxUnpackedBytes(long bytes) {
        return new PackageLimits(maxPackageBytes, maxEntries, bytes, maxManifestBytes);
    }
}
