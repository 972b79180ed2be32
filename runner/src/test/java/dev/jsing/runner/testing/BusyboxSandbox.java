package dev.jsing.runner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sandbox image made of the host's static busybox ({@code busybox-static}, a test package) and links for the
 * applets a test needs: for network and limit tests whose applets ({@code ip}, {@code wget}, {@code httpd},
 * {@code nc}, {@code tail}) the shared busybox image does not link, without changing that cached image.
 */
public final class BusyboxSandbox {
    private BusyboxSandbox() {}

    /** {@code dir} (world-readable) with {@code /bin/busybox}, {@code /bin/APPLET} links, {@code /etc} and {@code /tmp}. */
    public static Path create(Path dir, String... applets) {
        Path busybox = Path.of("/bin/busybox");
        Prerequisites.require(Files.isExecutable(busybox), "/bin/busybox (busybox-static)");
        try {
            Files.createDirectories(dir.resolve("bin"));
            Files.createDirectories(dir.resolve("etc"));
            Files.createDirectories(dir.resolve("tmp"));
            Files.copy(busybox, dir.resolve("bin/busybox"));
            for (String a : applets) {
                Files.createSymbolicLink(dir.resolve("bin").resolve(a), Path.of("busybox"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Commands.ok("chmod", "-R", "a+rX", dir.toString());
        return dir;
    }
}
