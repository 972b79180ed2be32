package dev.jsing.runner.registry;

import dev.jsing.common.json.Json;
import dev.jsing.oci.registry.Descriptor;
import dev.jsing.oci.registry.ImageRef;
import dev.jsing.oci.registry.MediaTypes;
import dev.jsing.oci.registry.RegistryClient;
import dev.jsing.oci.registry.RegistryException;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.ImageFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jsing push IMAGE.sif oras://HOST/REPO:TAG}: the SIF as an OCI artifact, as Apptainer pushes it: an OCI
 * manifest whose config is the empty JSON object with media type {@code application/vnd.sylabs.sif.config.v1+json}
 * and whose single layer is the SIF file ({@code application/vnd.sylabs.sif.layer.v1.sif}, titled with the file name).
 */
public final class PushService {
    private static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.UTF_8);

    private final RegistrySettings settings;
    private final PrintWriter err;

    public PushService(RegistrySettings settings, PrintWriter err) {
        this.settings = settings;
        this.err = err;
    }

    /** Pushes {@code sif} to {@code uri}; returns the manifest digest. */
    public String push(Path sif, String uri) {
        ImageRef ref = PullService.parse(uri);
        if (!ref.scheme().equals("oras")) {
            throw new JsingException(ExitCodes.USAGE, uri + ": jsing pushes SIF files to oras:// references only");
        }
        if (ref.digest() != null) {
            throw new JsingException(ExitCodes.USAGE, uri + ": push to a tag, not a digest");
        }
        try {
            if (ImageFormat.sniff(sif) != ImageFormat.SIF) {
                throw new JsingException(ExitCodes.BAD_IMAGE, sif + ": not a SIF image");
            }
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, sif + ": no such file");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, sif + ": " + e.getMessage());
        }
        try {
            RegistryClient c = new PullService(settings, err, ImageConverter.NONE).client(ref, true);
            String repo = ref.repository();
            Descriptor cfg =
                    new Descriptor(MediaTypes.SIF_CONFIG, "sha256:" + RegistryClient.sha256(EMPTY_CONFIG), 2, Map.of());
            c.uploadBytes(repo, cfg, EMPTY_CONFIG, "config");
            Descriptor layer = new Descriptor(
                    MediaTypes.SIF_LAYER,
                    "sha256:" + RegistryClient.sha256(sif),
                    Files.size(sif),
                    Map.of("org.opencontainers.image.title", sif.getFileName().toString()));
            if (!c.blobExists(repo, layer.digest())) {
                c.uploadBlob(repo, layer, sif, "SIF " + sif.getFileName());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schemaVersion", 2L);
            m.put("mediaType", MediaTypes.OCI_MANIFEST);
            m.put("config", json(cfg));
            m.put("layers", List.of(json(layer)));
            String digest = c.putManifest(
                    repo, ref.tag(), MediaTypes.OCI_MANIFEST, Json.write(m).getBytes(StandardCharsets.UTF_8));
            if (!settings.quiet()) {
                err.println("jsing: pushed " + sif + " to " + uri + " (" + digest + ")");
                err.flush();
            }
            return digest;
        } catch (RegistryException e) {
            throw new JsingException(ExitCodes.REGISTRY, e.getMessage(), e);
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, sif + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> json(Descriptor d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mediaType", d.mediaType());
        m.put("digest", d.digest());
        m.put("size", d.size());
        if (!d.annotations().isEmpty()) {
            m.put("annotations", new LinkedHashMap<>(d.annotations()));
        }
        return m;
    }
}
