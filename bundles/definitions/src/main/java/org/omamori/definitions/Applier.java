package org.omamori.definitions;

import java.nio.file.Path;

/**
 * Puts a verified, unpacked package in force for one kind's engine. Called one package at a time.
 * Must be idempotent: the same version may be applied again (after a restart, or a retry after a
 * failure). Throwing means the version is not in force; the installer then keeps the previous one.
 */
@FunctionalInterface
public interface Applier {

    /**
     * @param version the version being applied
     * @param files   the package's files, in their final folder {@code definitions/<kind>/<version>/files},
     *                which stays until two newer versions have been applied
     */
    void apply(PackageVersion version, Path files) throws Exception;
}
