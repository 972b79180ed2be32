package dev.jsing.runner.build;

import dev.jsing.common.proc.Processes;
import dev.jsing.runner.build.context.BuildContext;
import dev.jsing.runner.build.context.BuildFailure;
import dev.jsing.runner.build.context.BuildOptions;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.Arch;
import dev.jsing.sif.CreateOptions;
import dev.jsing.sif.DataType;
import dev.jsing.sif.FsType;
import dev.jsing.sif.ObjectInput;
import dev.jsing.sif.PartType;
import dev.jsing.sif.SifImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Packs a finished root: mksquashfs, then the SIF (deffile, JSON metadata, squashfs primary partition). */
public final class Packer {
    private Packer() {}

    /** Runs mksquashfs on {@code rootfs} (as namespaced root, so ownership inside the image is right). */
    public static void squash(Path rootfs, Path out, BuildContext ctx) {
        BuildOptions o = ctx.options();
        List<String> argv = new ArrayList<>(List.of(
                "mksquashfs",
                rootfs.toString(),
                out.toString(),
                "-noappend",
                "-comp",
                o.comp() == null || o.comp().isBlank() ? "gzip" : o.comp()));
        if (o.deterministic()) {
            argv.addAll(List.of("-all-time", String.valueOf(o.epoch()), "-mkfs-time", String.valueOf(o.epoch())));
        }
        if (o.mksquashfsArgs() != null && !o.mksquashfsArgs().isBlank()) {
            argv.addAll(List.of(o.mksquashfsArgs().trim().split("\\s+")));
        }
        if (o.quiet()) {
            argv.add("-quiet");
            argv.add("-no-progress");
        }
        Processes.Outcome r = Processes.run(
                ctx.privilege().asRoot(argv, false),
                ctx.hostEnv(),
                (File) null,
                !o.quiet(),
                ctx.progress().err());
        if (r.exitCode() != 0) {
            throw new BuildFailure("mksquashfs failed (exit " + r.exitCode() + "): " + r.lastLine());
        }
    }

    /**
     * Writes the SIF to {@code tmp} (Apptainer's object order, all in group 1): the definition (ID 1), the JSON objects
     * sorted by name, the squashfs as the primary system partition (4 KiB aligned).
     */
    public static void sif(Path tmp, String deffile, Map<String, String> jsonObjects, Path squashfs, BuildOptions o)
            throws IOException {
        CreateOptions co = CreateOptions.defaults();
        if (o.deterministic()) {
            co = co.deterministic();
        }
        try (SifImage sif = SifImage.create(tmp, co)) {
            if (deffile != null && !deffile.isEmpty()) {
                sif.add(ObjectInput.of(
                        DataType.DEFFILE, new ByteArrayInputStream(deffile.getBytes(StandardCharsets.UTF_8))));
            }
            for (Map.Entry<String, String> j : new TreeMap<>(jsonObjects).entrySet()) {
                sif.add(ObjectInput.of(
                                DataType.GENERIC_JSON,
                                new ByteArrayInputStream(j.getValue().getBytes(StandardCharsets.UTF_8)))
                        .withName(j.getKey()));
            }
            sif.add(ObjectInput.of(DataType.PARTITION, squashfs)
                    .withPartition(FsType.SQUASHFS, PartType.PRIM_SYS, Arch.host()));
        }
    }

    /** Whether {@code dest} may be written; a clear CANT_CREATE otherwise. */
    public static void checkDestination(Path dest, boolean force, boolean sandbox) {
        if (Files.exists(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!force) {
                throw new JsingException(ExitCodes.CANT_CREATE, dest + " already exists (use --force to overwrite)");
            }
            if (sandbox != Files.isDirectory(dest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new JsingException(
                        ExitCodes.CANT_CREATE,
                        dest + " exists and is " + (sandbox ? "not a directory" : "a directory") + "; remove it first");
            }
        }
        Path parent = dest.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new JsingException(ExitCodes.CANT_CREATE, dest + ": parent directory does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new JsingException(ExitCodes.CANT_CREATE, dest + ": parent directory is not writable");
        }
    }
}
