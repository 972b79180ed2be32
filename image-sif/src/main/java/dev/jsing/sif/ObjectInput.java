package dev.jsing.sif;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * A data object to add with {@link SifImage#add}: its type, its bytes (a file or a stream) and its descriptor fields.
 * Defaults as the reference's {@code NewDescriptorInput}: group 1, not linked, no name, alignment 4096 for partitions
 * and 0 otherwise, the time of the edit. Immutable; each {@code with...} returns a copy.
 */
public final class ObjectInput {
    private final DataType type;
    private final Path file;
    private final InputStream stream;
    private final int groupId;
    private final int rawLinkedId;
    private final int alignment;
    private final String name;
    private final Optional<Instant> time;
    private final byte[] extra;

    private ObjectInput(
            DataType type,
            Path file,
            InputStream stream,
            int groupId,
            int rawLinkedId,
            int alignment,
            String name,
            Optional<Instant> time,
            byte[] extra) {
        this.type = type;
        this.file = file;
        this.stream = stream;
        this.groupId = groupId;
        this.rawLinkedId = rawLinkedId;
        this.alignment = alignment;
        this.name = name;
        this.time = time;
        this.extra = extra;
    }

    private static ObjectInput base(DataType type, Path file, InputStream stream) {
        if (type == DataType.UNKNOWN) {
            throw new IllegalArgumentException("cannot add an object of unknown data type");
        }
        int align = type == DataType.PARTITION ? 4096 : 0;
        return new ObjectInput(type, file, stream, 1, 0, align, "", Optional.empty(), null);
    }

    /** An object whose bytes are the contents of {@code file}. */
    public static ObjectInput of(DataType type, Path file) {
        return base(type, file, null);
    }

    /** An object whose bytes are read from {@code in} to its end (the caller closes it). */
    public static ObjectInput of(DataType type, InputStream in) {
        return base(type, null, in);
    }

    /** Places the object in group {@code id} (1 or more). */
    public ObjectInput withGroupId(int id) {
        if (id <= 0 || (id & Layout.GROUP_MASK) != 0) {
            throw new IllegalArgumentException("invalid group ID " + Integer.toUnsignedString(id));
        }
        return new ObjectInput(type, file, stream, id, rawLinkedId, alignment, name, time, extra);
    }

    /** Places the object in no group. */
    public ObjectInput withNoGroup() {
        return new ObjectInput(type, file, stream, 0, rawLinkedId, alignment, name, time, extra);
    }

    /** Links the object to the object {@code id}. */
    public ObjectInput withLinkedId(int id) {
        if (id == 0) {
            throw new IllegalArgumentException("invalid object ID 0");
        }
        return new ObjectInput(type, file, stream, groupId, id, alignment, name, time, extra);
    }

    /** Links the object to the group {@code id}. */
    public ObjectInput withLinkedGroupId(int id) {
        if (id <= 0 || (id & Layout.GROUP_MASK) != 0) {
            throw new IllegalArgumentException("invalid group ID " + Integer.toUnsignedString(id));
        }
        return new ObjectInput(type, file, stream, groupId, id | Layout.GROUP_MASK, alignment, name, time, extra);
    }

    /** Aligns the object's absolute offset to a multiple of {@code n} (a power of two; 0 for none). */
    public ObjectInput withAlignment(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("invalid alignment " + n);
        }
        return new ObjectInput(type, file, stream, groupId, rawLinkedId, n, name, time, extra);
    }

    /** Sets the object name (at most 128 bytes of UTF-8). */
    public ObjectInput withName(String n) {
        if (n.getBytes(StandardCharsets.UTF_8).length > Layout.D_NAME_LEN) {
            throw new IllegalArgumentException("name too large (at most 128 bytes): " + n);
        }
        return new ObjectInput(type, file, stream, groupId, rawLinkedId, alignment, n, time, extra);
    }

    /** Records {@code t} as the object's creation and modification time instead of the edit's time. */
    public ObjectInput withTime(Instant t) {
        return new ObjectInput(type, file, stream, groupId, rawLinkedId, alignment, name, Optional.of(t), extra);
    }

    /** Partition metadata (partition objects only). */
    public ObjectInput withPartition(FsType fs, PartType part, Arch arch) {
        require(DataType.PARTITION);
        if (arch == Arch.UNKNOWN) {
            throw new IllegalArgumentException("unknown architecture");
        }
        byte[] e = new byte[11];
        Layout.putI32(e, 0, fs.code());
        Layout.putI32(e, 4, part.code());
        System.arraycopy(arch.code().getBytes(StandardCharsets.US_ASCII), 0, e, 8, 2);
        return withExtra(e);
    }

    /** Signature metadata (signature objects only); {@code fingerprint} is the signer's 20-byte PGP fingerprint. */
    public ObjectInput withSignature(HashType hash, byte[] fingerprint) {
        require(DataType.SIGNATURE);
        if (hash == HashType.UNKNOWN) {
            throw new IllegalArgumentException("unknown hash type");
        }
        byte[] e = new byte[4 + 256];
        Layout.putI32(e, 0, hash.code());
        System.arraycopy(fingerprint, 0, e, 4, Math.min(fingerprint.length, 256));
        return withExtra(e);
    }

    /** SBOM metadata (SBOM objects only). */
    public ObjectInput withSbom(SbomFormat format) {
        require(DataType.SBOM);
        byte[] e = new byte[4];
        Layout.putI32(e, 0, format.code());
        return withExtra(e);
    }

    /** Crypto message metadata (crypto message objects only). */
    public ObjectInput withCryptoMessage(CryptoFormat format, CryptoMessageType messageType) {
        require(DataType.CRYPTO_MESSAGE);
        byte[] e = new byte[8];
        Layout.putI32(e, 0, format.code());
        Layout.putI32(e, 4, messageType.code());
        return withExtra(e);
    }

    /** The digest ({@code sha256:<hex>}) of an OCI blob or OCI root index object. */
    public ObjectInput withOciDigest(String digest) {
        if (type != DataType.OCI_BLOB && type != DataType.OCI_ROOT_INDEX) {
            throw new IllegalArgumentException("unexpected data type " + type + ", expected OCI.RootIndex or OCI.Blob");
        }
        byte[] d = digest.getBytes(StandardCharsets.UTF_8);
        if (d.length > Layout.D_EXTRA_LEN) {
            throw new IllegalArgumentException("digest value too large");
        }
        return withExtra(d);
    }

    private void require(DataType want) {
        if (type != want) {
            throw new IllegalArgumentException("unexpected data type " + type + ", expected " + want);
        }
    }

    private ObjectInput withExtra(byte[] e) {
        return new ObjectInput(type, file, stream, groupId, rawLinkedId, alignment, name, time, e);
    }

    public DataType type() {
        return type;
    }

    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    Optional<InputStream> stream() {
        return Optional.ofNullable(stream);
    }

    public int groupId() {
        return groupId;
    }

    int rawLinkedId() {
        return rawLinkedId;
    }

    public int alignment() {
        return alignment;
    }

    public String name() {
        return name;
    }

    public Optional<Instant> time() {
        return time;
    }

    /** The Extra bytes to store (empty when no metadata was set). */
    byte[] extraBytes() {
        return extra == null ? new byte[0] : Arrays.copyOf(extra, extra.length);
    }

    /** The partition role set with {@link #withPartition}, if any. */
    Optional<PartType> partType() {
        if (type != DataType.PARTITION || extra == null) {
            return Optional.empty();
        }
        return Optional.of(PartType.of(Layout.i32(extra, 4)));
    }

    /** The two arch digits set with {@link #withPartition}. */
    byte[] archBytes() {
        return new byte[] {extra[8], extra[9], extra[10]};
    }
}
