package dev.jsing.runner.overlay;

import dev.jsing.common.fs.Trees;
import dev.jsing.common.proc.Processes;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.DataType;
import dev.jsing.sif.Descriptor;
import dev.jsing.sif.FsType;
import dev.jsing.sif.ImageFormat;
import dev.jsing.sif.ObjectInput;
import dev.jsing.sif.PartType;
import dev.jsing.sif.SifException;
import dev.jsing.sif.SifImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code jsing overlay create}: an ext3 file system holding the overlay layout ({@code upper/} and {@code work/}, owned
 * by the caller, or by root inside a fakeroot user namespace), made by {@code mkfs.ext3 -d} from a staged directory as
 * Apptainer does, without privilege; as a standalone image file, or added to a SIF as an overlay partition in the
 * primary partition's group (Apptainer's embedded overlay). Nothing appears at the destination unless it is complete:
 * the image is written beside it and renamed.
 */
public final class OverlayImages {
    /** What to create. */
    public record Request(Path file, int sizeMib, boolean sparse, List<String> createDirs, boolean fakeroot) {}

    private static final Map<String, String> ENV = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C");

    private OverlayImages() {}

    /** Creates the overlay; a usage, image or tool problem is one line with its exit code. */
    public static void create(Request r, Path tmpDir) {
        if (r.sizeMib() < 64) {
            throw new JsingException(ExitCodes.USAGE, "--size " + r.sizeMib() + ": an overlay needs at least 64 MiB");
        }
        for (String d : r.createDirs()) {
            if (!d.startsWith("/") || Path.of(d).normalize().toString().contains("..")) {
                throw new JsingException(
                        ExitCodes.USAGE, "--create-dir '" + d + "': an absolute path inside the container");
            }
        }
        Path file = r.file().toAbsolutePath().normalize();
        boolean intoSif = Files.exists(file);
        if (intoSif) {
            checkSif(file);
        } else if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
            throw new JsingException(ExitCodes.CANT_CREATE, file.getParent() + ": no such directory");
        }
        Path work;
        try {
            work = Files.createTempDirectory(tmpDir, "jsing-overlay-");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.CANT_CREATE, "cannot create a temporary directory in " + tmpDir);
        }
        // Standalone: made beside the destination (same file system: linked into place, sparse stays sparse).
        Path image = intoSif
                ? work.resolve("overlay.img")
                : file.resolveSibling("." + file.getFileName() + ".jsing-overlay-"
                        + ProcessHandle.current().pid());
        try {
            layout(work.resolve("root"), r.createDirs());
            allocate(image, r.sizeMib(), r.sparse());
            List<String> mkfs = new ArrayList<>();
            if (r.fakeroot()) {
                mkfs.addAll(List.of("unshare", "--map-root-user", "--"));
            }
            mkfs.addAll(List.of("mkfs.ext3", "-q", "-F"));
            if (!r.sparse()) {
                mkfs.addAll(List.of("-E", "nodiscard")); // mke2fs would punch the written blocks out again
            }
            mkfs.addAll(List.of("-d", work.resolve("root").toString(), image.toString()));
            Processes.Outcome o = Processes.run(mkfs, ENV, null, false, null);
            if (o.exitCode() != 0) {
                throw new JsingException(
                        o.exitCode() == 127 ? ExitCodes.UNAVAILABLE : ExitCodes.IO_ERROR,
                        "mkfs.ext3 failed: " + o.lastLine() + (o.exitCode() == 127 ? " (install e2fsprogs)" : ""));
            }
            if (intoSif) {
                addToSif(file, image);
            } else {
                try {
                    Files.createLink(file, image);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    throw new JsingException(ExitCodes.CANT_CREATE, file + " already exists");
                }
            }
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, "cannot create the overlay " + file + ": " + e.getMessage());
        } finally {
            Trees.deleteQuietly(work);
            if (!intoSif) {
                try {
                    Files.deleteIfExists(image);
                } catch (IOException e) {
                    // best effort: a hidden partial file beside the destination
                }
            }
        }
    }

    /** The staged layout: {@code upper/} (with the {@code --create-dir}s under it) and {@code work/}, mode 0755. */
    private static void layout(Path root, List<String> createDirs) throws IOException {
        Files.createDirectories(root.resolve("upper"));
        Files.createDirectories(root.resolve("work"));
        for (String d : createDirs) {
            Files.createDirectories(root.resolve("upper").resolve(d.substring(1)));
        }
        try (var s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    /** The image file: all blocks written (as Apptainer's dd from /dev/zero), or sparse. */
    private static void allocate(Path image, int sizeMib, boolean sparse) throws IOException {
        long size = (long) sizeMib << 20;
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            if (sparse) {
                f.setLength(size);
                return;
            }
            byte[] zeros = new byte[1 << 20];
            for (long n = 0; n < size; n += zeros.length) {
                f.write(zeros);
            }
        }
    }

    /** A SIF may take an overlay when it has a primary partition, no overlay yet, and no signature (it would break). */
    private static void checkSif(Path file) {
        ImageFormat format;
        try {
            format = ImageFormat.sniff(file);
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, file + ": " + e.getMessage());
        }
        if (format != ImageFormat.SIF) {
            throw new JsingException(
                    ExitCodes.CANT_CREATE, file + " already exists and is not a SIF image (to add an overlay to)");
        }
        try (SifImage sif = SifImage.open(file)) {
            if (sif.primaryPartition().isEmpty()) {
                throw new JsingException(ExitCodes.BAD_IMAGE, file + ": no primary partition to add an overlay to");
            }
            for (Descriptor d : sif.descriptors()) {
                if (d.dataType() == DataType.SIGNATURE) {
                    throw new JsingException(
                            ExitCodes.CANT_CREATE,
                            file + " is signed: adding an overlay would break" + " its signatures");
                }
                if (d.partition()
                        .map(p -> p.partTypeCode() == PartType.OVERLAY.code())
                        .orElse(false)) {
                    throw new JsingException(ExitCodes.CANT_CREATE, file + " already has an overlay partition");
                }
            }
        } catch (SifException e) {
            throw new JsingException(ExitCodes.BAD_IMAGE, e.getMessage());
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, file + ": " + e.getMessage());
        }
    }

    private static void addToSif(Path file, Path image) throws IOException {
        try (SifImage sif = SifImage.openWritable(file)) {
            Descriptor primary = sif.primaryPartition().orElseThrow();
            sif.add(ObjectInput.of(DataType.PARTITION, image)
                    .withGroupId(primary.groupId())
                    .withPartition(
                            FsType.EXT3,
                            PartType.OVERLAY,
                            primary.partition().orElseThrow().arch()));
        }
    }
}
