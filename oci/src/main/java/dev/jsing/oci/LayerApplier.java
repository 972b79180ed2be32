package dev.jsing.oci;

import dev.jsing.common.fs.RootedPath;
import dev.jsing.common.fs.RootedPathException;
import dev.jsing.common.fs.Trees;
import dev.jsing.common.proc.Processes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Applies OCI / Docker image layers (tar, optionally gzip, bzip2 or zstd compressed) to a root directory, in order.
 *
 * <p>Safety: nothing is ever written outside the root. Entry names that are absolute or contain {@code ..} are
 * rejected. Every parent component is resolved inside the root without following symlinks out of it: a symlink to an
 * absolute path is resolved relative to the root (as inside the container), and one whose relative target climbs
 * above the root is rejected. Existing symlinks at an entry's own path are replaced, never written through. Hard
 * links must point at a non-directory inside the root.
 *
 * <p>Whiteouts ({@code .wh.name}) delete {@code name} from lower layers; an opaque marker ({@code .wh..wh..opq})
 * empties its directory of lower-layer content. Modes (including setuid/setgid/sticky), symlinks, hard links, mtimes
 * and {@code user.*} xattrs are kept; ownership is kept when the process may chown (root, or uid 0 in a user
 * namespace), otherwise files belong to the caller. Device nodes are skipped (counted in {@link Stats}).
 */
public final class LayerApplier {
    private static final String WH_PREFIX = ".wh.";
    private static final String WH_OPAQUE = ".wh..wh..opq";

    /** Counters for what could not be kept exactly, for one summary line. */
    public static final class Stats {
        public long entries;
        public long skippedDevices;
        public long skippedXattrs;
        public long ownershipNotKept;
        public long whiteouts;
    }

    private final Path root;
    private final boolean keepOwnership;
    private final Stats stats = new Stats();
    private boolean chownWorks = true;

    /**
     * @param root the root directory (created if missing)
     * @param keepOwnership try to chown entries to their tar uid/gid (true when running as uid 0, real or namespaced)
     */
    public LayerApplier(Path root, boolean keepOwnership) throws IOException {
        Files.createDirectories(root);
        this.root = root.toRealPath();
        this.keepOwnership = keepOwnership;
    }

    public Stats stats() {
        return stats;
    }

