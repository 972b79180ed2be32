package dev.jsing.runner.build.source;

import dev.jsing.oci.ImageConfig;
import dev.jsing.runner.build.context.BuildContext;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.DataType;
import dev.jsing.sif.Descriptor;
import dev.jsing.sif.ImageFormat;
import dev.jsing.sif.SifImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code Bootstrap: localimage} (and a SIF, squashfs or sandbox given as the build spec): a sandbox directory is
 * copied ({@code cp -a}); a SIF's primary partition or a squashfs file is extracted with {@code unsquashfs -o OFFSET}.
 */
public final class LocalImageSource implements RootfsSource {
    private final Path from;

    public LocalImageSource(Path from) {
        this.from = from;
    }

    @Override
    public String describe() {
        return "local image " + from;
    }

    @Override
    public ImageConfig prepare(Path rootfs, BuildContext ctx) throws IOException {
        if (!Files.exists(from)) {
            throw new JsingException(ExitCodes.NOT_FOUND, from + ": no such file or directory");
        }
        if (Files.isDirectory(from)) {
            ctx.runAsRoot("copying sandbox " + from, List.of("cp", "-a", "--", from + "/.", rootfs + "/"), null, false);
            return null;
        }
        long offset = squashfsOffset(from);
        ctx.runAsRoot(
                "unsquashfs " + from,
                List.of(
                        "unsquashfs",
                        "-f",
                        "-n",
                        "-o",
                        String.valueOf(offset),
                        "-d",
                        rootfs.toString(),
                        from.toString()),
                null,
                false);
        return null;
    }

    /** The squashfs offset in {@code file}: a SIF's primary system partition, or 0 for a plain squashfs. */
    static long squashfsOffset(Path file) throws IOException {
        ImageFormat format = ImageFormat.sniff(file);
        if (format == ImageFormat.SQUASHFS) {
            return 0;
        }
        if (format == ImageFormat.SIF) {
            try (SifImage sif = SifImage.open(file)) {
                Descriptor d = sif.primaryPartition()
                        .orElseThrow(
                                () -> new JsingException(ExitCodes.BAD_IMAGE, file + ": SIF has no primary partition"));
                if (d.dataType() != DataType.PARTITION) {
                    throw new JsingException(ExitCodes.BAD_IMAGE, file + ": bad primary partition");
                }
                return d.offset();
            }
        }
        throw new JsingException(ExitCodes.BAD_IMAGE, file + ": not a SIF, squashfs or sandbox directory");
    }
}
