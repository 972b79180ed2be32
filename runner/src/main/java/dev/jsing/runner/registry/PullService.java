package dev.jsing.runner.registry;

import dev.jsing.oci.registry.BlobStore;
import dev.jsing.oci.registry.Credentials;
import dev.jsing.oci.registry.Descriptor;
import dev.jsing.oci.registry.ImageManifest;
import dev.jsing.oci.registry.ImagePuller;
import dev.jsing.oci.registry.ImageRef;
import dev.jsing.oci.registry.MediaTypes;
import dev.jsing.oci.registry.RegistryClient;
import dev.jsing.oci.registry.RegistryException;
import dev.jsing.runner.config.JsingDirs;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code jsing pull}, {@code jsing exec docker://…} and {@code Bootstrap: docker}: fetches images into the
 * content-addressed cache and converts them to SIF once. A {@code docker://} image becomes {@code sif/<hex>.sif},
 * keyed by the digest of the (platform) manifest, built by the {@link ImageConverter} (the builder, from a
 * {@code Bootstrap: docker} definition pinned to that digest); an {@code oras://} SIF artifact is its own cached blob. Concurrent pulls of one image wait for
 * each other on the entry's lock, so the image is downloaded and converted once.
 */
public final class PullService {
    private final RegistrySettings settings;
    private final PrintWriter err;
    private final BlobStore store;
    private final ImageConverter converter;

    public PullService(RegistrySettings settings, PrintWriter err, ImageConverter converter) {
        this(settings, err, converter, cacheDir());
    }

    /** A service whose cache is {@code cacheRoot} (a private, temporary one for {@code --disable-cache}). */
    public PullService(RegistrySettings settings, PrintWriter err, ImageConverter converter, Path cacheRoot) {
        this.settings = settings;
        this.err = err;
        this.converter = converter;
        try {
            this.store = new BlobStore(cacheRoot);
        } catch (IOException e) {
            throw new JsingException(
                    ExitCodes.CANT_CREATE, "cannot create the cache in " + cacheRoot + ": " + e.getMessage());
        }
    }

    /** {@code $JSING_CACHEDIR}, the configured cache directory, or {@code ~/.jsing/cache}. */
    public static Path cacheDir() {
        return JsingDirs.cacheDir();
    }

    /** Parses a {@code docker://}/{@code oras://} reference or fails with a usage error. */
    public static ImageRef parse(String uri) {
        try {
            return ImageRef.parse(uri);
        } catch (IllegalArgumentException e) {
            throw new JsingException(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** The cached SIF for {@code uri}, pulling and converting it first when it is not cached. */
    public Path cachedSif(String uri) {
        ImageRef ref = parse(uri);
        try {
            RegistryClient client = client(ref, false);
            ImagePuller puller = new ImagePuller(store, client);
            ImageManifest m = puller.resolve(ref, settings.archOrHost());
            if (ref.scheme().equals("oras")) {
                Descriptor sif = sifLayer(m, ref);
                return puller.fetch(ref, sif, "SIF " + sif.hex().substring(0, 12));
            }
            if (m.config().mediaType().startsWith("application/vnd.sylabs.sif.config")) {
                throw new JsingException(ExitCodes.BAD_IMAGE, ref + " is a SIF artifact; use oras://" + ref.name());
            }
            Path sif = store.root().resolve("sif").resolve(m.digest().substring(7) + ".sif");
            if (Files.isRegularFile(sif)) {
                BlobStore.touch(sif);
                return sif;
            }
            return store.withLock("sif-" + m.digest().substring(7), () -> {
                if (Files.isRegularFile(sif)) {
                    BlobStore.touch(sif);
                    return sif;
                }
                puller.fetchBlobs(ref, m);
                convert(ref.withDigest(m.digest()), sif);
                Files.writeString(
                        sif.resolveSibling(m.digest().substring(7) + ".ref"), ref + "\n", StandardCharsets.UTF_8);
                return sif;
            });
        } catch (RegistryException e) {
            throw new JsingException(ExitCodes.REGISTRY, e.getMessage(), e);
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, ref + ": " + e.getMessage(), e);
        }
    }

    /** {@code jsing pull}: the cached SIF copied to {@code out} (temporary file renamed into place). */
    public void pull(String uri, Path out, boolean force) {
        Path dest = out.toAbsolutePath().normalize();
        if (Files.exists(dest) && !force) {
            throw new JsingException(ExitCodes.CANT_CREATE, dest + " already exists (use --force to overwrite)");
        }
        if (dest.getParent() != null && !Files.isDirectory(dest.getParent())) {
            throw new JsingException(ExitCodes.CANT_CREATE, dest.getParent() + ": no such directory");
        }
        Path sif = cachedSif(uri);
        Path tmp = dest.resolveSibling("." + dest.getFileName() + ".jsing-pull-"
                + ProcessHandle.current().pid());
        try {
            copy(sif, tmp);
            if (force) {
                BlobStore.moveAtomic(tmp, dest);
            } else {
                Files.createLink(dest, tmp);
            }
            if (!settings.quiet()) {
                err.println("jsing: pulled " + uri + " to " + dest);
                err.flush();
            }
        } catch (FileAlreadyExistsException e) {
            throw new JsingException(ExitCodes.CANT_CREATE, dest + " already exists (use --force to overwrite)");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.CANT_CREATE, "cannot write " + dest + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** Copies in the kernel (copy_file_range/sendfile through {@link FileChannel#transferTo}). */
    private static void copy(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(
                        to,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            long pos = 0;
            while (pos < size) {
                pos += in.transferTo(pos, size - pos, out);
            }
        }
    }

    /**
     * For {@code Bootstrap: docker}: fetches {@code ref} into the cache and writes an OCI layout for it into the empty
     * directory {@code layoutDir}.
     */
    public void layout(ImageRef ref, Path layoutDir) throws IOException {
        try {
            ImagePuller puller = new ImagePuller(store, client(ref, false));
            ImageManifest m = puller.resolve(ref, settings.archOrHost());
            if (m.config().mediaType().startsWith("application/vnd.sylabs.sif.config")) {
                throw new JsingException(ExitCodes.BAD_IMAGE, ref + " is a SIF artifact, not a Docker/OCI image");
            }
            puller.fetchBlobs(ref, m);
            ImagePuller.writeLayout(layoutDir, store, m);
        } catch (RegistryException e) {
            throw new JsingException(ExitCodes.REGISTRY, e.getMessage(), e);
        }
    }

    /** The default file name for {@code jsing pull URI}: {@code NAME_TAG.sif}, as Apptainer names it. */
    public static String defaultName(String uri) {
        ImageRef ref = parse(uri);
        String repo = ref.repository();
        String name = repo.substring(repo.lastIndexOf('/') + 1);
        return name + "_" + (ref.tag() != null ? ref.tag() : ref.digest().substring(7, 19)) + ".sif";
    }

    RegistryClient client(ImageRef ref, boolean push) {
        Credentials creds;
        try {
            creds = Credentials.load(settings.authFile(), System.getenv(), Path.of(System.getProperty("user.home")));
        } catch (NoSuchFileException e) {
            throw new JsingException(ExitCodes.NOT_FOUND, e.getMessage() + ": auth file not found");
        } catch (IOException e) {
            throw new JsingException(ExitCodes.BAD_CONFIG, "bad auth file: " + e.getMessage());
        }
        return new RegistryClient(
                ref.apiHost(), settings.noHttps(), creds, push, new ProgressBar(err, settings.quiet()));
    }

    BlobStore store() {
        return store;
    }

    static Descriptor sifLayer(ImageManifest m, ImageRef ref) throws RegistryException {
        if (m.isIndex()) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, ref + ": an index, not a SIF artifact");
        }
        for (Descriptor d : m.layers()) {
            if (d.mediaType().equals(MediaTypes.SIF_LAYER)) {
                return d;
            }
        }
        throw new RegistryException(
                RegistryException.Kind.NOT_FOUND,
                ref + ": not a SIF artifact (no layer of type " + MediaTypes.SIF_LAYER + ")");
    }

    /** Builds the SIF for the pinned {@code ref} into {@code sif} (via a temporary file in the cache). */
    private void convert(ImageRef pinned, Path sif) throws IOException {
        Files.createDirectories(sif.getParent());
        Path tmp = store.root()
                .resolve("tmp")
                .resolve(sif.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            converter.convert(pinned, tmp, this);
            BlobStore.moveAtomic(tmp, sif);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