    /** Opens a layer blob, detecting gzip, bzip2, zstd or plain tar from its first bytes. */
    public static InputStream decompress(InputStream raw, String what) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 65536);
        in.mark(8);
        byte[] m = new byte[4];
        int n = in.readNBytes(m, 0, 4);
        in.reset();
        if (n >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            return GzipCompressorInputStream.builder()
                    .setInputStream(in)
                    .setDecompressConcatenated(true)
                    .get();
        }
        if (n >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
            return new BZip2CompressorInputStream(in, true);
        }
        if (n == 4
                && (m[0] & 0xff) == 0x28
                && (m[1] & 0xff) == 0xb5
                && (m[2] & 0xff) == 0x2f
                && (m[3] & 0xff) == 0xfd) {
            if (!zstdAvailable()) {
                throw new OciException(
                        OciException.Kind.UNSUPPORTED,
                        what
                                + ": zstd-compressed layers are unsupported in this build (zstd-jni is not on the class path)");
            }
            return new org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream(in);
        }
        return in;
    }

    private static boolean zstdAvailable() {
        try {
            return org.apache.commons.compress.compressors.zstandard.ZstdUtils.isZstdCompressionAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Applies one layer read from {@code blob} (any supported compression); {@code what} names it in errors. */
    public void apply(InputStream blob, String what) throws IOException {
        Map<Path, TarArchiveEntry> dirs = new LinkedHashMap<>();
        Set<Path> thisLayer = new HashSet<>();
        InputStream shielded = new java.io.FilterInputStream(blob) {
            @Override
            public void close() {
                // the caller owns the blob stream (it may verify a digest when it closes it)
            }
        };
        InputStream plain;
        try {
            plain = decompress(shielded, what);
        } catch (OciException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw corrupt(what, e);
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(plain)) {
            TarArchiveEntry e;
            while ((e = next(tar, what)) != null) {
                stats.entries++;
                applyEntry(tar, e, what, dirs, thisLayer);
            }
        }
        // Directory modes and times last, deepest first, so read-only directories could still be filled.
        List<Map.Entry<Path, TarArchiveEntry>> list = new ArrayList<>(dirs.entrySet());
        for (int k = list.size() - 1; k >= 0; k--) {
            Path p = list.get(k).getKey();
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                setMetadata(p, list.get(k).getValue(), true);
            }
        }
    }

    /** The next entry; a malformed or truncated archive (or compressed stream) is {@link OciException.Kind#BAD_IMAGE}. */
    private static TarArchiveEntry next(TarArchiveInputStream tar, String what) throws OciException {
        try {
            return tar.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw corrupt(what, e);
        }
    }

    /** Copies the entry's content into {@code out}: read errors are a corrupt layer, write errors stay I/O errors. */
    private static void copy(TarArchiveInputStream tar, OutputStream out, String what) throws IOException {
        byte[] buf = new byte[65536];
        while (true) {
            int n;
            try {
                n = tar.read(buf);
            } catch (IOException | RuntimeException e) {
                throw corrupt(what, e);
            }
            if (n < 0) {
                return;
            }
            out.write(buf, 0, n);
        }
    }

    private static OciException corrupt(String what, Exception e) {
        String m = String.valueOf(e.getMessage())
                .lines()
                .findFirst()
                .orElse(e.getClass().getSimpleName());
        return new OciException(OciException.Kind.BAD_IMAGE, what + ": corrupt layer: " + m, e);
    }

    /** Validates an entry name and splits it into components: no absolute names, no {@code ..}. */
    static List<String> components(String name, String what) throws OciException {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        if (n.startsWith("/")) {
            throw new OciException(OciException.Kind.UNSAFE_PATH, what + ": absolute path '" + name + "' in layer");
        }
        List<String> out = new ArrayList<>();
        for (String c : n.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw new OciException(
                        OciException.Kind.UNSAFE_PATH, what + ": path '" + name + "' leaves the root (..)");
            }
            if (c.indexOf('\0') >= 0) {
                throw new OciException(OciException.Kind.UNSAFE_PATH, what + ": NUL in path '" + name + "'");
            }
            out.add(c);
        }
        return out;
    }

    /**
     * Resolves {@code parts} (a directory path inside the root) to a real directory under the root, following
     * symlinks only inside it ({@link RootedPath}, refusing a climb above the root). Missing directories are created
     * when {@code create}.
     */
    Path resolveDir(List<String> parts, boolean create, String name, String what) throws IOException {
        try {
            return RootedPath.directoryPath(
                    root,
                    parts,
                    create ? RootedPath.Missing.CREATE : RootedPath.Missing.FAIL,
                    RootedPath.AboveRoot.REFUSE,
                    name,
                    what);
        } catch (RootedPathException e) {
            throw new OciException(kind(e.reason()), e.getMessage(), e);
        }
    }

    /** The OCI error kind of a path that does not resolve inside the root. */
    static OciException.Kind kind(RootedPathException.Reason r) {
        return switch (r) {
            case NOT_A_DIRECTORY, NO_SUCH_DIRECTORY -> OciException.Kind.BAD_IMAGE;
            case ABOVE_ROOT, TOO_MANY_SYMLINKS, NUL_IN_PATH -> OciException.Kind.UNSAFE_PATH;
        };
    }

    private void applyEntry(
            TarArchiveInputStream tar,
            TarArchiveEntry e,
            String what,
            Map<Path, TarArchiveEntry> dirs,
            Set<Path> thisLayer)
            throws IOException {
        List<String> parts = components(e.getName(), what);
        if (parts.isEmpty()) {
            if (e.isDirectory()) {
                dirs.put(root, e);
            }
            return;
        }
        String last = parts.get(parts.size() - 1);
        Path parent = resolveDir(parts.subList(0, parts.size() - 1), true, e.getName(), what);

        if (last.startsWith(WH_PREFIX)) {
            stats.whiteouts++;
            if (last.equals(WH_OPAQUE)) {
                try (var s = Files.list(parent)) {
                    for (Path child : (Iterable<Path>) s::iterator) {
                        if (!thisLayer.contains(child)) {
                            Trees.delete(child);
                        }
                    }
                }
            } else {
                String victim = last.substring(WH_PREFIX.length());
                if (victim.isEmpty() || victim.equals("..") || victim.equals(".")) {
                    throw new OciException(
                            OciException.Kind.UNSAFE_PATH, what + ": bad whiteout '" + e.getName() + "'");
                }
                Trees.delete(parent.resolve(victim));
            }
            return;
        }

        Path target = parent.resolve(last);
        thisLayer.add(target);
        BasicFileAttributes existing = null;
        try {
            existing = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException ignored) {
            // nothing there yet
        }

        if (e.isDirectory()) {
            if (existing != null && !existing.isDirectory()) {
                Trees.delete(target);
                existing = null;
            }
            if (existing == null) {
                Files.createDirectory(target);
            }
            ensureOwnerWritable(target);
            dirs.put(target, e);
            return;
        }
        if (existing != null) {
            Trees.delete(target);
        }
        if (e.isSymbolicLink()) {
            if (e.getLinkName().isEmpty() || e.getLinkName().indexOf('\0') >= 0) {
                throw new OciException(
                        OciException.Kind.BAD_IMAGE, what + ": symlink '" + e.getName() + "' has an invalid target");
            }
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            setMetadata(target, e, false);
        } else if (e.isLink()) {
            List<String> lp = components(e.getLinkName(), what);
            if (lp.isEmpty()) {
                throw new OciException(
                        OciException.Kind.UNSAFE_PATH, what + ": hard link '" + e.getName() + "' to the root");
            }
            Path ldir = resolveDir(lp.subList(0, lp.size() - 1), false, e.getLinkName(), what);
            Path src = ldir.resolve(lp.get(lp.size() - 1));
            BasicFileAttributes sa;
            try {
                sa = Files.readAttributes(src, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException missing) {
                throw new OciException(
                        OciException.Kind.BAD_IMAGE,
                        what + ": hard link '" + e.getName() + "' to missing '" + e.getLinkName() + "'");
            }
            if (sa.isDirectory()) {
                throw new OciException(
                        OciException.Kind.BAD_IMAGE, what + ": hard link '" + e.getName() + "' to a directory");
            }
            Files.createLink(target, src);
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
            stats.skippedDevices++;
        } else if (e.isFIFO()) {
            fifo(target, e);
        } else if (e.isFile()) {
            try (OutputStream out =
                    Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                copy(tar, out, what);
            }
            setMetadata(target, e, false);
        } else {
            stats.skippedDevices++;
        }
    }

    /**
     * Creates a FIFO with its mode and mtime without ever opening it: the JDK's nofollow mode and time setters open the
     * file, and opening a FIFO blocks until a writer comes (a layer with a FIFO hung the build forever). {@code mkfifo
     * -m} and {@code touch -h} work on the path; ownership goes through {@code lchown}, the mode again through
     * {@code chmod(2)} on the path, as chown clears setuid/setgid. FIFOs cannot carry {@code user.*} xattrs.
     */
    private void fifo(Path target, TarArchiveEntry e) throws IOException {
        int mode = e.getMode() & 07777;
        try {
            if (Processes.capture(List.of(
                                    "sh",
                                    "-c",
                                    "mkfifo -m \"$1\" -- \"$2\" && touch -h -d \"@$3\" -- \"$2\"",
                                    "sh",
                                    Integer.toOctalString(mode),
                                    target.toString(),
                                    String.valueOf(e.getModTime().getTime() / 1000)))
                            .exitCode()
                    != 0) {
                stats.skippedDevices++;
                return;
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (keepOwnership && chownWorks) {
            try {
                Files.setAttribute(target, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(target, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(target, "unix:mode", mode); // chmod(2) on the path: no open
            } catch (IOException | UnsupportedOperationException ex) {
                chownWorks = false;
                stats.ownershipNotKept++;
            }
        } else if (e.getLongUserId() != 0 || e.getLongGroupId() != 0) {
            stats.ownershipNotKept++;
        }
        if (e.getExtraPaxHeaders().keySet().stream().anyMatch(k -> k.startsWith("SCHILY.xattr."))) {
            stats.skippedXattrs++;
        }
    }

    private void ensureOwnerWritable(Path dir) throws IOException {
        int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0700) != 0700) {
            Files.setAttribute(dir, "unix:mode", (mode & 07777) | 0700, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private void setMetadata(Path p, TarArchiveEntry e, boolean isDir) throws IOException {
        boolean link = e.isSymbolicLink();
        if (keepOwnership && chownWorks) {
            try {
                Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | UnsupportedOperationException ex) {
                chownWorks = false;
                stats.ownershipNotKept++;
            }
        } else if (e.getLongUserId() != 0 || e.getLongGroupId() != 0) {
            stats.ownershipNotKept++;
        }
        if (!link) {
            // After chown: chown clears setuid/setgid bits.
            Files.setAttribute(p, "unix:mode", e.getMode() & 07777, LinkOption.NOFOLLOW_LINKS);
            for (Map.Entry<String, String> x : e.getExtraPaxHeaders().entrySet()) {
                if (x.getKey().startsWith("SCHILY.xattr.")) {
                    setXattr(p, x.getKey().substring("SCHILY.xattr.".length()), x.getValue());
                }
            }
        }
        FileTime t = FileTime.from(e.getModTime().toInstant());
        try {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(t, null, null);
        } catch (IOException ignored) {
            // symlink times are not settable everywhere
        }
    }

    private void setXattr(Path p, String name, String value) {
        if (!name.startsWith("user.")) {
            stats.skippedXattrs++;
            return;
        }
        try {
            UserDefinedFileAttributeView v =
                    Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            v.write(name.substring(5), ByteBuffer.wrap(value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        } catch (IOException | UnsupportedOperationException ex) {
            stats.skippedXattrs++;
        }
    }
}
