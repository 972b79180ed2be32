package dev.jsing.runner.build.source;

import dev.jsing.oci.ImageConfig;
import dev.jsing.oci.LayerApplier;
import dev.jsing.oci.OciException;
import dev.jsing.oci.OciImage;
import dev.jsing.runner.build.context.BuildContext;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code Bootstrap: oci} (an OCI layout directory), {@code oci-archive} (a tar of one) and {@code docker-archive}
 * ({@code docker save} output). {@code From: PATH[:REF]} picks a tagged manifest. Layers are applied in order by
 * {@link LayerApplier}, which never writes outside the root.
 */
public final class OciSource implements RootfsSource {
    /** The local transports. */
    public enum Kind {
        OCI,
        OCI_ARCHIVE,
        DOCKER_ARCHIVE
    }

    private final Kind kind;
    private final Path path;
    private final String ref;

    public OciSource(Kind kind, String from) {
        this.kind = kind;
        String f = from.trim();
        if (f.startsWith("//")) {
            f = f.substring(1);
        }
        // PATH[:REF], where PATH itself may contain ':' only if it exists as given
        int c = f.lastIndexOf(':');
        if (c > 0 && !Files.exists(Path.of(f)) && f.indexOf('/', c) < 0) {
            path = Path.of(f.substring(0, c));
            ref = f.substring(c + 1);
        } else {
            path = Path.of(f);
            ref = null;
        }
    }

    @Override
    public String describe() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " " + path
                + (ref != null ? ":" + ref : "");
    }

    @Override
    public ImageConfig prepare(Path rootfs, BuildContext ctx) throws IOException {
        try (OciImage img = switch (kind) {
            case OCI -> OciImage.openLayout(path, ref);
            case OCI_ARCHIVE -> OciImage.openOciArchive(path, ref);
            case DOCKER_ARCHIVE -> OciImage.openDockerArchive(path, ref);
        }) {
            LayerApplier applier = new LayerApplier(rootfs, ctx.privilege().root());
            img.unpack(applier);
            LayerApplier.Stats s = applier.stats();
            ctx.progress()
                    .info("applied " + img.layerCount() + " layer(s), " + s.entries + " entries, " + s.whiteouts
                            + " whiteouts"
                            + (s.skippedDevices > 0 ? ", " + s.skippedDevices + " device nodes skipped" : "")
                            + (s.skippedXattrs > 0 ? ", " + s.skippedXattrs + " xattrs not kept" : "")
                            + (s.ownershipNotKept > 0
                                    ? ", ownership of " + s.ownershipNotKept + " entries mapped to root"
                                    : ""));
            return img.config();
        } catch (NoSuchFileException e) {
            throw new JsingException(
                    ExitCodes.NOT_FOUND, describe() + ": " + e.getMessage() + ": no such file or directory");
        } catch (OciException e) {
            throw new JsingException(
                    e.kind() == OciException.Kind.UNSUPPORTED ? ExitCodes.UNAVAILABLE : ExitCodes.BAD_IMAGE,
                    e.getMessage());
        }
    }
}
