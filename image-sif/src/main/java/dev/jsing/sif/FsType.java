package dev.jsing.sif;

/** The filesystem of a partition object (int32 at offset 0 of the descriptor's Extra). Codes are permanent. */
public enum FsType implements OnDiskCode {
    SQUASHFS(1, "Squashfs"),
    EXT3(2, "Ext3"),
    IMMUTABLE_OBJECTS(3, "Archive"),
    RAW(4, "Raw"),
    ENCRYPTED_SQUASHFS(5, "Encrypted squashfs"),
    /** Defined by apptainer/sif only; the reference siftool 2.8 prints it as "Unknown". */
    GOCRYPTFS_SQUASHFS(6, "Gocryptfs squashfs"),
    /** Any code this library does not know. */
    UNKNOWN(0, "Unknown");

    private final int code;
    private final String label;

    FsType(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    /** The type for an on-disk code; {@link #UNKNOWN} for codes this library does not know. */
    public static FsType of(int code) {
        return OnDiskCode.lookup(values(), code, UNKNOWN);
    }

    @Override
    public String toString() {
        return label;
    }
}
