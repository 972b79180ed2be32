package dev.jsing.runner.image;

import dev.jsing.common.fs.RootedPath;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link ImageMetadata} from an image without mounting it: directly for sandboxes; for squashfs images with
 * one {@code unsquashfs -o OFFSET -follow} extraction of the few paths needed, cached per image (path, size, mtime,
 * inode) under the cache directory so later launches spawn no process.
 */
public final class ImageProbe {
    private static final int CACHE_VERSION = 2;

    private ImageProbe() {}

    /** Metadata of {@code image}; {@code cacheDir} may be null (no caching). */
    public static ImageMetadata probe(ContainerImage image, String unsquashfs, Path cacheDir, Path tmpDir) {
        if (!image.isSquashfs()) {
            return fromRoot(image.path());
        }
        Path cacheFile;
        try {
            cacheFile = cacheDir == null ? null : cacheDir.resolve("meta").resolve(key(image) + ".bin");
        } catch (IOException e) {
            cacheFile = null;
        }
        if (cacheFile != null) {
            ImageMetadata m = readCache(cacheFile);
            if (m != null) {
                return m;
            }
        }
        ImageMetadata m = fromSquashfs(image, unsquashfs, tmpDir);
        if (cacheFile != null) {
            writeCache(cacheFile, m);
        }
        return m;
    }

    /**
     * Lists the squashfs ({@code unsquashfs -lls}), resolves the paths of interest through the listing's symlinks,
     * then extracts the two text files needed (passwd, group) at their resolved paths.
     */
    static ImageMetadata fromSquashfs(ContainerImage image, String unsquashfs, Path tmpDir) {
        String off = String.valueOf(image.offset());
        String img = image.path().toString();
        byte[] listing = Unsquashfs.run(List.of(unsquashfs, "-o", off, "-lls", "-n", img), image.path());
        Listing l = parseListing(new String(listing, StandardCharsets.UTF_8));
        RootedPath.Tree tree = listingTree(l.types(), l.links());
        String passwd = RootedPath.find(tree, "/etc/passwd");
        String group = RootedPath.find(tree, "/etc/group");
        List<String> wanted = new ArrayList<>();
        for (String p : new String[] {passwd, group}) {
            if (p != null && Character.valueOf('-').equals(l.types().get(p))) {
                wanted.add(p);
            }
        }
        String passwdText = null;
        String groupText = null;
        if (!wanted.isEmpty()) {
            Path tmp = null;
            try {
                tmp = TempDirs.create(tmpDir, "jsing-probe-");
                Path dest = tmp.resolve("root");
                List<String> argv = new ArrayList<>(
                        List.of(unsquashfs, "-o", off, "-d", dest.toString(), "-no-xattrs", "-n", "-q", img));
                argv.addAll(wanted);
                Unsquashfs.run(argv, image.path());
                passwdText = readHost(dest, passwd);
                groupText = readHost(dest, group);
            } catch (IOException e) {
                throw new JsingException(
                        ExitCodes.CANT_CREATE,
                        "cannot create a temporary directory in " + tmpDir + ": " + e.getMessage());
            } finally {
                if (tmp != null) {
                    dev.jsing.common.fs.Trees.deleteQuietly(tmp);
                }
            }
        }
        String runscript = null;
        if (isFile(tree, "/.singularity.d/runscript")) {
            runscript = "/.singularity.d/runscript";
        } else if (isFile(tree, "/singularity")) {
            runscript = "/singularity";
        }
        return new ImageMetadata(
                passwdText,
                groupText,
                isFile(tree, "/bin/sh"),
                isFile(tree, "/bin/bash"),
                runscript,
                isFile(tree, "/.singularity.d/test"));
    }

    /**
     * What an {@code unsquashfs -lls} listing says: the type character of each path ({@code d}, {@code -}, {@code l},
     * {@code c}, ...) and the target of each symlink, paths being absolute in the image.
     */
    record Listing(java.util.Map<String, Character> types, java.util.Map<String, String> links) {}

