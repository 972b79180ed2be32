package dev.jsing.runner.instance;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The state files of one user's instances on this host ({@link InstanceDirs}): {@code NAME.json} (an {@link
 * InstanceRecord}), with the logs {@code NAME.out} and {@code NAME.err} beside it. A name is claimed by creating its
 * state file (exclusively); a record whose processes are gone (a crash, {@code kill -9}) is stale and is removed
 * whenever the store is read.
 */
final class InstanceStore {
    private final Path dir;
    private final int uid;

    InstanceStore(Path dir, int uid) {
        this.dir = dir;
        this.uid = uid;
    }

    Path dir() {
        return dir;
    }

    Path stateFile(String name) {
        return dir.resolve(name + ".json");
    }

    Path logOut(String name) {
        return dir.resolve(name + ".out");
    }

    Path logErr(String name) {
        return dir.resolve(name + ".err");
    }

    /**
     * Claims {@code name} with {@code starting} (a record with pid 0); a live instance of that name is an error, a
     * stale one is swept first.
     */
    void claim(InstanceRecord starting) {
        InstanceDirs.create(dir, uid);
        Path f = stateFile(starting.name());
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Files.writeString(
                        f,
                        starting.toJson(),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return;
            } catch (FileAlreadyExistsException e) {
                InstanceRecord r = read(f);
                if (r != null && r.alive()) {
                    throw new JsingException(
                            ExitCodes.INSTANCE,
                            "instance " + starting.name() + " already exists"
                                    + (r.starting() ? " (it is starting)" : " (PID " + r.pid() + ")"));
                }
                deleteIfUnchanged(f, r);
            } catch (IOException e) {
                throw new JsingException(ExitCodes.CANT_CREATE, "instance: cannot create " + f + ": " + e.getMessage());
            }
        }
        throw new JsingException(ExitCodes.INSTANCE, "instance " + starting.name() + ": cannot claim the name");
    }

    /** Replaces the record of {@code r.name()} (atomically). */
    void update(InstanceRecord r) {
        Path f = stateFile(r.name());
        Path tmp =
                dir.resolve("." + r.name() + ".json." + ProcessHandle.current().pid());
        try {
            Files.writeString(tmp, r.toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort on the error path
            }
            throw new JsingException(ExitCodes.IO_ERROR, "instance: cannot write " + f + ": " + e.getMessage());
        }
    }

    /** Removes the state file of {@code name} (its logs stay, as Apptainer's do, until the name is used again). */
    void remove(String name) {
        try {
            Files.deleteIfExists(stateFile(name));
        } catch (IOException e) {
            throw new JsingException(
                    ExitCodes.IO_ERROR, "instance: cannot remove " + stateFile(name) + ": " + e.getMessage());
        }
    }

    /** The live instances whose names {@code pattern} selects, by name; stale records are removed on the way. */
    List<InstanceRecord> list(String pattern) {
        List<InstanceRecord> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".")) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new JsingException(ExitCodes.IO_ERROR, "instance: cannot list " + dir + ": " + e.getMessage());
        }
        files.sort(null);
        for (Path f : files) {
            String name = f.getFileName().toString();
            name = name.substring(0, name.length() - ".json".length());
            if (!InstanceName.matches(pattern, name)) {
                continue;
            }
            InstanceRecord r = read(f);
            if (r == null || !r.alive()) {
                deleteIfUnchanged(f, r);
                continue;
            }
            if (!r.starting()) {
                out.add(r);
            }
        }
        return out;
    }

    /** The live instance {@code name}, or null. */
    InstanceRecord find(String name) {
        List<InstanceRecord> l = list(name);
        for (InstanceRecord r : l) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    private static InstanceRecord read(Path f) {
        try {
            return InstanceRecord.parse(Files.readString(f, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | IllegalArgumentException e) {
            return null; // unreadable or half-written: stale
        }
    }

    /** Removes a stale record, unless another jsing has replaced it meanwhile (a new instance of that name). */
    private static void deleteIfUnchanged(Path f, InstanceRecord seen) {
        InstanceRecord now = read(f);
        if (now != null && !now.equals(seen)) {
            return;
        }
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // another sweep removed it, or it cannot be: it stays stale and is seen as such again
        }
    }
}
