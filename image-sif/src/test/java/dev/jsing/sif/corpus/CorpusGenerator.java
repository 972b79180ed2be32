package dev.jsing.sif.corpus;

import dev.jsing.sif.Arch;
import dev.jsing.sif.CreateOptions;
import dev.jsing.sif.CryptoFormat;
import dev.jsing.sif.CryptoMessageType;
import dev.jsing.sif.DataType;
import dev.jsing.sif.DeleteOptions;
import dev.jsing.sif.FsType;
import dev.jsing.sif.HashType;
import dev.jsing.sif.ObjectInput;
import dev.jsing.sif.PartType;
import dev.jsing.sif.SbomFormat;
import dev.jsing.sif.SifImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the SIF corpus of this module: small deterministic images (nil UUID, Go's zero time on the image and on
 * every edit) built with the library's own create/add/delete/set-primary, as sylabs/sif's {@code test/gen_sifs.go}
 * writes its {@code test/images}. {@link CorpusTest} regenerates them and compares them byte for byte with the
 * committed files under {@code src/test/resources/corpus}, so any change in what the writer emits shows up as a test
 * failure (and, once accepted with {@code -Djsing.corpus.update=true}, as a binary diff to review).
 *
 * <p>Run {@code main} with a directory to write the corpus there (default: the committed location, relative to the
 * module directory).
 *
 * <p>The images use 8 descriptor slots (except {@code empty.sif}, which has siftool's default 48 and equals the
 * reference's own {@code empty.sif}) so that each file stays a few KiB; partition payloads are 512-byte stand-ins,
 * not real filesystems.
 */
public final class CorpusGenerator {
    /** Where the committed corpus lies, relative to the module directory (Maven's working directory for tests). */
    public static final Path COMMITTED = Path.of("src/test/resources/corpus");

    static final byte[] FINGERPRINT = HexFormat.of().parseHex("433FE984155206BD962725E20E8713472A879943");

    @FunctionalInterface
    interface Recipe {
        void write(Path file) throws IOException;
    }

    private static final Map<String, Recipe> IMAGES = new LinkedHashMap<>();

    static {
        IMAGES.put("empty.sif", CorpusGenerator::empty);
        IMAGES.put("one-partition.sif", CorpusGenerator::onePartition);
        IMAGES.put("primary-partition.sif", CorpusGenerator::primaryPartition);
        IMAGES.put("groups-links.sif", CorpusGenerator::groupsLinks);
        IMAGES.put("metadata-objects.sif", CorpusGenerator::metadataObjects);
        IMAGES.put("oci-objects.sif", CorpusGenerator::ociObjects);
        IMAGES.put("deleted.sif", CorpusGenerator::deleted);
        IMAGES.put("deleted-zero.sif", CorpusGenerator::deletedZero);
        IMAGES.put("deleted-compact.sif", CorpusGenerator::deletedCompact);
        IMAGES.put("deleted-compact-partition.sif", CorpusGenerator::deletedCompactPartition);
        IMAGES.put("set-primary.sif", CorpusGenerator::setPrimary);
    }

    private CorpusGenerator() {}

    /** The corpus file names, in generation order. */
    public static List<String> names() {
        return List.copyOf(IMAGES.keySet());
    }

    /** Writes every corpus image into {@code dir} (created if missing), replacing files of the same names. */
    public static void generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, Recipe> e : IMAGES.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Files.deleteIfExists(f);
            e.getValue().write(f);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : COMMITTED;
        generate(dir);
        for (String n : names()) {
            System.out.println(dir.resolve(n) + " " + Files.size(dir.resolve(n)));
        }
    }

    // --- options and payloads -------------------------------------------------------------------------------------

    /** Deterministic, no launch script, 8 descriptors: data starts at 4096 + 8 * 585 = 8776. */
    static CreateOptions small() {
        return CreateOptions.defaults().deterministic().withLaunchScript("").withDescriptorCapacity(8);
    }

    /** A 512-byte stand-in for a squashfs image: the "hsqs" magic, then {@code i * 7}. */
    static byte[] squashfs() {
        byte[] b = pattern(512, 7, 0);
        System.arraycopy("hsqs".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
        return b;
    }

    /** A 512-byte stand-in for an ext3 image: {@code i * 13 + 1}. */
    static byte[] ext3() {
        return pattern(512, 13, 1);
    }

    private static byte[] pattern(int n, int mul, int add) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * mul + add);
        }
        return b;
    }

    static ObjectInput of(DataType t, byte[] content) {
        return ObjectInput.of(t, new ByteArrayInputStream(content));
    }

    static ObjectInput of(DataType t, String content) {
        return of(t, content.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(String content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String DEFFILE = "Bootstrap: docker\nFrom: alpine:3.19\n";
    static final String OCI_BLOB = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";
    static final String OCI_INDEX = "{\"schemaVersion\":2,\"manifests\":[]}";

    // --- the images -----------------------------------------------------------------------------------------------

    /** No objects; siftool's default layout (48 descriptors). Equal to the reference's {@code empty.sif}. */
    private static void empty(Path f) throws IOException {
        SifImage.create(f, CreateOptions.defaults().deterministic().withLaunchScript(""))
                .close();
    }

    /** One system (not primary) squashfs partition for 386, in group 1: the header architecture stays unknown. */
    private static void onePartition(Path f) throws IOException {
        try (SifImage img = SifImage.create(f, small())) {
            img.add(of(DataType.PARTITION, squashfs()).withPartition(FsType.SQUASHFS, PartType.SYSTEM, Arch.I386));
        }
    }

    /** A named primary squashfs partition for amd64 behind Apptainer's launch script: the header records amd64. */
    private static void primaryPartition(Path f) throws IOException {
        try (SifImage img = SifImage.create(f, small().withLaunchScript(CreateOptions.RUN_SINGULARITY))) {
            img.add(of(DataType.PARTITION, squashfs())
                    .withPartition(FsType.SQUASHFS, PartType.PRIM_SYS, Arch.AMD64)
                    .withName("rootfs.squashfs"));
        }
    }

    /**
     * Three groups and links to objects and to groups: group 1 holds the primary partition and the definition file,
     * group 2 an ext3 system partition, group 3 an aligned named generic object and a crypto message linked to it; two
     * ungrouped signatures link to group 1 and to object 3.
     */
    private static void groupsLinks(Path f) throws IOException {
        try (SifImage img = SifImage.create(f, small())) {
            img.add(of(DataType.PARTITION, squashfs()).withPartition(FsType.SQUASHFS, PartType.PRIM_SYS, Arch.AMD64));
            img.add(of(DataType.DEFFILE, DEFFILE));
            img.add(of(DataType.PARTITION, ext3())
                    .withPartition(FsType.EXT3, PartType.SYSTEM, Arch.ARM64)
                    .withGroupId(2));
            img.add(of(DataType.SIGNATURE, "signature of group 1")
                    .withNoGroup()
                    .withLinkedGroupId(1)
                    .withSignature(HashType.SHA256, FINGERPRINT));
            img.add(of(DataType.SIGNATURE, "signature of object 3")
                    .withNoGroup()
                    .withLinkedId(3)
                    .withSignature(HashType.SHA512, FINGERPRINT));
            img.add(of(DataType.GENERIC, "notes\n")
                    .withGroupId(3)
                    .withAlignment(64)
                    .withName("notes.txt"));
            img.add(of(DataType.CRYPTO_MESSAGE, new byte[] {(byte) 0xfe, (byte) 0xfe, (byte) 0xf0, (byte) 0xf0})
                    .withGroupId(3)
                    .withLinkedId(6)
                    .withCryptoMessage(CryptoFormat.OPENPGP, CryptoMessageType.CLEAR_SIGNATURE));
        }
    }

    /** Every metadata type once, filling all 8 descriptor slots (no free descriptor left). */
    private static void metadataObjects(Path f) throws IOException {
        try (SifImage img = SifImage.create(f, small())) {
            img.add(of(DataType.DEFFILE, DEFFILE));
            img.add(of(DataType.ENV_VAR, "export LANG=C.UTF-8\n"));
            img.add(of(DataType.LABELS, "{\"org.label-schema.schema-version\":\"1.0\"}"));
            img.add(of(DataType.GENERIC, "generic bytes").withNoGroup());
            img.add(of(DataType.GENERIC_JSON, "{}").withName("data.json"));
            img.add(of(DataType.SBOM, "{\"bomFormat\":\"CycloneDX\"}").withSbom(SbomFormat.CYCLONEDX_JSON));
            img.add(of(DataType.SBOM, "{\"spdxVersion\":\"SPDX-2.3\"}")
                    .withSbom(SbomFormat.SPDX_JSON)
                    .withGroupId(2));
            img.add(of(DataType.GENERIC, "last").withGroupId(2).withAlignment(16));
        }
    }

    /**
     * OCI root index and blob objects with their digests (types newer than siftool 2.8.3's library, which lists them
     * as unknown data types).
     */
    private static void ociObjects(Path f) throws IOException {
        try (SifImage img = SifImage.create(f, small())) {
            img.add(of(DataType.OCI_ROOT_INDEX, OCI_INDEX).withOciDigest(sha256(OCI_INDEX)));
            img.add(of(DataType.OCI_BLOB, OCI_BLOB).withOciDigest(sha256(OCI_BLOB)));
        }
    }

    /** Three generic objects; the middle one deleted as {@code siftool del} does (descriptor freed, data kept). */
    private static void deleted(Path f) throws IOException {
        try (SifImage img = SifImage.create(f, small())) {
            img.add(of(DataType.GENERIC, "first"));
            img.add(of(DataType.GENERIC, "second"));
            img.add(of(DataType.GENERIC, "third"));
            img.delete(2, DeleteOptions.defaults());
        }
    }

    /**
     * The primary partition deleted with zeroing (its bytes become zeros, the header architecture unknown), then a
     * new object added: it takes the freed slot (ID 2) and goes after the last data.
     */
    private static void deletedZero(Path f) throws IOException {
        try (SifImage img = SifImage.create(f, small())) {
            img.add(of(DataType.GENERIC, "first"));
            img.add(of(DataType.PARTITION, squashfs()).withPartition(FsType.SQUASHFS, PartType.PRIM_SYS, Arch.AMD64));
            img.add(of(DataType.GENERIC, "third"));
            img.delete(2, DeleteOptions.defaults().withZero(true));
            img.add(of(DataType.LABELS, "{}"));
        }
    }

    /** The last (unaligned) object deleted with compaction: the file ends where it began, the data size shrinks. */
    private static void deletedCompact(Path f) throws IOException {
        try (SifImage img = SifImage.create(f, small())) {
            img.add(of(DataType.GENERIC, "first"));
            img.add(of(DataType.PARTITION, squashfs()).withPartition(FsType.SQUASHFS, PartType.PRIM_SYS, Arch.AMD64));
            img.add(of(DataType.GENERIC, "third, deleted"));
            img.delete(3, DeleteOptions.defaults().withCompact(true));
        }
    }

    /**
     * The last object, a 4096-aligned primary partition, deleted with zeroing and compaction: the file is cut at the
     * start of its alignment padding, back to the end of the first object.
     */
    private static void deletedCompactPartition(Path f) throws IOException {
        try (SifImage img = SifImage.create(f, small())) {
            img.add(of(DataType.GENERIC, "first"));
            img.add(of(DataType.PARTITION, squashfs()).withPartition(FsType.SQUASHFS, PartType.PRIM_SYS, Arch.AMD64));
            img.delete(2, DeleteOptions.defaults().withZero(true).withCompact(true));
        }
    }

    /** An ext3 system partition for arm64 promoted over the amd64 primary squashfs partition. */
    private static void setPrimary(Path f) throws IOException {
        try (SifImage img = SifImage.create(f, small())) {
            img.add(of(DataType.PARTITION, squashfs()).withPartition(FsType.SQUASHFS, PartType.PRIM_SYS, Arch.AMD64));
            img.add(of(DataType.PARTITION, ext3())
                    .withPartition(FsType.EXT3, PartType.SYSTEM, Arch.ARM64)
                    .withGroupId(2));
            img.setPrimaryPartition(2);
        }
    }
}
