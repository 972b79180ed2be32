package dev.jsing.sif;

/** The format of a cryptographic message object (int32 at offset 0 of the Extra). Codes are permanent. */
public enum CryptoFormat implements OnDiskCode {
    OPENPGP(1, "OpenPGP"),
    PEM(2, "PEM"),
    /** Any code this library does not know. */
    UNKNOWN(0, "Unknown");

    private final int code;
    private final String label;

    CryptoFormat(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    /** The format for an on-disk code; {@link #UNKNOWN} for codes this library does not know. */
    public static CryptoFormat of(int code) {
        return OnDiskCode.lookup(values(), code, UNKNOWN);
    }

    @Override
    public String toString() {
        return label;
    }
}
