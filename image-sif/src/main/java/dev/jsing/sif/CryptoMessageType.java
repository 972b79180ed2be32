package dev.jsing.sif;

/** The kind of a cryptographic message object (int32 at offset 4 of the Extra). Codes are permanent. */
public enum CryptoMessageType implements OnDiskCode {
    CLEAR_SIGNATURE(0x100, "Clear Signature"),
    RSA_OAEP(0x200, "RSA-OAEP"),
    /** Any code this library does not know. */
    UNKNOWN(0, "Unknown");

    private final int code;
    private final String label;

    CryptoMessageType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    /** The type for an on-disk code; {@link #UNKNOWN} for codes this library does not know. */
    public static CryptoMessageType of(int code) {
        return OnDiskCode.lookup(values(), code, UNKNOWN);
    }

    @Override
    public String toString() {
        return label;
    }
}