    /** Parses {@code unsquashfs -lls -n} output (the {@code squashfs-root} line itself is not an entry). */
    static Listing parseListing(String listing) {
        java.util.Map<String, Character> types = new java.util.HashMap<>();
        java.util.Map<String, String> links = new java.util.HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "^(\\S)\\S*\\s.*?\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} squashfs-root(/.*)$",
                        java.util.regex.Pattern.MULTILINE)
                .matcher(listing);
        while (m.find()) {
            char t = m.group(1).charAt(0);
            String path = m.group(2);
            if (t == 'l') {
                int arrow = path.indexOf(" -> ");
                if (arrow < 0) {
                    continue;
                }
                links.put(path.substring(0, arrow), path.substring(arrow + 4));
                path = path.substring(0, arrow);
            }
            types.put(path, t);
        }
        return new Listing(types, links);
    }

    /** A listing ({@code path -> type} as {@code ls -l} prints it, {@code links: path -> target}) as a tree. */
    private static RootedPath.Tree listingTree(Map<String, Character> types, Map<String, String> links) {
        return new RootedPath.Tree() {
            @Override
            public RootedPath.Type type(String path) {
                Character c = types.get(path);
                if (c == null) {
                    return null;
                }
                return switch (c) {
                    case 'd' -> RootedPath.Type.DIRECTORY;
                    case '-' -> RootedPath.Type.FILE;
                    case 'l' -> RootedPath.Type.SYMLINK;
                    default -> RootedPath.Type.OTHER;
                };
            }

            @Override
            public String readlink(String path) throws IOException {
                String t = links.get(path);
                if (t == null) {
                    throw new IOException(path + ": no link target in the listing");
                }
                return t;
            }
        };
    }

    private static boolean isFile(RootedPath.Tree tree, String path) {
        String r = RootedPath.find(tree, path);
        try {
            return r != null && tree.type(r) == RootedPath.Type.FILE;
        } catch (IOException e) {
            return false;
        }
    }

    private static String readHost(Path root, String path) {
        if (path == null) {
            return null;
        }
        Path p = root.resolve(path.substring(1));
        try {
            return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Metadata of a root filesystem directory. */
    public static ImageMetadata fromRoot(Path root) {
        String runscript = null;
        if (isFile(root, "/.singularity.d/runscript")) {
            runscript = "/.singularity.d/runscript";
        } else if (isFile(root, "/singularity")) {
            runscript = "/singularity";
        }
        return new ImageMetadata(
                read(root, "/etc/passwd"),
                read(root, "/etc/group"),
                isFile(root, "/bin/sh"),
                isFile(root, "/bin/bash"),
                runscript,
                isFile(root, "/.singularity.d/test"));
    }

    private static boolean isFile(Path root, String path) {
        Path p = RootedPath.find(root, path);
        return p != null && Files.isRegularFile(p);
    }

    private static String read(Path root, String path) {
        Path p = RootedPath.find(root, path);
        if (p == null || !Files.isRegularFile(p)) {
            return null;
        }
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static String key(ContainerImage image) throws IOException {
        BasicFileAttributes a = Files.readAttributes(image.path(), BasicFileAttributes.class);
        String id = image.path() + "|" + a.size() + "|" + a.lastModifiedTime().toMillis() + "|" + a.fileKey() + "|"
                + image.offset() + "|" + CACHE_VERSION;
        return Integer.toHexString(id.hashCode()) + "-" + Long.toHexString(a.size()) + "-"
                + Long.toHexString(a.lastModifiedTime().toMillis());
    }

    private static ImageMetadata readCache(Path file) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            if (in.readInt() != CACHE_VERSION) {
                return null;
            }
            String passwd = opt(in);
            String group = opt(in);
            boolean sh = in.readBoolean();
            boolean bash = in.readBoolean();
            String run = opt(in);
            boolean test = in.readBoolean();
            return new ImageMetadata(passwd, group, sh, bash, run, test);
        } catch (IOException e) {
            return null;
        }
    }

    private static String opt(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void writeCache(Path file, ImageMetadata m) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(CACHE_VERSION);
                opt(out, m.passwd());
                opt(out, m.group());
                out.writeBoolean(m.hasSh());
                out.writeBoolean(m.hasBash());
                opt(out, m.runscript());
                out.writeBoolean(m.hasTest());
            }
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".meta-", ".tmp");
            Files.write(tmp, bytes.toByteArray());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            // the cache is an optimisation: an unwritable cache directory is not an error
        }
    }

    private static void opt(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }
}
