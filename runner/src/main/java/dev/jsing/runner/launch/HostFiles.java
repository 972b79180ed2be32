package dev.jsing.runner.launch;

import dev.jsing.runner.image.LayerImage;
import dev.jsing.runner.image.LayerImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link LaunchPlanner} reads from (and creates on) the host's filesystem, behind one seam so that tests can
 * plan against a described host instead of the machine they run on. {@link #REAL} is the filesystem itself.
 */
interface HostFiles extends dev.jsing.runner.device.DeviceHost {
    boolean exists(String path);

    boolean isDirectory(String path);

    boolean isRegularFile(String path);

    /** The path with symlinks resolved; throws when it cannot be resolved. */
    String realPath(String path) throws IOException;

    /** Whether both name the same file; false on any error. */
    boolean sameFile(String a, String b);

    /** Whether the process has file descriptor {@code fd} open. */
    boolean fdOpen(int fd);

    /** The lines of a text file; empty when it cannot be read. */
    List<String> readLines(String path);

    /** The uid owning {@code path} (following symlinks), or -1 when it cannot be read. */
    int owner(String path);

    /** {@code mkdir -p}. */
    void createDirectories(String path) throws IOException;

    /** What overlay file {@code path} holds ({@link LayerImages#probe}); a one-line error when none. */
    LayerImage layerImage(String path);

    /** The embedded overlay partition of SIF {@code path} ({@link LayerImages#sifOverlay}). */
    Optional<LayerImage> sifOverlay(String path);

    @Override
    default boolean isCharDevice(String path) {
        return REAL_DEVICES.isCharDevice(path);
    }

    @Override
    default boolean isExecutable(String path) {
        return REAL_DEVICES.isExecutable(path);
    }

    @Override
    default List<String> list(String dir) {
        return REAL_DEVICES.list(dir);
    }

    @Override
    default String read(String path) throws IOException {
        return REAL_DEVICES.read(path);
    }

    @Override
    default List<String> ldconfig() {
        return REAL_DEVICES.ldconfig();
    }

    @Override
    default boolean nativeElf(String path) {
        return REAL_DEVICES.nativeElf(path);
    }

    /** The host's device files (the defaults above: a described host overrides them all). */
    dev.jsing.runner.device.DeviceHost REAL_DEVICES = dev.jsing.runner.device.DeviceHost.REAL;

    /** The host's filesystem. */
    HostFiles REAL = new HostFiles() {
        @Override
        public boolean exists(String path) {
            return Files.exists(Path.of(path));
        }

        @Override
        public boolean isDirectory(String path) {
            return Files.isDirectory(Path.of(path));
        }

        @Override
        public boolean isRegularFile(String path) {
            return Files.isRegularFile(Path.of(path));
        }

        @Override
        public String realPath(String path) throws IOException {
            return Path.of(path).toRealPath().toString();
        }

        @Override
        public boolean sameFile(String a, String b) {
            try {
                return Files.isSameFile(Path.of(a), Path.of(b));
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public boolean fdOpen(int fd) {
            return Files.exists(Path.of("/proc/self/fd/" + fd), LinkOption.NOFOLLOW_LINKS);
        }

        @Override
        public List<String> readLines(String path) {
            try {
                return Files.readAllLines(Path.of(path), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return List.of();
            }
        }

        @Override
        public int owner(String path) {
            try {
                return (Integer) Files.getAttribute(Path.of(path), "unix:uid");
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        @Override
        public void createDirectories(String path) throws IOException {
            Files.createDirectories(Path.of(path));
        }

        @Override
        public LayerImage layerImage(String path) {
            return LayerImages.probe(path);
        }

        @Override
        public Optional<LayerImage> sifOverlay(String path) {
            return LayerImages.sifOverlay(path);
        }
    };
}
