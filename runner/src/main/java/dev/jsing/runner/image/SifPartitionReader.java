package dev.jsing.runner.image;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.Arch;
import dev.jsing.sif.DataType;
import dev.jsing.sif.Descriptor;
import dev.jsing.sif.FsType;
import dev.jsing.sif.ImageFormat;
import dev.jsing.sif.PartitionInfo;
import dev.jsing.sif.Selectors;
import dev.jsing.sif.SifException;
import dev.jsing.sif.SifImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds the root filesystem of a SIF file through the SIF library ({@code dev.jsing.sif}), which reads only the header
 * and the descriptor table and validates them (bounds, overlaps, counts): the primary system partition, its
 * architecture (refused when it is not this machine's) and the squashfs magic at its offset.
 */
final class SifPartitionReader {
    private SifPartitionReader() {}

    static ContainerImage read(Path path) throws IOException {
        try (SifImage sif = SifImage.open(path)) {
            Descriptor part =
                    sif.primaryPartition().orElseThrow(() -> bad(path, "SIF file has no primary system partition"));
            PartitionInfo info = part.partition().orElseThrow();
            Arch host = Arch.host();
            if (info.arch() != Arch.UNKNOWN && host != Arch.UNKNOWN && info.arch() != host) {
                throw new JsingException(
                        ExitCodes.BAD_IMAGE,
                        path
                                + ": image architecture is "
                                + info.arch().goName()
                                + ", this machine is "
                                + host.goName());
            }
            if (info.fsType() != FsType.SQUASHFS) {
                throw bad(path, "primary partition is not squashfs (filesystem type " + info.fsTypeCode() + ")");
            }
            if (!hasSquashfsMagic(path, part.offset())) {
                throw bad(path, "primary partition holds no squashfs filesystem");
            }
            long[] deffile = sif.descriptors(Selectors.withDataType(DataType.DEFFILE)).stream()
                    .findFirst()
                    .map(d -> new long[] {d.offset(), d.size()})
                    .orElse(null);
            return new ContainerImage(path, ImageKind.SIF, part.offset(), part.size(), deffile);
        } catch (SifException e) {
            throw new JsingException(ExitCodes.BAD_IMAGE, e.getMessage());
        }
    }

    private static boolean hasSquashfsMagic(Path path, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer magic = ByteBuffer.allocate(4);
            ch.read(magic, offset);
            return ImageFormat.of(java.util.Arrays.copyOf(magic.array(), magic.position())) == ImageFormat.SQUASHFS;
        }
    }

    private static JsingException bad(Path path, String msg) {
        return new JsingException(ExitCodes.BAD_IMAGE, path + ": " + msg);
    }
}
