package dev.jsing.runner.launch;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.image.ContainerImage;
import dev.jsing.runner.image.ImageKind;
import dev.jsing.runner.image.LayerImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The overlay layers of a launch, as Apptainer stacks them: a SIF's embedded overlay partition first (read-only; see
 * {@link #embedded}), then each {@code --overlay PATH[:ro]} in command-line order, a later one above an earlier one;
 * the one writable layer (an ext3 image or a directory) goes on top. A directory or an ext3 image is writable unless
 * {@code :ro}; a squashfs (or a SIF without an overlay partition: its root file system) only with {@code :ro}.
 */
final class OverlayLayers {
    /** Where fuse2fs and fuse-overlayfs are looked for, in order. */
    static final List<String> FUSE2FS = List.of("/usr/bin/fuse2fs", "/usr/sbin/fuse2fs", "/sbin/fuse2fs");

    static final List<String> FUSE_OVERLAYFS = List.of("/usr/bin/fuse-overlayfs", "/usr/local/bin/fuse-overlayfs");

    /** A missing writable overlay is made as a directory, unless its name says it is an image. */
    private static final java.util.regex.Pattern IMAGE_NAME =
            java.util.regex.Pattern.compile("\\.(img|ext3|sif|simg|sqfs|squashfs)$");

    /**
     * The result: the root filesystem with its read-only layers and writable ext3 image, and the writable overlay
     * directory (or null).
     */
    record Planned(LaunchPlan.Rootfs rootfs, String writableDir) {}

    private OverlayLayers() {}

    /**
     * Plans the layers of {@code req} on {@code rootfs}. {@code squashfuse} serves squashfs layers when the root
     * filesystem is a sandbox (the configured candidates; the first present is used).
     */
    static Planned plan(
            LaunchRequest req,
            ContainerImage image,
            LaunchPlan.Rootfs rootfs,
            List<String> squashfuse,
            HostContext host,
            HostFiles files) {
        List<LaunchPlan.Layer> layers = new ArrayList<>();
        String writableDir = null;
        LaunchPlan.Layer writableImage = null;
        String writableName = null;
        Optional<LaunchPlan.Layer> embedded = embedded(image, files);
        if (embedded.isPresent() && req.writable()) { // allowed by LaunchPlanner.writableRoot (--writable on a SIF)
            requireOwner(
                    embedded.get().path(),
                    host,
                    files,
                    "--writable: SIF " + embedded.get().path());
            writableImage = new LaunchPlan.Layer(
                    LaunchPlan.Layer.Kind.EXT3,
                    embedded.get().path(),
                    embedded.get().offset(),
                    true);
            writableName = embedded.get().path();
        } else {
            embedded.ifPresent(layers::add);
        }
        for (String spec : req.overlays()) {
            boolean ro = spec.endsWith(":ro");
            String path = absolute(ro || spec.endsWith(":rw") ? spec.substring(0, spec.length() - 3) : spec, host);
            if (!files.exists(path) && (ro || IMAGE_NAME.matcher(path).find())) {
                throw new JsingException(
                        ExitCodes.NOT_FOUND,
                        "overlay " + path + " does not exist" + (ro ? "" : " (make one with jsing overlay create)"));
            }
            if (!ro && writableName != null) {
                throw new JsingException(
                        ExitCodes.USAGE,
                        "only one writable overlay: " + writableName + " and " + path + " (add :ro to all but one)");
            }
            if (files.isDirectory(path) || !files.exists(path)) { // a missing directory is created
                if (ro) {
                    layers.add(new LaunchPlan.Layer(LaunchPlan.Layer.Kind.DIR, path, 0, false));
                } else {
                    writableDir = overlayDir(files, path);
                    writableName = path;
                }
                continue;
            }
            LayerImage li = files.layerImage(path);
            if (li.format() == LayerImage.Format.SQUASHFS) {
                if (!ro) {
                    throw new JsingException(
                            ExitCodes.USAGE,
                            "overlay " + path + " is a read-only squashfs image: use it as a layer with --overlay "
                                    + path + ":ro");
                }
                layers.add(new LaunchPlan.Layer(LaunchPlan.Layer.Kind.SQUASHFS, path, li.offset(), false));
                continue;
            }
            if (!ro) {
                requireOwner(path, host, files, "overlay image " + path);
                writableImage = new LaunchPlan.Layer(LaunchPlan.Layer.Kind.EXT3, path, li.offset(), true);
                writableName = path;
            } else {
                layers.add(new LaunchPlan.Layer(LaunchPlan.Layer.Kind.EXT3, path, li.offset(), false));
            }
        }
        if (writableName != null && req.writableTmpfs()) {
            throw new JsingException(
                    ExitCodes.USAGE, "--writable-tmpfs excludes a writable overlay (" + writableName + ")");
        }
        if (writableImage != null) {
            layers.add(writableImage);
        }
        if (layers.isEmpty()) {
            return new Planned(rootfs, writableDir);
        }
        boolean ext3 = layers.stream().anyMatch(l -> l.kind() == LaunchPlan.Layer.Kind.EXT3);
        boolean sqfs = layers.stream().anyMatch(l -> l.kind() == LaunchPlan.Layer.Kind.SQUASHFS);
        String sqfuse = rootfs.squashfuse();
        if (sqfs && sqfuse == null) {
            sqfuse = program(files, squashfuse, "squashfuse", "squashfuse");
        }
        String fuse2fs = ext3 ? program(files, FUSE2FS, "fuse2fs", "fuse2fs") : null;
        String fuseOverlayfs = ext3 ? program(files, FUSE_OVERLAYFS, "fuse-overlayfs", "fuse-overlayfs") : null;
        return new Planned(rootfs.withLayers(layers, sqfuse, fuse2fs, fuseOverlayfs), writableDir);
    }

    /**
     * A SIF's embedded overlay (an ext3 overlay partition in the primary partition's group, as {@code jsing overlay
     * create IMAGE.sif} adds), used as Apptainer does: as the lowest overlay layer, read-only; with {@code --writable}
     * it is the writable layer instead. Empty for other images.
     */
    static Optional<LaunchPlan.Layer> embedded(ContainerImage image, HostFiles files) {
        if (image.kind() != ImageKind.SIF) {
            return Optional.empty();
        }
        return files.sifOverlay(image.path().toString())
                .map(li -> new LaunchPlan.Layer(LaunchPlan.Layer.Kind.EXT3, li.path(), li.offset(), false));
    }

    private static void requireOwner(String path, HostContext host, HostFiles files, String what) {
        int owner = files.owner(path);
        if (host.uid() != 0 && owner != host.uid()) {
            throw new JsingException(
                    ExitCodes.CANT_CREATE,
                    what + " belongs to " + (owner < 0 ? "an unknown user" : "uid " + owner) + ", not to you (uid "
                            + host.uid() + "): use it read-only"
                            + (what.startsWith("overlay") ? " with " + path + ":ro" : " (without --writable)"));
        }
    }

    private static String program(HostFiles files, List<String> candidates, String name, String pkg) {
        for (String c : candidates) {
            for (String dir : c.contains("/") ? List.of("") : List.of("/usr/local/bin/", "/usr/bin/", "/bin/")) {
                if (!c.isEmpty() && files.isRegularFile(dir + c)) {
                    return dir + c;
                }
            }
        }
        throw new JsingException(
                ExitCodes.UNAVAILABLE,
                name + " not found (tried " + String.join(", ", candidates) + "; install the " + pkg
                        + " package): overlay images need it");
    }

    private static String overlayDir(HostFiles files, String dir) {
        try {
            files.createDirectories(dir);
        } catch (IOException e) {
            throw new JsingException(
                    ExitCodes.CANT_CREATE, "cannot create overlay directory " + dir + ": " + e.getMessage());
        }
        return dir;
    }

    private static String absolute(String p, HostContext host) {
        return p.startsWith("/")
                ? p
                : Path.of(host.cwd()).resolve(p).normalize().toString();
    }
}
