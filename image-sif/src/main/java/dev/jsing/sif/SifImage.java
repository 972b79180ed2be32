package dev.jsing.sif;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * An open SIF image: its header and used descriptors (read once, validated), streams over object bytes, and — when
 * opened with {@link #create} or {@link #openWritable} — the edits of the reference library (add, delete, set primary
 * partition), which write exactly the bytes it writes. Not thread-safe for edits; close it when done.
 */
public final class SifImage implements AutoCloseable {
    /** Go's zero {@code time.Time} as unix seconds: the time deterministic images record. */
    public static final Instant ZERO_TIME = Instant.ofEpochSecond(-62135596800L);

    private final Path path;
    private final FileChannel channel;
    private final boolean writable;
    private final byte[] header;
    private final byte[] table;

    private SifImage(Path path, FileChannel channel, boolean writable, byte[] header, byte[] table) {
        this.path = path;
        this.channel = channel;
        this.writable = writable;
        this.header = header;
        this.table = table;
    }

    /**
     * Opens {@code file} read-only and validates its header and descriptors (no object data is read).
     *
     * @throws SifFormatException if the file is not a valid SIF image
     * @throws NoSuchFileException if it does not exist
     */
    public static SifImage open(Path file) throws IOException {
        return load(file, false);
    }

    /** Opens {@code file} for reading and editing, after the same validation as {@link #open}. */
    public static SifImage openWritable(Path file) throws IOException {
        return load(file, true);
    }

