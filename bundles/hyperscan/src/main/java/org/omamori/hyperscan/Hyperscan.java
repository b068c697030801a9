package org.omamori.hyperscan;

import org.bytedeco.javacpp.Loader;

import com.gliwka.hyperscan.jni.hyperscan;

/** The native library itself: loading, version and platform check. */
public final class Hyperscan {

    private Hyperscan() {
    }

    /** Hyperscan's version and build date, e.g. {@code "5.4.0 2021-03-30"}; loads the library if needed. */
    public static String version() {
        return Native.ensureLoaded();
    }

    /**
     * How matches come back from the native scan: {@code "foreign-function upcall"} on Java 22+
     * (Linux, x86-64 or AArch64, native access allowed), else {@code "JavaCPP callback"} and why
     * not the other ({@code -Domamori.hyperscan.ffm=false} among the reasons). Loads the library.
     */
    public static String matchCallback() {
        Native.ensureLoaded();
        String why = ScanCalls.Loaded.WHY_NOT_FFM;
        return why == null ? "foreign-function upcall" : "JavaCPP callback (no foreign-function calls: " + why + ")";
    }

    /**
     * Loads the library and checks the CPU. Every entry point of this package calls it, so calling
     * it directly only moves the cost (and any failure) to a moment of the caller's choosing.
     *
     * @throws HyperscanException if the library cannot load or the CPU lacks SSSE3
     */
    public static void load() {
        Native.ensureLoaded();
    }

    /**
     * Loads the native code once per class loader. JavaCPP's {@link Loader} finds the libraries as
     * resources of this bundle, extracts them to its cache directory ({@code
     * org.bytedeco.javacpp.cachedir}, default {@code ~/.javacpp/cache}) and calls
     * {@code System.load} from a class of this bundle, so the JNI symbols bind to this bundle's
     * class loader.
     */
    static final class Native {

        private static final String VERSION;
        private static final HyperscanException FAILURE;
        /** The file JavaCPP loaded the library from, as it says; where the foreign-function calls look the symbols up. */
        static final String LIBRARY;

        static {
            String version = null;
            String library = null;
            HyperscanException failure = null;
            try {
                library = Loader.load(hyperscan.class);
                int platform = hyperscan.hs_valid_platform();
                if (platform == hyperscan.HS_SUCCESS) {
                    version = hyperscan.hs_version().getString();
                } else {
                    failure = new HyperscanException("hs_valid_platform (Hyperscan needs an x86-64 CPU with SSSE3)", platform);
                }
            } catch (Throwable e) {
                failure = new HyperscanException("cannot load the Hyperscan native library for " + System.getProperty("os.name")
                        + "/" + System.getProperty("os.arch") + ": " + e, e);
            }
            VERSION = version;
            FAILURE = failure;
            LIBRARY = library;
        }

        private Native() {
        }

        /** Fails fast, with the load error, before any other native call. */
        static String ensureLoaded() {
            if (FAILURE != null) {
                // A fresh exception per call, so each caller's stack shows where it was used.
                throw FAILURE.code() == HyperscanException.NOT_LOADED
                        ? new HyperscanException(FAILURE.getMessage(), FAILURE.getCause())
                        : new HyperscanException("hs_valid_platform (Hyperscan needs an x86-64 CPU with SSSE3)", FAILURE.code());
            }
            return VERSION;
        }
    }
}
