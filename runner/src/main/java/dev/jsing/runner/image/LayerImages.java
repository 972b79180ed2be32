package dev.jsing.runner.image;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.Descriptor;
import dev.jsing.sif.FsType;
import dev.jsing.sif.ImageFormat;
import dev.jsing.sif.PartType;
import dev.jsing.sif.SifException;
import dev.jsing.sif.SifImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * What an {@code --overlay} file is: an ext3 image (the superblock magic), a squashfs, or a SIF (its ext3 overlay
 * partition in the primary partition's group, as Apptainer uses it, else its primary squashfs partition). Reads a few
 * bytes and the SIF descriptors, never the file systems.
 */
public final class LayerImages {
    private static final int EXT_MAGIC = 0xEF53;
    private static final long EXT_MAGIC_AT = 1024 + 56;

    private LayerImages() {}

    /** The layer in file {@code path}, or a one-line NOT_FOUND / BAD_IMAGE error. */
    public static LayerImage probe(String path) {
        Path p = Path.of(path);
        try {
            switch (ImageFormat.sniff(p)) {
                case SQUASHFS:
                    return new LayerImage(path, LayerImage.Format.SQUASHFS, 0, false);
                case SIF:
                    Optional<LayerImage> overlay = sifOverlay(path);
                    if (overlay.isPresent()) {
                        return overlay.get();
                    }
                    ContainerImage sif = SifPartitionReader.read(p);
                    return new LayerImage(path, LayerImage.Format.SQUASHFS, sif.offset(), false);
                default:
                    if (isExt(p, 0)) {
                        checkGroups(p, 0, path);
                        return new LayerImage(path, LayerImage.Format.EXT3, 0, false);
                    }
                    throw new JsingException(
                            ExitCodes.BAD_IMAGE,
                            "overlay " + path + " is not an overlay image (neither ext3, squashfs nor SIF; make one"
                                    + " with jsing overlay create)");
            }
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, "overlay " + path + " does not exist");
        } catch (AccessDeniedException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, "overlay " + path + " is not readable (permission denied)");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, "cannot read overlay " + path + ": " + e.getMessage());
        }
    }

    /**
     * The ext3 overlay partition of SIF {@code path} in its primary partition's group (Apptainer's embedded overlay),
     * if it has one.
     */
    public static Optional<LayerImage> sifOverlay(String path) {
        Path p = Path.of(path);
        try (SifImage sif = SifImage.open(p)) {
            int group = sif.primaryPartition().map(Descriptor::groupId).orElse(-1);
            for (Descriptor d : sif.descriptors()) {
                boolean overlay = d.partition()
                        .filter(i -> i.partTypeCode() == PartType.OVERLAY.code() && i.fsType() == FsType.EXT3)
                        .isPresent();
                if (overlay && (group < 0 || d.groupId() == group)) {
                    if (!isExt(p, d.offset())) {
                        throw new JsingException(
                                ExitCodes.BAD_IMAGE, path + ": its overlay partition holds no ext3 file system");
                    }
                    checkGroups(p, d.offset(), path + " (its overlay partition)");
                    return Optional.of(new LayerImage(path, LayerImage.Format.EXT3, d.offset(), true));
                }
            }
            return Optional.empty();
        } catch (SifException e) {
            throw new JsingException(ExitCodes.BAD_IMAGE, path + ": " + e.getMessage());
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, "cannot read " + path + ": " + e.getMessage());
        }
    }

    /**
     * The check e2fsprogs' {@code ext2fs_check_desc} makes first: each group's bitmaps and inode table lie in the
     * group (anywhere in the file system with flex_bg). fuse2fs opens a file system that fails it and writes to it
     * (mount count, state) before its first request fails; refusing it here leaves the image as it was.
     */
    private static void checkGroups(Path p, long offset, String name) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer sb = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(sb, offset + 1024);
            long blocks = sb.getInt(4) & 0xFFFFFFFFL;
            long first = sb.getInt(20) & 0xFFFFFFFFL;
            int log = sb.getInt(24);
            long perGroup = sb.getInt(32) & 0xFFFFFFFFL;
            long inodesPerGroup = sb.getInt(40) & 0xFFFFFFFFL;
            int inodeSize = sb.getShort(88) & 0xFFFF;
            int incompat = sb.getInt(96);
            boolean flex = (incompat & 0x200) != 0;
            int descSize = (incompat & 0x80) != 0 ? Math.max(32, sb.getShort(254) & 0xFFFF) : 32;
            if (log < 0 || log > 6 || perGroup == 0 || blocks <= first || inodeSize == 0) {
                throw damaged(name, "bad superblock");
            }
            long blockSize = 1024L << log;
            long groups = (blocks - first + perGroup - 1) / perGroup;
            long tableBlocks = (inodesPerGroup * inodeSize + blockSize - 1) / blockSize;
            ByteBuffer gdt = ByteBuffer.allocate((int) Math.min(groups * descSize, 1 << 24))
                    .order(ByteOrder.LITTLE_ENDIAN);
            ch.read(gdt, offset + (first + 1) * blockSize);
            for (long g = 0; g < groups && (g + 1) * descSize <= gdt.capacity(); g++) {
                int at = (int) (g * descSize);
                long lo = flex ? first : first + g * perGroup;
                long hi = flex ? blocks - 1 : Math.min(blocks - 1, lo + perGroup - 1);
                long bb = gdt.getInt(at) & 0xFFFFFFFFL;
                long ib = gdt.getInt(at + 4) & 0xFFFFFFFFL;
                long it = gdt.getInt(at + 8) & 0xFFFFFFFFL;
                if (bb < lo || bb > hi || ib < lo || ib > hi || it < lo || it + tableBlocks - 1 > hi) {
                    throw damaged(name, "corrupt group descriptor " + g);
                }
            }
        }
    }

    private static JsingException damaged(String name, String what) {
        return new JsingException(
                ExitCodes.BAD_IMAGE,
                "overlay image " + name + " is damaged (" + what + "); e2fsck -f can repair it, the image is left as it"
                        + " was");
    }

    private static boolean isExt(Path p, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(b, offset + EXT_MAGIC_AT);
            return b.position() == 2 && (b.getShort(0) & 0xFFFF) == EXT_MAGIC;
        }
    }
}
