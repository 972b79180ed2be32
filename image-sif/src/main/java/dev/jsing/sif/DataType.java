package dev.jsing.sif;

/** The type of a SIF data object: the descriptor's {@code DataType} field (int32 at offset 0). Codes are permanent. */
public enum DataType implements OnDiskCode {
    DEFFILE(0x4001, "Def.FILE"),
    ENV_VAR(0x4002, "Env.Vars"),
    LABELS(0x4003, "JSON.Labels"),
    PARTITION(0x4004, "FS"),
    SIGNATURE(0x4005, "Signature"),
    GENERIC_JSON(0x4006, "JSON.Generic"),
    GENERIC(0x4007, "Generic/Raw"),
    CRYPTO_MESSAGE(0x4008, "Cryptographic Message"),
    SBOM(0x4009, "SBOM"),
    OCI_ROOT_INDEX(0x400A, "OCI.RootIndex"),
    OCI_BLOB(0x400B, "OCI.Blob"),
    /** Any code this library does not know; the raw code stays available on the {@link Descriptor}. */
    UNKNOWN(0, "Unknown");

    private final int code;
    private final String label;

    DataType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    /** The on-disk code. */
    public int code() {
        return code;
    }

    /** The type for an on-disk code; {@link #UNKNOWN} for codes this library does not know. */
    public static DataType of(int code) {
        return OnDiskCode.lookup(values(), code, UNKNOWN);
    }

    /** The name the reference library prints (e.g. {@code FS}, {@code JSON.Generic}). */
    @Override
    public String toString() {
        return label;
    }
}
