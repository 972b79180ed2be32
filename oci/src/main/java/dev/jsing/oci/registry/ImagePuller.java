package dev.jsing.oci.registry;

import dev.jsing.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pulls an image's manifest, config and layers into a {@link BlobStore} and lays them out as an OCI image layout
 * that {@link dev.jsing.oci.OciImage#openLayout} reads. An index is resolved to the manifest for {@code linux/ARCH}.
 */
public final class ImagePuller {
    private final BlobStore store;
    private final RegistryClient client;

    public ImagePuller(BlobStore store, RegistryClient client) {
        this.store = store;
        this.client = client;
    }

    /** Fetches the manifest of {@code ref} (descending an index to {@code linux/arch}) and stores it. */
    public ImageManifest resolve(ImageRef ref, String arch) throws IOException {
        String what = ref.toString();
        ImageManifest m = ImageManifest.parse(client.manifest(ref.repository(), ref.reference()), what);
        if (m.isIndex()) {
            store.putBytes(m.bytes());
            ImageManifest.Entry e = m.select(arch, what);
            m = ImageManifest.parse(
                    client.manifest(ref.repository(), e.descriptor().digest()), what + " (" + e.platform() + ")");
            if (m.isIndex()) {
                throw new RegistryException(
                        RegistryException.Kind.PROTOCOL, what + ": nested image indexes are not supported");
            }
        }
        store.putBytes(m.bytes());
        return m;
    }

    /** Makes sure the config and every layer of {@code m} are in the store (verified); returns the layer paths. */
    public void fetchBlobs(ImageRef ref, ImageManifest m) throws IOException {
        int i = 0;
        List<Descriptor> all = new java.util.ArrayList<>();
        all.add(m.config());
        all.addAll(m.layers());
        for (Descriptor d : all) {
            String what = i == 0
                    ? "config " + short12(d)
                    : "layer " + i + "/" + m.layers().size() + " " + short12(d);
            fetch(ref, d, what);
            i++;
        }
    }

    /** Makes sure blob {@code d} of {@code ref}'s repository is in the store. */
    public Path fetch(ImageRef ref, Descriptor d, String what) throws IOException {
        return store.ensure(d, partial -> client.downloadBlob(ref.repository(), d, partial, what));
    }

    /**
     * Writes an OCI image layout for {@code m} into the empty directory {@code dir}: {@code oci-layout}, an
     * {@code index.json} naming the manifest, and {@code blobs} as a symbolic link to the store's blobs.
     */
    public static void writeLayout(Path dir, BlobStore store, ImageManifest m) throws IOException {
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}", StandardCharsets.UTF_8);
        Map<String, Object> idx = new LinkedHashMap<>();
        idx.put("schemaVersion", 2L);
        idx.put("mediaType", MediaTypes.OCI_INDEX);
        idx.put("manifests", List.of(m.descriptor().toJson()));
        Files.writeString(dir.resolve("index.json"), Json.write(idx), StandardCharsets.UTF_8);
        Files.createSymbolicLink(
                dir.resolve("blobs"), store.root().resolve("blobs").toAbsolutePath());
    }

    private static String short12(Descriptor d) {
        return d.hex().substring(0, 12);
    }
}
