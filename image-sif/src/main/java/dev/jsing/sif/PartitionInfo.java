package dev.jsing.sif;

/**
 * The Extra metadata of a partition object: filesystem, role and architecture, with the raw codes kept so unknown
 * values survive.
 */
public record PartitionInfo(int fsTypeCode, int partTypeCode, String archCode) {
    public FsType fsType() {
        return FsType.of(fsTypeCode);
    }

    public PartType partType() {
        return PartType.of(partTypeCode);
    }

    /** The partition's architecture ({@link Arch#UNKNOWN} for codes that are not two known digits). */
    public Arch arch() {
        return Arch.ofCode(archCode);
    }
}
