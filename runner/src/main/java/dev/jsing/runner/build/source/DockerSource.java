package dev.jsing.runner.build.source;

import dev.jsing.oci.ImageConfig;
import dev.jsing.oci.registry.ImageRef;
import dev.jsing.runner.build.context.BuildContext;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code Bootstrap: docker}: {@code From: [HOST/]REPO[:TAG|@DIGEST]}, with {@code Registry:} and {@code Namespace:}
 * as in Apptainer. Blobs come through the cache (verified, shared with {@code jsing pull}); the layers are applied by
 * {@link OciSource} from an OCI layout of the cached blobs, which a {@link LayoutFetcher} writes.
 */
public final class DockerSource implements RootfsSource {
    private final ImageRef ref;
    private final LayoutFetcher fetcher;

    public DockerSource(Map<String, String> header, LayoutFetcher fetcher) {
        this.ref = refFor(header);
        this.fetcher = fetcher;
    }

    /** The image a {@code Bootstrap: docker} header names. */
    static ImageRef refFor(Map<String, String> header) {
        String from = header.getOrDefault("from", "").trim();
        if (from.isEmpty()) {
            throw new JsingException(ExitCodes.BAD_DEFINITION, "Bootstrap: docker needs a From: header");
        }
        if (from.startsWith("docker://")) {
            from = from.substring("docker://".length());
        }
        String registry = header.getOrDefault("registry", "").trim();
        String namespace = header.getOrDefault("namespace", "").trim();
        int slash = from.indexOf('/');
        String first = slash > 0 ? from.substring(0, slash) : "";
        boolean hasHost = first.contains(".") || first.contains(":") || first.equals("localhost");
        String name = from;
        if (!hasHost) {
            if (!namespace.isEmpty() && slash < 0) {
                name = namespace.replaceAll("/+$", "") + "/" + name;
            }
            if (!registry.isEmpty()) {
                name = registry.replaceFirst("^[a-z]+://", "").replaceAll("/+$", "") + "/" + name;
            }
        }
        try {
            return ImageRef.parse("docker", name, "Bootstrap: docker From: " + from);
        } catch (IllegalArgumentException e) {
            throw new JsingException(ExitCodes.BAD_DEFINITION, e.getMessage());
        }
    }

    @Override
    public String describe() {
        return ref.toString();
    }

    @Override
    public ImageConfig prepare(Path rootfs, BuildContext ctx) throws IOException {
        Path layout = Files.createDirectories(ctx.tmp().resolve("docker-layout-" + System.nanoTime()));
        fetcher.fetch(ref, layout);
        return new OciSource(OciSource.Kind.OCI, layout.toString()).prepare(rootfs, ctx);
    }
}
