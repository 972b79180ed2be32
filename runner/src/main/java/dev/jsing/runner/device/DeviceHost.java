package dev.jsing.runner.device;

import dev.jsing.common.proc.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What device planning reads from the host: the ld.so cache, ELF headers, device nodes, directories and CDI spec
 * files. One seam, so that golden tests plan against a described host; {@link #REAL} is the machine itself.
 */
public interface DeviceHost {
    boolean exists(String path);

    boolean isDirectory(String path);

    /** Whether {@code path} is a character device (symlinks followed). */
    boolean isCharDevice(String path);

    /** Whether the file may be executed by the caller. */
    boolean isExecutable(String path);

    /** The entries of a directory, sorted by name; empty when it cannot be listed. */
    List<String> list(String dir);

    /** A text file's content; throws when it cannot be read. */
    String read(String path) throws IOException;

    /** The lines of {@code ldconfig -p} (the host's ld.so cache); empty when ldconfig is unavailable. */
    List<String> ldconfig();

    /**
     * Whether {@code path} is an ELF shared object of this host's class and machine (64-bit, as the JVM is): the check
     * Apptainer makes against its own binary, so a 32-bit library of the same name is never bound.
     */
    boolean nativeElf(String path);

    /** The most {@code ldconfig -p} may print (a cache of ~100k libraries); more is treated as no cache. */
    long LDCONFIG_MAX_OUTPUT = 64L << 20;

    /** The host itself. */
    DeviceHost REAL = new DeviceHost() {
        @Override
        public boolean exists(String path) {
            return Files.exists(Path.of(path));
        }

        @Override
        public boolean isDirectory(String path) {
            return Files.isDirectory(Path.of(path));
        }

        @Override
        public boolean isCharDevice(String path) {
            try {
                Object mode = Files.getAttribute(Path.of(path), "unix:mode");
                return mode instanceof Integer m && (m & 0170000) == 0020000;
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return false;
            }
        }

        @Override
        public boolean isExecutable(String path) {
            Path p = Path.of(path);
            return Files.isRegularFile(p) && Files.isExecutable(p);
        }

        @Override
        public List<String> list(String dir) {
            List<String> out = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(dir))) {
                for (Path p : ds) {
                    out.add(p.getFileName().toString());
                }
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
            Collections.sort(out);
            return out;
        }

        @Override
        public String read(String path) throws IOException {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8);
        }

        @Override
        public List<String> ldconfig() {
            for (String c : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "/sbin/ldconfig.real")) {
                if (!Files.isExecutable(Path.of(c))) {
                    continue;
                }
                try {
                    Processes.Captured r = Processes.capture(List.of(c, "-p"), LDCONFIG_MAX_OUTPUT);
                    return r.exitCode() == 0
                            ? List.of(new String(r.stdout(), StandardCharsets.UTF_8).split("\n"))
                            : List.of();
                } catch (IOException e) {
                    return List.of();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return List.of();
                }
            }
            return List.of();
        }

        @Override
        public boolean nativeElf(String path) {
            byte[] h = new byte[20];
            try (InputStream in = Files.newInputStream(Path.of(path))) {
                if (in.readNBytes(h, 0, h.length) != h.length) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
            return Elf.matchesHost(h, System.getProperty("os.arch"));
        }
    };
}
