package org.omamori.hyperscan;

/**
 * A native Hyperscan call failed for a reason other than a pattern: out of memory, a CPU without
 * SSSE3, a library that cannot load, or misuse Hyperscan detected itself.
 */
public final class HyperscanException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The code used when no Hyperscan error code applies, e.g. the library could not load. */
    public static final int NOT_LOADED = Integer.MIN_VALUE;

    private final int code;

    HyperscanException(String operation, int code) {
        super(operation + " failed: " + codeName(code) + " (" + code + ")");
        this.code = code;
    }

    HyperscanException(String message, Throwable cause) {
        super(message, cause);
        this.code = NOT_LOADED;
    }

    /** Hyperscan's {@code hs_error_t}, or {@link #NOT_LOADED}. */
    public int code() {
        return code;
    }

    /** The name of {@link #code()}, such as {@code HS_NOMEM}. */
    public String codeName() {
        return codeName(code);
    }

    static String codeName(int code) {
        return switch (code) {
            case 0 -> "HS_SUCCESS";
            case -1 -> "HS_INVALID";
            case -2 -> "HS_NOMEM";
            case -3 -> "HS_SCAN_TERMINATED";
            case -4 -> "HS_COMPILER_ERROR";
            case -5 -> "HS_DB_VERSION_ERROR";
            case -6 -> "HS_DB_PLATFORM_ERROR";
            case -7 -> "HS_DB_MODE_ERROR";
            case -8 -> "HS_BAD_ALIGN";
            case -9 -> "HS_BAD_ALLOC";
            case -10 -> "HS_SCRATCH_IN_USE";
            case -11 -> "HS_ARCH_ERROR";
            case -12 -> "HS_INSUFFICIENT_SPACE";
            case -13 -> "HS_UNKNOWN_ERROR";
            case NOT_LOADED -> "NOT_LOADED";
            default -> "HS_ERROR_" + code;
        };
    }
}
