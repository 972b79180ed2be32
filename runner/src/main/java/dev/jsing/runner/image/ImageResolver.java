package dev.jsing.runner.image;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.ImageFormat;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Decides what an image argument is: a SIF file, a squashfs file or a sandbox directory. */
public final class ImageResolver {
    private ImageResolver() {}

    /**
     * Resolves {@code arg}, a local path, or throws NOT_FOUND / BAD_IMAGE with one line. Never reaches the network: a
     * registry URI is pulled by the caller first (an explicit step), and refused here.
     */
    public static ContainerImage resolve(String arg) {
        if (dev.jsing.oci.registry.ImageRef.isRegistryUri(arg)) {
            throw new JsingException(
                    ExitCodes.USAGE,
                    arg + ": a registry image; this command needs a local image (jsing pull " + arg + " first)");
        } else if (arg.contains("://")) {
            throw new JsingException(
                    ExitCodes.BAD_IMAGE, arg + ": image URIs are not supported; pass a file or directory");
        }
        Path p = Path.of(arg).toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            if (!Files.isExecutable(p)) {
                throw new JsingException(ExitCodes.NOT_FOUND, p + ": sandbox directory is not accessible");
            }
            return new ContainerImage(p, ImageKind.SANDBOX, 0, 0, null);
        }
        String special = ImageFormat.special(p);
        if (special != null) {
            throw new JsingException(
                    ExitCodes.BAD_IMAGE,
                    p + ": not a container image: " + special
                            + " (an image is a SIF or squashfs file or a sandbox directory)");
        }
        try {
            switch (ImageFormat.sniff(p)) {
                case SQUASHFS:
                    return new ContainerImage(p, ImageKind.SQUASHFS, 0, Files.size(p), null);
                case SIF:
                    return SifPartitionReader.read(p);
                default:
                    throw new JsingException(
                            ExitCodes.BAD_IMAGE, p + ": not a container image (neither SIF, squashfs nor a directory)");
            }
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, p + ": image not found");
        } catch (AccessDeniedException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, p + ": image not readable (permission denied)");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, p + ": cannot read image: " + e.getMessage());
        }
    }
}
