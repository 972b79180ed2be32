package dev.jsing.sif;

/** The role of a partition object (int32 at offset 4 of the descriptor's Extra). Codes are permanent. */
public enum PartType implements OnDiskCode {
    SYSTEM(1, "System"),
    /** The primary system partition: the container's root filesystem. At most one per image. */
    PRIM_SYS(2, "*System"),
    DATA(3, "Data"),
    OVERLAY(4, "Overlay"),
    /** Any code this library does not know. */
    UNKNOWN(0, "Unknown");

    private final int code;
    private final String label;

    PartType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    /** The type for an on-disk code; {@link #UNKNOWN} for codes this library does not know. */
    public static PartType of(int code) {
        return OnDiskCode.lookup(values(), code, UNKNOWN);
    }

    @Override
    public String toString() {
        return label;
    }
}
