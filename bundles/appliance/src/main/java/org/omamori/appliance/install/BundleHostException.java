package org.omamori.appliance.install;

/** The framework refused an operation, e.g. a bundle whose requirements cannot be resolved. */
public class BundleHostException extends Exception {

    private static final long serialVersionUID = 1L;

    public BundleHostException(String message, Throwable cause) {
        super(message, cause);
    }

    public BundleHostException(String message) {
        super(message);
    }
}
