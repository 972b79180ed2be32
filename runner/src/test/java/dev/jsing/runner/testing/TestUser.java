package dev.jsing.runner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unprivileged user launcher tests run as. CI runs as root, and a result obtained as root proves nothing about a
 * setuid-free launcher, so when the JVM runs as root, {@code JSING_TEST_USER} (created by {@code scripts/setup-host.sh
 * --test}) must name an ordinary user, and commands run as that user through {@code setpriv}. When the JVM already runs
 * as an ordinary user, commands run as that user.
 */
public final class TestUser {
    private static final boolean IS_ROOT = "root".equals(System.getProperty("user.name"));

    private final String name;
    private final String home;
    private final int uid;
    private final int gid;

    private TestUser(String name, String home, int uid, int gid) {
        this.name = name;
        this.home = home;
        this.uid = uid;
        this.gid = gid;
    }

    /** The test user; throws if tests run as root with no unprivileged user configured. */
    public static TestUser get() {
        String user = IS_ROOT ? System.getenv("JSING_TEST_USER") : System.getProperty("user.name");
        if (user == null || user.isEmpty() || user.equals("root")) {
            throw new IllegalStateException(
                    "launcher tests run as root need JSING_TEST_USER=<unprivileged user> (scripts/test.sh sets it)");
        }
        String uidS = Commands.ok("id", "-u", user).trim();
        String gidS = Commands.ok("id", "-g", user).trim();
        String passwd = Commands.ok("getent", "passwd", user).trim();
        String home = passwd.split(":")[5];
        return new TestUser(user, home, Integer.parseInt(uidS), Integer.parseInt(gidS));
    }

    public String name() {
        return name;
    }

    public String home() {
        return home;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    /**
     * A clean login-like environment for the user: HOME, USER, LOGNAME, PATH, LANG, plus {@code extra}. The JVM's own
     * environment is not passed on, so nothing of the test runner leaks into the container.
     */
    public Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home);
        env.put("USER", name);
        env.put("LOGNAME", name);
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
        env.put("LANG", "C.UTF-8");
        String java = System.getProperty("java.home");
        if (java != null) {
            env.put("JAVA_HOME", java);
        }
        String log = System.getenv("JSING_FAST_LOG"); // scripts/test.sh counts the launches that replayed
        if (log != null) {
            env.put("JSING_FAST_LOG", log);
        }
        env.putAll(extra);
        return env;
    }

    /** Runs {@code argv} as this user in {@code cwd} (null: a private world-readable scratch dir). */
    public Result run(List<String> argv, Map<String, String> extraEnv, Path cwd, Duration timeout) {
        Path dir = cwd != null ? cwd : scratchDir();
        if (primes(argv, extraEnv)) {
            // The fast path under test: the same launch planned and recorded first (no payload run), so that this one
            // replays it without a JVM when it can (runner/src/main/c/replay.c). JSING_IT_REPLAY=0: the full path.
            Map<String, String> prime = new LinkedHashMap<>(extraEnv);
            prime.put("JSING_NO_FAST", "1");
            prime.put("JSING_RECORD_ONLY", "1");
            List<String> p = new ArrayList<>();
            if (IS_ROOT) {
                p.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--"));
            }
            p.addAll(argv);
            Commands.run(p, environment(prime), dir, timeout);
        }
        List<String> full = new ArrayList<>();
        if (IS_ROOT) {
            full.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--"));
        }
        full.addAll(argv);
        return Commands.run(full, environment(extraEnv), dir, timeout);
    }

    /**
     * Whether a launch is primed for a replay: a container action of the test dist, not forced onto the full path,
     * not watched by the test itself ({@code JSING_FAST_TRACE}), not of a registry image (the priming would pull it), unless {@code JSING_IT_REPLAY=0}.
     */
    static boolean primes(List<String> argv, Map<String, String> extraEnv) {
        if ("0".equals(System.getenv("JSING_IT_REPLAY"))
                || argv.size() < 2
                || extraEnv.containsKey("JSING_NO_FAST")
                || extraEnv.containsKey("JSING_FAST_TRACE")) {
            return false;
        }
        if (!argv.get(0).equals(TestDist.jsing())
                || !List.of("exec", "run", "shell", "test").contains(argv.get(1))) {
            return false;
        }
        for (String a : argv) {
            if (a.contains("://")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs {@code argv} as this user, its process first moved (by root, as a login session or {@code systemd-run}
     * would place it) into the cgroups whose {@code cgroup.procs} files are {@code procs}. Not primed for a replay
     * (launches with resource limits are never replayed). Needs the JVM to run as root.
     */
    public Result runInCgroups(List<Path> procs, List<String> argv, Map<String, String> extraEnv, Duration timeout) {
        if (!IS_ROOT) {
            throw new IllegalStateException("moving a process into a delegated cgroup needs root");
        }
        List<String> full = new ArrayList<>(List.of(
                "/bin/sh",
                "-c",
                "n=$1; shift; while [ $n -gt 0 ]; do echo $$ > \"$1\" || exit 99; shift; n=$((n-1)); done; exec \"$@\"",
                "sh",
                String.valueOf(procs.size())));
        for (Path p : procs) {
            full.add(p.toString());
        }
        full.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--"));
        full.addAll(argv);
        return Commands.run(full, environment(extraEnv), scratchDir(), timeout);
    }

    /** Runs {@code argv} as this user with default environment, 2 minutes at most. */
    public Result run(String... argv) {
        return run(List.of(argv), Map.of(), null, Duration.ofMinutes(2));
    }

    /** Runs a shell script as this user. */
    public Result sh(String script) {
        return run(List.of("/bin/sh", "-c", script), Map.of(), null, Duration.ofMinutes(2));
    }

    /** A new directory under /tmp owned by this user (mode 0755), for images and working files. */
    public Path newDir(String prefix) {
        try {
            Path d = Files.createTempDirectory(Path.of("/tmp"), prefix);
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (IS_ROOT) {
                Commands.ok("chown", uid + ":" + gid, d.toString());
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path scratchDir() {
        return Path.of("/tmp");
    }

    /** Makes {@code path} (recursively) owned by this user, when running as root. */
    public void own(Path path) {
        if (IS_ROOT) {
            Commands.ok("chown", "-R", uid + ":" + gid, path.toString());
        }
    }
}
