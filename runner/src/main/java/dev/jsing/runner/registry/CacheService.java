package dev.jsing.runner.registry;

import dev.jsing.runner.config.MetaCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code jsing cache list} and {@code jsing cache clean}: the converted SIFs ({@code sif/<hex>.sif}, keyed by manifest
 * digest), the verified blobs ({@code blobs/sha256/<hex>}), unfinished downloads ({@code tmp/}) and the image metadata
 * that launches read ({@code meta/}, {@link MetaCache}; named by image path, {@code (stale)} when the image is gone or
 * changed). An entry's age is
 * the time it was last used (pulls and runs touch what they use). Entries being written by another process (their
 * lock is held) are left alone.
 */
public final class CacheService {
    /** One cache entry. */
    public record Entry(String type, String name, Path path, long size, Instant lastUsed, String lock) {}

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final Path root;

    public CacheService(Path root) {
        this.root = root;
    }

    /** Every entry, SIFs first. */
    public List<Entry> entries() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (Path p : list(root.resolve("sif"))) {
            String f = p.getFileName().toString();
            if (!f.endsWith(".sif")) {
                continue;
            }
            String hex = f.substring(0, f.length() - 4);
            Path refFile = p.resolveSibling(hex + ".ref");
            String name = Files.isRegularFile(refFile)
                    ? Files.readString(refFile, StandardCharsets.UTF_8).trim() + "@sha256:"
                            + hex.substring(0, Math.min(12, hex.length()))
                    : "sha256:" + hex;
            out.add(entry("sif", name, p, "sif-" + hex));
        }
        for (Path p : list(root.resolve("blobs/sha256"))) {
            String hex = p.getFileName().toString();
            out.add(entry("blob", "sha256:" + hex, p, hex));
        }
        for (Path p : list(root.resolve("tmp"))) {
            String f = p.getFileName().toString();
            out.add(entry("partial", f, p, f.endsWith(".partial") ? f.substring(0, f.length() - 8) : null));
        }
        for (MetaCache.Entry m : MetaCache.in(root).entries()) {
            String name =
                    (m.image() == null ? m.file().getFileName().toString() : m.image()) + (m.stale() ? " (stale)" : "");
            out.add(new Entry("meta", name, m.file(), m.size(), m.lastUsed(), null));
        }
        return out;
    }

    private static Entry entry(String type, String name, Path p, String lock) throws IOException {
        return new Entry(
                type, name, p, Files.size(p), Files.getLastModifiedTime(p).toInstant(), lock);
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /**
     * The cache types as Apptainer names them ({@code -T}): {@code oci} are images converted from registries (jsing's
     * {@code sif} entries), {@code blob} and {@code oras} the verified blobs (ORAS SIFs are blobs), {@code partial}
     * unfinished downloads, {@code meta} jsing's image metadata; {@code all} is every type. Apptainer's {@code library}, {@code shub} and {@code net} have no
     * entries in jsing's cache.
     */
    public static final java.util.Set<String> TYPES =
            java.util.Set.of("all", "oci", "sif", "blob", "oras", "partial", "meta", "library", "shub", "net");

    /** Whether an entry of {@code entryType} is one of the selected {@code types} (empty: all). */
    static boolean selected(String entryType, java.util.Collection<String> types) {
        if (types.isEmpty() || types.contains("all")) {
            return true;
        }
        return switch (entryType) {
            case "sif" -> types.contains("sif") || types.contains("oci");
            case "blob" -> types.contains("blob") || types.contains("oras");
            default -> types.contains(entryType);
        };
    }

    /** Fails on a type name that is not one of {@link #TYPES}. */
    public static void checkTypes(java.util.Collection<String> types) {
        for (String t : types) {
            if (!TYPES.contains(t)) {
                throw new dev.jsing.runner.error.UsageException(
                        "jsing cache", "unknown cache type '" + t + "' (known: all, oci, blob, oras, partial, meta)");
            }
        }
    }

    /**
     * As Apptainer's {@code cache list}: a summary of the selected types; with {@code verbose}, first a table of every
     * entry.
     */
    public void list(java.util.Collection<String> types, boolean verbose, PrintWriter out) throws IOException {
        long containers = 0;
        long containerBytes = 0;
        long blobs = 0;
        long blobBytes = 0;
        long metas = 0;
        long metaBytes = 0;
        long total = 0;
        if (verbose) {
            out.println(String.format(Locale.ROOT, "%-8s %10s  %-16s  %s", "TYPE", "SIZE", "LAST USED", "NAME"));
        }
        for (Entry e : entries()) {
            if (!selected(e.type(), types)) {
                continue;
            }
            if (verbose) {
                out.println(String.format(
                        Locale.ROOT,
                        "%-8s %10s  %-16s  %s",
                        e.type(),
                        human(e.size()),
                        WHEN.format(e.lastUsed()),
                        e.name()));
            }
            if (e.type().equals("blob")) {
                blobs++;
                blobBytes += e.size();
            } else if (e.type().equals("meta")) {
                metas++;
                metaBytes += e.size();
            } else {
                containers++;
                containerBytes += e.size();
            }
            total += e.size();
        }
        if (verbose) {
            out.println();
        }
        out.println("There are " + containers + " container file(s) using " + human(containerBytes) + " and " + blobs
                + " oci blob file(s) using " + human(blobBytes) + " of space");
        if (metas > 0) {
            out.println("There are " + metas + " image metadata file(s) using " + human(metaBytes));
        }
        out.println("Total space used: " + human(total) + " in " + root);
        out.flush();
    }

    /**
     * Removes entries not used for {@code days} days (all when null); with {@code dryRun} only says what it would remove.
     * Returns the number of entries removed (or that would be).
     */
    public int clean(Integer days, boolean dryRun, PrintWriter out) throws IOException {
        return clean(java.util.List.of(), days, dryRun, out);
    }

    /** {@link #clean(Integer, boolean, PrintWriter)} of the selected {@code types} only (empty: all). */
    public int clean(java.util.Collection<String> types, Integer days, boolean dryRun, PrintWriter out)
            throws IOException {
        Instant cutoff = days == null ? Instant.MAX : Instant.now().minusSeconds(days * 86400L);
        int n = 0;
        long bytes = 0;
        for (Entry e : entries()) {
            if (!selected(e.type(), types)) {
                continue;
            }
            if (days != null && !e.lastUsed().isBefore(cutoff)) {
                continue;
            }
            if (dryRun) {
                out.println("would remove " + e.type() + " " + e.name() + " (" + human(e.size()) + ")");
                n++;
                bytes += e.size();
                continue;
            }
            if (removeUnlessBusy(e)) {
                out.println("removed " + e.type() + " " + e.name() + " (" + human(e.size()) + ")");
                n++;
                bytes += e.size();
            } else {
                out.println("skipped " + e.type() + " " + e.name() + " (in use)");
            }
        }
        out.println((dryRun ? "Would remove " : "Removed ") + n + " entries (" + human(bytes) + ") from " + root);
        out.flush();
        return n;
    }

    private boolean removeUnlessBusy(Entry e) throws IOException {
        if (e.lock() == null) {
            Files.deleteIfExists(e.path());
            return true;
        }
        Path lockFile = root.resolve("locks").resolve(e.lock() + ".lock");
        if (!Files.exists(lockFile)) {
            delete(e);
            return true;
        }
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                FileLock l = ch.tryLock()) {
            if (l == null) {
                return false;
            }
            delete(e);
            return true;
        }
    }

    private static void delete(Entry e) throws IOException {
        Files.deleteIfExists(e.path());
        if (e.type().equals("sif")) {
            String f = e.path().getFileName().toString();
            Files.deleteIfExists(e.path().resolveSibling(f.substring(0, f.length() - 4) + ".ref"));
        }
    }

    static String human(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, u[i]);
    }
}
