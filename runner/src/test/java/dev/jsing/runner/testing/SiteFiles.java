package dev.jsing.runner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The real site configuration files ({@code /etc/jsing/...}) for a test: jsing has no switch that points it at another
 * site directory (a user could widen the site's policy with it), so tests that need a site policy write the real files
 * (the ITs run as root and launch as the test user). A file that existed is moved aside and put back by {@link #restore}.
 */
public final class SiteFiles {
    private final List<Path[]> aside = new ArrayList<>();
    private final List<Path> written = new ArrayList<>();

    /** Writes {@code content} to {@code file} (readable by all), keeping any earlier file aside. */
    public Path write(Path file, String content) {
        try {
            keep(file);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            Commands.ok("chmod", "a+r", file.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves any existing {@code file} aside (once) and records it as the test's. */
    public Path keep(Path file) {
        try {
            if (!written.contains(file)) {
                written.add(file);
                if (Files.exists(file)) {
                    Path a = file.resolveSibling(file.getFileName() + ".jsing-it-aside");
                    Files.move(file, a, StandardCopyOption.REPLACE_EXISTING);
                    aside.add(new Path[] {a, file});
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes what the test wrote and puts the earlier files back. */
    public void restore() {
        try {
            for (Path p : written) {
                Files.deleteIfExists(p);
            }
            for (Path[] a : aside) {
                Files.move(a[0], a[1], StandardCopyOption.REPLACE_EXISTING);
            }
            written.clear();
            aside.clear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
