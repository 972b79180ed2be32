package dev.jsing.sif;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An immutable view of one used 585-byte object descriptor. Typed accessors decode the Extra field for partitions,
 * signatures, SBOMs, crypto messages and OCI blobs; they return empty for other data types.
 */
public final class Descriptor {
    private final int slot;
    private final byte[] raw;

    private Descriptor(int slot, byte[] raw) {
        this.slot = slot;
        this.raw = raw;
    }

    static Descriptor of(int slot, byte[] table, int off) {
        return new Descriptor(slot, Arrays.copyOfRange(table, off, off + Layout.DESCRIPTOR_SIZE));
    }

    /** The descriptor's index in the table (0-based). */
    public int slot() {
        return slot;
    }

    /** The object ID (1-based, normally slot + 1). */
    public int id() {
        return Layout.i32(raw, Layout.D_ID);
    }

    /** The data type; {@link DataType#UNKNOWN} for codes this library does not know (see {@link #dataTypeCode()}). */
    public DataType dataType() {
        return DataType.of(dataTypeCode());
    }

    /** The raw on-disk data type code. */
    public int dataTypeCode() {
        return Layout.i32(raw, Layout.D_DATATYPE);
    }

    /** The group ID with the 0xF0000000 mask removed; 0 when the object is in no group. */
    public int groupId() {
        return Layout.i32(raw, Layout.D_GROUP) & ~Layout.GROUP_MASK;
    }

    /** The linked object or group ID with the mask removed; 0 when not linked. */
    public int linkedId() {
        return Layout.i32(raw, Layout.D_LINK) & ~Layout.GROUP_MASK;
    }

    /** True when {@link #linkedId()} names a group rather than an object. */
    public boolean isLinkedToGroup() {
        return (Layout.i32(raw, Layout.D_LINK) & Layout.GROUP_MASK) == Layout.GROUP_MASK;
    }

    /** The absolute file offset of the object's first byte. */
    public long offset() {
        return Layout.i64(raw, Layout.D_OFFSET);
    }

    /** The object's size in bytes. */
    public long size() {
        return Layout.i64(raw, Layout.D_SIZE);
    }

    /** The size plus the alignment padding written before the object. */
    public long sizeWithPadding() {
        return Layout.i64(raw, Layout.D_SIZE_PADDED);
    }

    /** The raw 64-bit Unix time (any value: {@link #createdAt} fails outside {@link Instant}'s range). */
    public long createdAtSeconds() {
        return Layout.i64(raw, Layout.D_CREATED);
    }

    public Instant createdAt() {
        return Instant.ofEpochSecond(Layout.i64(raw, Layout.D_CREATED));
    }

    /** The raw 64-bit Unix time (any value: {@link #modifiedAt} fails outside {@link Instant}'s range). */
    public long modifiedAtSeconds() {
        return Layout.i64(raw, Layout.D_MODIFIED);
    }

    public Instant modifiedAt() {
        return Instant.ofEpochSecond(Layout.i64(raw, Layout.D_MODIFIED));
    }

    /** The object name, NULs trimmed ({@code ""} when none). */
    public String name() {
        return Layout.trimNuls(raw, Layout.D_NAME, Layout.D_NAME_LEN);
    }

    /** A copy of the 384 Extra bytes. */
    public byte[] extra() {
        return Arrays.copyOfRange(raw, Layout.D_EXTRA, Layout.D_EXTRA + Layout.D_EXTRA_LEN);
    }

    /** The 585 descriptor bytes as stored. */
    public byte[] toBytes() {
        return raw.clone();
    }

    /** Partition metadata, for partition objects. */
    public Optional<PartitionInfo> partition() {
        if (dataType() != DataType.PARTITION) {
            return Optional.empty();
        }
        int e = Layout.D_EXTRA;
        return Optional.of(
                new PartitionInfo(Layout.i32(raw, e), Layout.i32(raw, e + 4), Layout.trimNuls(raw, e + 8, 3)));
    }

    /** True for the primary system partition (the container's root filesystem). */
    public boolean isPrimaryPartition() {
        return partition().map(p -> p.partType() == PartType.PRIM_SYS).orElse(false);
    }

    /** Signature metadata, for signature objects. */
    public Optional<SignatureInfo> signature() {
        if (dataType() != DataType.SIGNATURE) {
            return Optional.empty();
        }
        int e = Layout.D_EXTRA;
        byte[] fp = Arrays.copyOfRange(raw, e + 4, e + 24);
        String entity = Arrays.equals(fp, new byte[20])
                ? ""
                : HexFormat.of().withUpperCase().formatHex(fp);
        return Optional.of(new SignatureInfo(Layout.i32(raw, e), entity));
    }

    /** Crypto message metadata, for crypto message objects. */
    public Optional<CryptoMessageInfo> cryptoMessage() {
        if (dataType() != DataType.CRYPTO_MESSAGE) {
            return Optional.empty();
        }
        int e = Layout.D_EXTRA;
        return Optional.of(new CryptoMessageInfo(Layout.i32(raw, e), Layout.i32(raw, e + 4)));
    }

    /** The SBOM format, for SBOM objects. */
    public Optional<SbomFormat> sbomFormat() {
        if (dataType() != DataType.SBOM) {
            return Optional.empty();
        }
        return Optional.of(SbomFormat.of(Layout.i32(raw, Layout.D_EXTRA)));
    }

    /** The digest ({@code sha256:<hex>}), for OCI blob and OCI root index objects. */
    public Optional<String> ociDigest() {
        DataType t = dataType();
        if (t != DataType.OCI_BLOB && t != DataType.OCI_ROOT_INDEX) {
            return Optional.empty();
        }
        int end = Layout.D_EXTRA;
        while (end < Layout.D_EXTRA + Layout.D_EXTRA_LEN && raw[end] != 0) {
            end++;
        }
        return Optional.of(new String(raw, Layout.D_EXTRA, end - Layout.D_EXTRA, StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Descriptor[id=" + id() + ", type=" + dataType() + ", offset=" + offset() + ", size=" + size() + "]";
    }
}
