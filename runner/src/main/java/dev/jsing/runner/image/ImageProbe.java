package dev.jsing.runner.image;

import dev.jsing.common.fs.RootedPath;
import dev.jsing.runner.config.MetaCache;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link ImageMetadata} from an image without mounting it: directly for sandboxes; for squashfs images with
 * one {@code unsquashfs -o OFFSET -follow} extraction of the few paths needed, cached per image (path, size, mtime,
 * inode) in the bounded {@link MetaCache} so later launches spawn no process.
 */
public final class ImageProbe {
    private static final int CACHE_VERSION = 3;

    private ImageProbe() {}

    /** Metadata of {@code image}; {@code cacheDir} may be null (no caching). */
    public static ImageMetadata probe(ContainerImage image, String unsquashfs, Path cacheDir, Path tmpDir) {
        if (!image.isSquashfs()) {
            return fromRoot(image.path());
        }
        MetaCache cache = cacheDir == null ? null : MetaCache.in(cacheDir);
        if (cache != null) {
            ImageMetadata m = decode(cache.read(image.path(), image.offset(), CACHE_VERSION));
            if (m != null) {
                return m;
            }
        }
        ImageMetadata m = fromSquashfs(image, unsquashfs, tmpDir);
        if (cache != null) {
            cache.write(image.path(), image.offset(), CACHE_VERSION, encode(m));
        }
        return m;
    }

    /**
     * The largest image passwd or group file a launch reads (8 MiB, some 100,000 entries); a larger one is ignored (the
     * container gets the generated entries only), so that no image can exhaust the launcher's heap.
     */
    static final long MAX_ACCOUNT_FILE = 8L << 20;

    /** The paths listed in the first query, each at depth 2: one {@code unsquashfs} covers them all. */
    private static final List<String> FIRST_QUERY = List.of(
            "/etc/passwd", "/etc/group", "/bin/sh", "/bin/bash", "/.singularity.d/runscript", "/.singularity.d/test");

