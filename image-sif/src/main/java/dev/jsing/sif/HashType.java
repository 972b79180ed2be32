package dev.jsing.sif;

/** The hash of a signature object (int32 at offset 0 of the descriptor's Extra). Codes are permanent. */
public enum HashType implements OnDiskCode {
    SHA256(1, "SHA-256"),
    SHA384(2, "SHA-384"),
    SHA512(3, "SHA-512"),
    BLAKE2S(4, "BLAKE2s-256"),
    BLAKE2B(5, "BLAKE2b-256"),
    /** Any code this library does not know (the reference library rejects these). */
    UNKNOWN(0, "Unknown");

    private final int code;
    private final String label;

    HashType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    /** The type for an on-disk code; {@link #UNKNOWN} for codes this library does not know. */
    public static HashType of(int code) {
        return OnDiskCode.lookup(values(), code, UNKNOWN);
    }

    @Override
    public String toString() {
        return label;
    }
}