    private static SifImage load(Path file, boolean writable) throws IOException {
        Set<OpenOption> mode =
                writable ? Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE) : Set.of(StandardOpenOption.READ);
        String special = ImageFormat.special(file);
        if (special != null) {
            throw new SifFormatException(file, "not a SIF image: " + special + ", not a regular file");
        }
        FileChannel ch = FileChannel.open(file, mode);
        try {
            long fileSize = ch.size();
            if (fileSize < Layout.HEADER_SIZE) {
                throw new SifFormatException(
                        file, "truncated file: " + fileSize + " bytes, shorter than the 128-byte SIF header");
            }
            byte[] h = readFully(ch, 0, Layout.HEADER_SIZE);
            ImageValidator.checkHeader(file, h, fileSize);
            long tableOff = Layout.i64(h, Layout.H_DESC_OFFSET);
            int tableSize = (int) Layout.i64(h, Layout.H_DESC_SIZE);
            byte[] t = readFully(ch, tableOff, tableSize);
            SifImage img = new SifImage(file, ch, writable, h, t);
            ImageValidator.checkObjects(file, img.descriptors(), tableOff, tableSize, fileSize);
            return img;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Creates (or truncates) {@code file} as an empty image laid out by {@code options}, with mode 0755 (before umask)
     * so it can be run directly, and returns it open for editing.
     */
    public static SifImage create(Path file, CreateOptions options) throws IOException {
        Set<OpenOption> mode = Set.of(
                StandardOpenOption.READ,
                StandardOpenOption.WRITE,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        FileChannel ch = FileChannel.open(
                file, mode, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            byte[] h = new byte[Layout.HEADER_SIZE];
            byte[] script = options.launchScript().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(script, 0, h, Layout.H_LAUNCH, script.length);
            System.arraycopy(Layout.MAGIC, 0, h, Layout.H_MAGIC, 10);
            System.arraycopy(Layout.VERSION, 0, h, Layout.H_VERSION, 3);
            setArch(h, Arch.UNKNOWN);
            ByteBuffer id = ByteBuffer.wrap(h, Layout.H_ID, 16);
            id.putLong(options.id().getMostSignificantBits())
                    .putLong(options.id().getLeastSignificantBits());
            long total = options.descriptorCapacity();
            long tableSize = total * Layout.DESCRIPTOR_SIZE;
            Layout.putI64(h, Layout.H_CREATED, options.time().getEpochSecond());
            Layout.putI64(h, Layout.H_MODIFIED, options.time().getEpochSecond());
            Layout.putI64(h, Layout.H_DESC_FREE, total);
            Layout.putI64(h, Layout.H_DESC_TOTAL, total);
            Layout.putI64(h, Layout.H_DESC_OFFSET, options.descriptorsOffset());
            Layout.putI64(h, Layout.H_DESC_SIZE, tableSize);
            Layout.putI64(h, Layout.H_DATA_OFFSET, options.descriptorsOffset() + tableSize);
            Layout.putI64(h, Layout.H_DATA_SIZE, 0);
            SifImage img = new SifImage(file, ch, true, h, new byte[(int) tableSize]);
            img.writeTable();
            img.writeHeader();
            return img;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The file this image was opened from. */
    public Path path() {
        return path;
    }

    /** The global header as it is now. */
    public Header header() {
        return Header.of(header);
    }

    /** The used descriptors, in table order. */
    public List<Descriptor> descriptors() {
        List<Descriptor> out = new ArrayList<>();
        for (int i = 0; i < slots(); i++) {
            if (table[i * Layout.DESCRIPTOR_SIZE + Layout.D_USED] != 0) {
                out.add(Descriptor.of(i, table, i * Layout.DESCRIPTOR_SIZE));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** The used descriptors that {@code selector} accepts (see {@link Selectors}), in table order. */
    public List<Descriptor> descriptors(Predicate<Descriptor> selector) {
        return descriptors().stream().filter(selector).toList();
    }

    /** The object with this ID. */
    public Optional<Descriptor> descriptor(int id) {
        return descriptors().stream().filter(Selectors.withId(id)).findFirst();
    }

    /** The primary system partition (the container's root filesystem), if the image has one. */
    public Optional<Descriptor> primaryPartition() {
        return descriptors().stream().filter(Descriptor::isPrimaryPartition).findFirst();
    }

    /** A stream over the object's bytes, read from the file on demand. Valid while this image is open. */
    public InputStream openStream(Descriptor d) {
        return new ObjectStream(channel, d.offset(), d.size());
    }

    /** Adds an object at the end of the data section, in the first free descriptor slot; returns its descriptor. */
    public Descriptor add(ObjectInput input) throws IOException {
        requireWritable();
        int slot = -1;
        for (int i = 0; i < slots(); i++) {
            if (table[i * Layout.DESCRIPTOR_SIZE + Layout.D_USED] == 0) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            throw new SifException(
                    path,
                    SifException.Reason.NO_FREE_DESCRIPTOR,
                    "insufficient descriptor capacity to add data object(s) to image");
        }
        if (input.partType().orElse(null) == PartType.PRIM_SYS) {
            if (primaryPartition().isPresent()) {
                throw new SifException(
                        path,
                        SifException.Reason.PRIMARY_PARTITION_EXISTS,
                        "image already contains a primary partition");
            }
            System.arraycopy(input.archBytes(), 0, header, Layout.H_ARCH, 3);
        }
        Instant t = editTime(Optional.empty());
        long unaligned = Layout.i64(header, Layout.H_DATA_OFFSET) + Layout.i64(header, Layout.H_DATA_SIZE);
        long offset = nextAligned(unaligned, input.alignment());
        long n = copyIn(input, offset);

        byte[] d = new byte[Layout.DESCRIPTOR_SIZE];
        Layout.putI32(d, Layout.D_DATATYPE, input.type().code());
        d[Layout.D_USED] = 1;
        Layout.putI32(d, Layout.D_ID, slot + 1);
        Layout.putI32(d, Layout.D_GROUP, input.groupId() | Layout.GROUP_MASK);
        Layout.putI32(d, Layout.D_LINK, input.rawLinkedId());
        Layout.putI64(d, Layout.D_OFFSET, offset);
        Layout.putI64(d, Layout.D_SIZE, n);
        Layout.putI64(d, Layout.D_SIZE_PADDED, offset - unaligned + n);
        long objTime = input.time().orElse(t).getEpochSecond();
        Layout.putI64(d, Layout.D_CREATED, objTime);
        Layout.putI64(d, Layout.D_MODIFIED, objTime);
        byte[] name = input.name().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(name, 0, d, Layout.D_NAME, name.length);
        byte[] extra = input.extraBytes();
        System.arraycopy(extra, 0, d, Layout.D_EXTRA, extra.length);
        System.arraycopy(d, 0, table, slot * Layout.DESCRIPTOR_SIZE, Layout.DESCRIPTOR_SIZE);

        Layout.putI64(header, Layout.H_DESC_FREE, Layout.i64(header, Layout.H_DESC_FREE) - 1);
        Layout.putI64(header, Layout.H_DATA_SIZE, Layout.i64(header, Layout.H_DATA_SIZE) + (offset - unaligned + n));
        Layout.putI64(header, Layout.H_MODIFIED, t.getEpochSecond());
        writeTable();
        writeHeader();
        return Descriptor.of(slot, table, slot * Layout.DESCRIPTOR_SIZE);
    }

    /**
     * Deletes the object {@code id}: frees its descriptor, and zeroes or truncates its data as {@code options} say,
     * writing the bytes the reference's {@code DeleteObject} writes with the same options and time. Compaction requires
     * the object to end last among the used objects (whatever its slot); it cuts the file at the start of the object's
     * alignment padding and takes its padded size off the header's data size (bytes of objects deleted earlier without
     * compaction stay counted there, as in the reference). Deleting the primary partition resets the header's
     * architecture to unknown. Unlike one reference {@code FileImage} session (which keeps the deleted descriptor in
     * memory and writes it back on a later add), a later {@link #add} here sees the slot free, as a separate
     * {@code siftool add} would.
     */
    public void delete(int id, DeleteOptions options) throws IOException {
        requireWritable();
        Descriptor d = require(id);
        if (options.compact() && !isLast(d)) {
            throw new SifException(
                    path, SifException.Reason.INVALID_REQUEST, "compact not implemented for non-last object " + id);
        }
        if (options.compact()
                && (d.sizeWithPadding() < d.size()
                        || d.sizeWithPadding() > d.offset() + d.size() - Layout.HEADER_SIZE)) {
            // the file would be cut at a negative offset or into the header
            throw new SifFormatException(
                    path,
                    "object " + Integer.toUnsignedString(id) + ": padded size " + d.sizeWithPadding()
                            + " does not fit its offset " + d.offset() + " and size " + d.size());
        }
        Instant t = editTime(options.time());
        if (options.zero()) {
            byte[] zeros = new byte[65536];
            long pos = d.offset();
            long end = d.offset() + d.size();
            while (pos < end) {
                int k = (int) Math.min(zeros.length, end - pos);
                writeFully(ByteBuffer.wrap(zeros, 0, k), pos);
                pos += k;
            }
        }
        if (options.compact()) {
            channel.truncate(d.offset() + d.size() - d.sizeWithPadding());
            Layout.putI64(header, Layout.H_DATA_SIZE, Layout.i64(header, Layout.H_DATA_SIZE) - d.sizeWithPadding());
        }
        Layout.putI64(header, Layout.H_DESC_FREE, Layout.i64(header, Layout.H_DESC_FREE) + 1);
        Layout.putI64(header, Layout.H_MODIFIED, t.getEpochSecond());
        if (d.isPrimaryPartition()) {
            setArch(header, Arch.UNKNOWN);
        }
        int off = d.slot() * Layout.DESCRIPTOR_SIZE;
        java.util.Arrays.fill(table, off, off + Layout.DESCRIPTOR_SIZE, (byte) 0);
        writeFully(ByteBuffer.wrap(table, off, Layout.DESCRIPTOR_SIZE), Layout.i64(header, Layout.H_DESC_OFFSET) + off);
        writeHeader();
    }

    /** As {@link #setPrimaryPartition(int, Optional)} with the default time. */
    public void setPrimaryPartition(int id) throws IOException {
        setPrimaryPartition(id, Optional.empty());
    }

    /**
     * Makes the system partition {@code id} the primary one: the previous primary partition becomes a plain system
     * partition and the header's architecture becomes the new partition's. Nothing changes if it already is primary.
     *
     * <p>Unlike siftool 2.8.3, which writes the Go architecture name truncated to 3 bytes into the promoted partition's
     * descriptor (so {@code amd64} becomes {@code "amd"} and reads back as unknown), this keeps the partition's
     * two-digit architecture code.
     */
    public void setPrimaryPartition(int id, Optional<Instant> time) throws IOException {
        requireWritable();
        Descriptor d = require(id);
        PartitionInfo p = d.partition()
                .orElseThrow(() ->
                        new SifException(path, SifException.Reason.NOT_A_PARTITION, "data object not a partition"));
        if (p.partType() == PartType.PRIM_SYS) {
            return;
        }
        if (p.partType() != PartType.SYSTEM) {
            throw new SifException(
                    path, SifException.Reason.NOT_A_SYSTEM_PARTITION, "data object not a system partition");
        }
        Instant t = editTime(time);
        Optional<Descriptor> old = primaryPartition();
        setPartType(d, PartType.PRIM_SYS, t);
        if (old.isPresent()) {
            setPartType(old.get(), PartType.SYSTEM, t);
        }
        writeTable();
        System.arraycopy(table, d.slot() * Layout.DESCRIPTOR_SIZE + Layout.D_EXTRA + 8, header, Layout.H_ARCH, 3);
        Layout.putI64(header, Layout.H_MODIFIED, t.getEpochSecond());
        writeHeader();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void setPartType(Descriptor d, PartType type, Instant t) {
        int off = d.slot() * Layout.DESCRIPTOR_SIZE;
        Layout.putI32(table, off + Layout.D_EXTRA + 4, type.code());
        Layout.putI64(table, off + Layout.D_MODIFIED, t.getEpochSecond());
    }

    private Descriptor require(int id) {
        List<Descriptor> found = descriptors(Selectors.withId(id));
        if (id == 0 || found.isEmpty()) {
            throw new SifException(
                    path,
                    SifException.Reason.OBJECT_NOT_FOUND,
                    "object " + Integer.toUnsignedString(id) + " not found");
        }
        if (found.size() > 1) {
            throw new SifFormatException(path, "multiple objects with ID " + Integer.toUnsignedString(id));
        }
        return found.get(0);
    }

    private boolean isLast(Descriptor d) {
        long end = d.offset() + d.size();
        return descriptors().stream().allMatch(o -> o.offset() + o.size() <= end);
    }

    /** The time an edit records: the given one, else zero for deterministic images, else now. */
    private Instant editTime(Optional<Instant> given) {
        if (given.isPresent()) {
            return given.get();
        }
        return header().isDeterministic() ? ZERO_TIME : Instant.now();
    }

    private int slots() {
        return table.length / Layout.DESCRIPTOR_SIZE;
    }

    private void requireWritable() {
        if (!writable) {
            throw new IllegalStateException(path + " is open read-only");
        }
    }

    private static void setArch(byte[] h, Arch arch) {
        byte[] code = (arch.code() + "\0").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(code, 0, h, Layout.H_ARCH, 3);
    }

    /** The reference's {@code nextAligned}: rounds up with a power-of-two mask. */
    static long nextAligned(long offset, int alignment) {
        if (alignment != 0 && Long.remainderUnsigned(offset, alignment) != 0) {
            return (offset & ~((long) alignment - 1)) + alignment;
        }
        return offset;
    }

    /** Copies the input's bytes to {@code offset}; blocks of zeros past the old end of file become holes. */
    private long copyIn(ObjectInput input, long offset) throws IOException {
        long oldEnd = channel.size();
        if (input.file().isPresent()) {
            try (InputStream in =
                    java.nio.file.Files.newInputStream(input.file().get())) {
                return copy(in, offset, oldEnd);
            }
        }
        return copy(input.stream().orElseThrow(), offset, oldEnd);
    }

    private long copy(InputStream in, long offset, long oldEnd) throws IOException {
        byte[] buf = new byte[1 << 16];
        long pos = offset;
        boolean pendingHole = false;
        while (true) {
            int n = in.readNBytes(buf, 0, buf.length);
            if (n <= 0) {
                break;
            }
            if (pos >= oldEnd && isZero(buf, n)) {
                pendingHole = true;
            } else {
                writeFully(ByteBuffer.wrap(buf, 0, n), pos);
                pendingHole = false;
            }
            pos += n;
            if (n < buf.length) {
                break;
            }
        }
        if (pendingHole && channel.size() < pos) {
            writeFully(ByteBuffer.wrap(new byte[1]), pos - 1);
        }
        return pos - offset;
    }

    private static boolean isZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private void writeTable() throws IOException {
        writeFully(ByteBuffer.wrap(table), Layout.i64(header, Layout.H_DESC_OFFSET));
    }

    private void writeHeader() throws IOException {
        writeFully(ByteBuffer.wrap(header), 0);
    }

    private void writeFully(ByteBuffer b, long pos) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            p += channel.write(b, p);
        }
    }

    private static byte[] readFully(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len);
        long p = pos;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw new IOException("unexpected end of file at offset " + p);
            }
            p += n;
        }
        return b.array();
    }

    static UUID nilUuid() {
        return new UUID(0, 0);
    }
}