    /**
     * Resolves the paths of interest through the image's symlinks with targeted listings ({@code unsquashfs -lls
     * -max-depth D} of named paths, never of the whole image: launch cost does not grow with the file count), then
     * extracts the two text files needed (passwd, group) at their resolved paths when they are not too large.
     */
    static ImageMetadata fromSquashfs(ContainerImage image, String unsquashfs, Path tmpDir) {
        String off = String.valueOf(image.offset());
        String img = image.path().toString();
        SquashfsTree tree = new SquashfsTree(unsquashfs, off, image.path());
        tree.query(FIRST_QUERY);
        String passwd = RootedPath.find(tree, "/etc/passwd");
        String group = RootedPath.find(tree, "/etc/group");
        List<String> wanted = new ArrayList<>();
        for (String p : new String[] {passwd, group}) {
            if (p != null && tree.isSmallFile(p)) {
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
                passwdText = wanted.contains(passwd) ? readHost(dest, passwd) : null;
                groupText = wanted.contains(group) ? readHost(dest, group) : null;
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
     * The image as far as the probe has listed it. A path asked for and not listed does not exist; a path never
     * asked for is listed on demand, alone ({@code -max-depth} of its own depth: a directory's children are not
     * listed), so a lookup costs a few small listings whatever the image holds.
     */
    static final class SquashfsTree implements RootedPath.Tree {
        private final String unsquashfs;
        private final String offset;
        private final Path image;
        private final Map<String, Character> types = new java.util.HashMap<>();
        private final Map<String, String> links = new java.util.HashMap<>();
        private final Map<String, Long> sizes = new java.util.HashMap<>();
        private final java.util.Set<String> asked = new java.util.HashSet<>();
        private boolean complete; // the whole image was listed

        SquashfsTree(String unsquashfs, String offset, Path image) {
            this.unsquashfs = unsquashfs;
            this.offset = offset;
            this.image = image;
            types.put("/", 'd');
        }

        /** Lists {@code paths} (absolute, all of the same depth) in one {@code unsquashfs} run. */
        void query(List<String> paths) {
            int depth = 0;
            List<String> argv = new ArrayList<>(List.of(unsquashfs, "-o", offset, "-lls", "-n", "-no-wildcards"));
            for (String p : paths) {
                depth = Math.max(depth, (int) p.chars().filter(c -> c == '/').count());
            }
            argv.addAll(List.of("-max-depth", String.valueOf(depth), image.toString()));
            for (String p : paths) {
                asked.add(p);
                argv.add(p.substring(1));
            }
            byte[] out;
            try {
                out = Unsquashfs.run(argv, image);
            } catch (JsingException e) {
                if (!types.keySet().equals(java.util.Set.of("/"))) {
                    throw e;
                }
                // unsquashfs before 4.5 (no -max-depth, -no-wildcards): the whole listing, as jsing did before
                out = Unsquashfs.run(List.of(unsquashfs, "-o", offset, "-lls", "-n", image.toString()), image);
                complete = true;
            }
            Listing l = parseListing(new String(out, StandardCharsets.UTF_8));
            types.putAll(l.types());
            links.putAll(l.links());
            sizes.putAll(l.sizes());
        }

        @Override
        public RootedPath.Type type(String path) {
            Character c = types.get(path);
            if (c == null && !complete && !asked.contains(path)) {
                query(List.of(path));
                c = types.get(path);
            }
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

        /** Whether {@code path} (listed) is a regular file of at most {@link #MAX_ACCOUNT_FILE} bytes. */
        boolean isSmallFile(String path) {
            Long size = sizes.get(path);
            return Character.valueOf('-').equals(types.get(path)) && size != null && size <= MAX_ACCOUNT_FILE;
        }
    }

    /**
     * What an {@code unsquashfs -lls} listing says: the type character of each path ({@code d}, {@code -}, {@code l},
     * {@code c}, ...), the target of each symlink and the size of each file, paths being absolute in the image.
     */
    record Listing(Map<String, Character> types, Map<String, String> links, Map<String, Long> sizes) {}

    /** Parses {@code unsquashfs -lls -n} output (the {@code squashfs-root} line itself is not an entry). */
    static Listing parseListing(String listing) {
        Map<String, Character> types = new java.util.HashMap<>();
        Map<String, String> links = new java.util.HashMap<>();
        Map<String, Long> sizes = new java.util.HashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "^(\\S)\\S*\\s(?:\\S+\\s+(\\d+)\\s)?.*?\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} squashfs-root(/.*)$",
                        java.util.regex.Pattern.MULTILINE)
                .matcher(listing);
        while (m.find()) {
            char t = m.group(1).charAt(0);
            String path = m.group(3);
            if (t == 'l') {
                int arrow = path.indexOf(" -> ");
                if (arrow < 0) {
                    continue;
                }
                links.put(path.substring(0, arrow), path.substring(arrow + 4));
                path = path.substring(0, arrow);
            }
            types.put(path, t);
            if (m.group(2) != null) {
                sizes.put(path, Long.parseLong(m.group(2)));
            }
        }
        return new Listing(types, links, sizes);
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
            if (Files.size(p) > MAX_ACCOUNT_FILE) {
                return null;
            }
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** The metadata from a cache payload; null for none or a corrupt one (a miss, never an error). */
    private static ImageMetadata decode(byte[] payload) {
        if (payload == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            String passwd = opt(in);
            String group = opt(in);
            boolean sh = in.readBoolean();
            boolean bash = in.readBoolean();
            String run = opt(in);
            boolean test = in.readBoolean();
            return new ImageMetadata(passwd, group, sh, bash, run, test);
        } catch (IOException | RuntimeException e) {
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

    private static byte[] encode(ImageMetadata m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            opt(out, m.passwd());
            opt(out, m.group());
            out.writeBoolean(m.hasSh());
            out.writeBoolean(m.hasBash());
            opt(out, m.runscript());
            out.writeBoolean(m.hasTest());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
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
