package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.Siftool;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code jsing exec/run/shell/test/inspect} end to end: the installed tool, run as the unprivileged test user, on a
 * busybox image with an Apptainer {@code /.singularity.d} (squashfs, SIF made by siftool, and sandbox).
 */
class LaunchIT {
    static TestUser user;
    static Path work;
    static Path sqfs;
    static Path sif;
    static Path sandbox;
    static Path tmp;

    @BeforeAll
    static void images() throws Exception {
        user = TestUser.get();
        work = user.newDir("jsing-launch-it-");
        tmp = work.resolve("tmp");
        sandbox = work.resolve("sandbox");
        Commands.ok(
                "unsquashfs",
                "-q",
                "-n",
                "-d",
                sandbox.toString(),
                MinbaseImage.busybox().toString());
        Path sd = sandbox.resolve(".singularity.d");
        Files.createDirectories(sd.resolve("env"));
        Files.writeString(
                sd.resolve("env/90-environment.sh"),
                "export FROM_IMAGE=image\nexport WHO=image\nexport HOSTVAR=image\n");
        Files.writeString(sd.resolve("runscript"), "#!/bin/sh\nfor a in \"$@\"; do echo \"<$a>\"; done\n");
        Files.writeString(sd.resolve("test"), "#!/bin/sh\necho image-test-ran\nexit 3\n");
        Files.writeString(sd.resolve("labels.json"), "{\"org.example.name\": \"launch-it\"}\n");
        Files.writeString(sd.resolve("runscript.help"), "Usage: just run it\n");
        Files.writeString(sd.resolve("startscript"), "#!/bin/sh\necho started\n");
        Files.writeString(sd.resolve("Singularity"), "Bootstrap: scratch\n");
        Files.writeString(sd.resolve("env/10-docker2singularity.sh"), "export FROM_DOCKER=docker\n");
        Path app = Files.createDirectories(sandbox.resolve("scif/apps/hello/scif/env"));
        Files.writeString(app.resolve("../runscript"), "#!/bin/sh\necho hello-app\n");
        Files.writeString(app.resolve("../labels.json"), "{\"app.label\": \"yes\"}\n");
        Files.writeString(app.resolve("90-environment.sh"), "export APPVAR=1\n");
        Commands.ok(
                "chmod",
                "755",
                sd.resolve("runscript").toString(),
                sd.resolve("test").toString());
        sqfs = work.resolve("app.sqfs");
        Commands.ok("mksquashfs", sandbox.toString(), sqfs.toString(), "-quiet", "-noappend", "-all-root");
        sif = work.resolve("app.sif");
        Siftool.primarySif(sif, sqfs);
        Files.createDirectories(tmp);
        Files.createDirectories(work.resolve("data/sub"));
        Files.writeString(work.resolve("data/file"), "bound\n");
        user.own(work);
        Commands.ok("chmod", "-R", "a+rX", work.toString());
    }

    static Result jsing(Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("JSING_TMPDIR", tmp.toString());
        return user.run(TestDist.jsing(args), e, work, Duration.ofMinutes(2));
    }

    static Result jsing(String... args) {
        return jsing(Map.of(), args);
    }

    static String ok(String... args) {
        Result r = jsing(args);
        assertEquals(0, r.exitCode(), r.describe());
        return r.stdout();
    }

    /**
     * The test user's live squashfuse daemons serving this test's images (other tests may run containers as the same
     * user at the same time; zombies not yet reaped by init do not count).
     */
    private static String ourDaemons() {
        return Commands.run("ps", "-u", String.valueOf(user.uid()), "-o", "stat=,args=")
                .stdout()
                .lines()
                .filter(l -> !l.startsWith("Z") && l.contains("squashfuse") && l.contains(work.toString()))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    @AfterEach
    void nothingLeftBehind() throws Exception {
        for (int i = 0; i < 50 && !ourDaemons().isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertEquals("", ourDaemons(), "squashfuse left running");
        try (var s = Files.list(tmp)) {
            List<Path> left = new ArrayList<>(s.toList());
            for (int i = 0; i < 50 && !left.isEmpty(); i++) {
                Thread.sleep(100);
                try (var s2 = Files.list(tmp)) {
                    left = s2.toList();
                }
            }
            assertEquals(List.of(), left, "temporary files left in JSING_TMPDIR");
        }
    }

    @Test
    void identityInsideEqualsOutside() {
        for (Path img : List.of(sqfs, sif, sandbox)) {
            assertEquals(
                    user.uid() + " " + user.gid() + "\n",
                    ok("exec", img.toString(), "sh", "-c", "echo $(id -u) $(id -g)"));
        }
        String passwd = ok("exec", sif.toString(), "cat", "/etc/passwd");
        assertTrue(passwd.contains(user.name() + ":x:" + user.uid() + ":" + user.gid() + ":"), passwd);
        assertTrue(ok("exec", sif.toString(), "id", "-un").trim().equals(user.name()));
        assertTrue(ok("exec", sif.toString(), "cat", "/etc/group").contains(":" + user.gid() + ":"));
    }

    @Test
    void defaultMounts() throws Exception {
        String out = ok(
                "exec",
                sqfs.toString(),
                "sh",
                "-c",
                "echo home=$HOME; ls -d \"$HOME\" >/dev/null && echo home-ok; pwd; cat data/file; test -e /proc/self/status && echo proc;"
                        + " test -d /sys/class && echo sys; test -c /dev/null && echo dev; test -d /dev/shm && echo shm;"
                        + " cat /etc/hosts | head -1 | wc -l; test -d /var/tmp && echo vartmp");
        assertTrue(out.contains("home=" + user.home() + "\n"), out);
        assertTrue(out.contains("home-ok\n" + work + "\nbound\nproc\nsys\ndev\nshm\n1\nvartmp\n"), out);
        // /tmp is the host's: a file written inside is visible outside.
        ok("exec", sqfs.toString(), "touch", work.resolve("tmp-marker").toString());
        Result r = jsing("exec", sqfs.toString(), "sh", "-c", "echo x > /tmp/jsing-it-" + user.uid() + "-marker");
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(Files.exists(Path.of("/tmp/jsing-it-" + user.uid() + "-marker")));
        Files.delete(Path.of("/tmp/jsing-it-" + user.uid() + "-marker"));
        Files.delete(work.resolve("tmp-marker"));
    }

    @Test
    void bindOptions() {
        String data = work.resolve("data").toString();
        assertEquals("bound\n", ok("exec", "-B", data + ":/mnt/d:ro", sqfs.toString(), "cat", "/mnt/d/file"));
        Result ro = jsing("exec", "-B", data + ":/mnt/d:ro", sqfs.toString(), "touch", "/mnt/d/x");
        assertEquals(1, ro.exitCode(), "busybox touch fails with 1: " + ro.describe());
        assertTrue(ro.stderr().contains("Read-only file system"), ro.describe());
        assertFalse(Files.exists(work.resolve("data/x")));
        assertEquals(
                "bound\n",
                ok("exec", "--mount", "type=bind,src=" + data + ",dst=/m", sqfs.toString(), "cat", "/m/file"));
        assertEquals(
                "bound\n",
                jsing(Map.of("JSING_BIND", data + ":/e"), "exec", sqfs.toString(), "cat", "/e/file")
                        .stdout());
        assertEquals(
                "bound\n",
                jsing(Map.of("APPTAINER_BIND", data + ":/e"), "exec", sqfs.toString(), "cat", "/e/file")
                        .stdout());
        Result missing = jsing("exec", "-B", "/no/such/dir:/x", sqfs.toString(), "true");
        assertEquals(ExitCodes.BAD_MOUNT, missing.exitCode(), missing.describe());
        assertEquals("jsing: error: bind source /no/such/dir does not exist\n", missing.stderr());
    }

    @Test
    void homeContainAndCwdOptions() throws Exception {
        String data = work.resolve("data").toString();
        assertEquals("bound\n", ok("exec", "-H", data + ":/myhome", sqfs.toString(), "sh", "-c", "cd; cat file"));
        assertEquals("/myhome\n", ok("exec", "-H", data + ":/myhome", sqfs.toString(), "sh", "-c", "echo $HOME"));
        assertEquals(
                "no\n",
                ok(
                        "exec",
                        "--no-home",
                        "--cwd",
                        "/",
                        sqfs.toString(),
                        "sh",
                        "-c",
                        "test -e " + user.home() + "/. && echo yes || echo no"));
        String contained = ok("exec", "-c", sqfs.toString(), "sh", "-c", "pwd; ls -A $HOME | wc -l; ls /tmp | wc -l");
        assertEquals(user.home() + "\n0\n0\n", contained);
        // --contain keeps name resolution: the host's resolv.conf, as Apptainer binds it (config resolv_conf).
        assertEquals(
                Files.readString(Path.of("/etc/resolv.conf")),
                ok("exec", "-c", sqfs.toString(), "cat", "/etc/resolv.conf"));
        assertEquals("/etc\n", ok("exec", "--cwd", "/etc", sqfs.toString(), "pwd"));
        Result badCwd = jsing("exec", "--cwd", "/no/such", sqfs.toString(), "pwd");
        assertEquals(ExitCodes.LAUNCH_FAILED, badCwd.exitCode(), badCwd.describe());
        // The cwd (under /tmp) stays visible through /tmp; without both, chdir falls back to $HOME with a warning.
        assertEquals(work + "\n", ok("exec", "--no-mount", "cwd", sqfs.toString(), "pwd"));
        // --no-mount dev: the image's own (here empty) /dev, and the launch still works, found or not found.
        assertEquals("0\n", ok("exec", "--no-mount", "dev", sqfs.toString(), "sh", "-c", "ls /dev | wc -l"));
        Result noDev = jsing("exec", "--no-mount", "dev", sqfs.toString(), "no-such-command");
        assertEquals(ExitCodes.COMMAND_NOT_FOUND, noDev.exitCode(), noDev.describe());
        Result noCwd = jsing("exec", "--no-mount", "cwd,tmp", sqfs.toString(), "pwd");
        assertEquals(user.home() + "\n", noCwd.stdout(), noCwd.describe());
        assertEquals(1, noCwd.stderr().lines().count(), noCwd.describe());
        String scratch = ok("exec", "-S", "/scratch", sqfs.toString(), "sh", "-c", "touch /scratch/a && ls /scratch");
        assertEquals("a\n", scratch);
        String wd = work.resolve("wd").toString();
        ok("exec", "-W", wd, "-c", sqfs.toString(), "touch", "/tmp/in-workdir");
        assertTrue(Files.exists(work.resolve("wd/tmp/in-workdir")));
        assertEquals(
                "0\n", ok("exec", "--no-mount", "tmp", "--cwd", "/", sqfs.toString(), "sh", "-c", "ls /tmp | wc -l"));
    }

    @Test
    void writableLayersAndNamespaces() throws Exception {
        assertEquals("ok\n", ok("exec", "--writable-tmpfs", sqfs.toString(), "sh", "-c", "touch /new && echo ok"));
        Result ro = jsing("exec", sqfs.toString(), "touch", "/new");
        assertEquals(1, ro.exitCode(), "busybox touch fails with 1: " + ro.describe());
        assertTrue(ro.stderr().contains("Read-only file system"), ro.describe());
        Path ov = work.resolve("overlay");
        ok("exec", "--overlay", ov.toString(), sqfs.toString(), "sh", "-c", "echo kept > /persist");
        assertEquals("kept\n", ok("exec", "--overlay", ov.toString(), sqfs.toString(), "cat", "/persist"));
        assertEquals("box\n", ok("exec", "--hostname", "box", sqfs.toString(), "hostname"));
        assertEquals("box\n", ok("exec", "--hostname", "box", sqfs.toString(), "cat", "/etc/hostname"));
        assertEquals("2\n", ok("exec", "--pid", sqfs.toString(), "sh", "-c", "echo $$")); // PID 1 is the init
        // --ipc: a new IPC namespace (its inode differs from the host's); without it, the host's.
        String hostIpc = Files.readSymbolicLink(Path.of("/proc/self/ns/ipc")).toString();
        assertTrue(hostIpc.matches("ipc:\\[\\d+\\]"), hostIpc);
        assertEquals(hostIpc + "\n", ok("exec", sqfs.toString(), "readlink", "/proc/self/ns/ipc"));
        String ipc = ok("exec", "--ipc", sqfs.toString(), "readlink", "/proc/self/ns/ipc");
        assertTrue(ipc.matches("ipc:\\[\\d+\\]\n"), ipc);
        assertFalse(ipc.equals(hostIpc + "\n"), "--ipc kept the host's IPC namespace " + hostIpc);
    }

    @Test
    void environmentPrecedence() throws Exception {
        Path envFile = work.resolve("env.list");
        Files.writeString(envFile, "FROMFILE=file\nWHO=file\n");
        user.own(envFile);
        Map<String, String> host = Map.of(
                "HOSTVAR", "host", "ONLYHOST", "host", "JSINGENV_WHO", "jsingenv", "LD_LIBRARY_PATH", "/host/lib");
        Result r = jsing(
                host,
                "exec",
                sqfs.toString(),
                "sh",
                "-c",
                "echo $FROM_IMAGE $HOSTVAR $ONLYHOST $WHO; echo ${LD_LIBRARY_PATH:-none}; echo $PATH; echo $JSING_NAME $APPTAINER_COMMAND $SINGULARITY_CONTAINER");
        assertEquals(
                "image image host jsingenv\nnone\n" + ContainerEnvironment.DEFAULT_PATH + "\napp.sqfs exec " + sqfs
                        + "\n",
                r.stdout(),
                r.describe());
        r = jsing(host, "exec", "--env-file", envFile.toString(), sqfs.toString(), "sh", "-c", "echo $WHO $FROMFILE");
        assertEquals("file file\n", r.stdout(), r.describe());
        r = jsing(
                host,
                "exec",
                "--env-file",
                envFile.toString(),
                "--env",
                "WHO=option",
                sqfs.toString(),
                "sh",
                "-c",
                "echo $WHO");
        assertEquals("option\n", r.stdout(), r.describe());
        r = jsing(host, "exec", "-e", sqfs.toString(), "sh", "-c", "echo ${ONLYHOST:-unset} $LANG");
        assertEquals("unset C\n", r.stdout(), r.describe());
    }

    @Test
    void runTestShellAndArguments() {
        assertEquals("<a b>\n<it's>\n<\"q\">\n<>\n", ok("run", sif.toString(), "a b", "it's", "\"q\"", ""));
        Result t = jsing("test", sif.toString());
        assertEquals(3, t.exitCode(), t.describe());
        assertEquals("image-test-ran\n", t.stdout());
        Result sh = user.run(
                List.of("sh", "-c", "echo 'echo $0 in-shell' | " + TestDist.jsing() + " shell " + sqfs),
                Map.of("JSING_TMPDIR", tmp.toString()),
                work,
                Duration.ofMinutes(1));
        assertEquals("/bin/sh in-shell\n", sh.stdout(), sh.describe());
    }

    @Test
    void exitCodesAndSignals() {
        for (int code : new int[] {0, 1, 42, 255}) {
            assertEquals(
                    code,
                    jsing("exec", sqfs.toString(), "sh", "-c", "exit " + code).exitCode());
        }
        assertEquals(
                128 + 9,
                jsing("exec", sqfs.toString(), "sh", "-c", "kill -9 $$").exitCode());
        Result nf = jsing("exec", sqfs.toString(), "no-such-command");
        assertEquals(127, nf.exitCode(), nf.describe());
        assertEquals("jsing: error: no-such-command: command not found in container\n", nf.stderr());
        for (String sig : List.of("TERM", "INT", "USR1")) {
            Path mark = work.resolve("trap-" + sig);
            // env --default-signal: background jobs of a non-interactive shell start with SIGINT ignored.
            String script = "env --default-signal=" + sig + " " + TestDist.jsing() + " exec " + sqfs
                    + " sh -c 'trap \"echo got > " + mark + "; exit 0\" " + sig
                    + "; touch " + mark + ".ready; while :; do sleep 0.1; done' & p=$!;"
                    + " while [ ! -e " + mark + ".ready ]; do sleep 0.1; done; kill -" + sig
                    + " $p; wait $p; echo rc=$?";
            Result r = user.run(
                    List.of("sh", "-c", script), Map.of("JSING_TMPDIR", tmp.toString()), work, Duration.ofMinutes(1));
            assertEquals("rc=0\n", r.stdout(), r.describe());
            assertTrue(Files.exists(mark), sig);
        }
    }

    @Test
    void inheritedFdReachesThePayloadAndNoJvmFdLeaks() {
        Result r = user.run(
                List.of(
                        "sh",
                        "-c",
                        "exec 5</etc/hostname; exec 7>&-; " + TestDist.jsing() + " exec " + sqfs
                                + " sh -c 'cat <&5; ls /proc/self/fd'"),
                Map.of("JSING_TMPDIR", tmp.toString()),
                work,
                Duration.ofMinutes(1));
        assertEquals(0, r.exitCode(), r.describe());
        List<String> lines = List.of(r.stdout().split("\n"));
        assertEquals(Commands.ok("cat", "/etc/hostname").trim(), lines.get(0));
        List<String> fds = lines.subList(1, lines.size());
        assertTrue(fds.contains("5"), r.stdout());
        // 0-2, 5, ls's directory fd, and whatever the test runner itself passed down: nothing of the JVM's.
        List<String> inherited =
                List.of(Commands.ok("sh", "-c", "ls /proc/self/fd").split("\n"));
        for (String fd : fds) {
            assertTrue(Integer.parseInt(fd) <= 5 || inherited.contains(fd), "unexpected fd " + fd + " in " + fds);
        }
    }

    @Test
    void inspectAndRunHelp() {
        assertEquals("org.example.name: launch-it\n", ok("inspect", sif.toString()));
        String json = ok("inspect", "--json", "-r", "-l", sqfs.toString());
        assertTrue(
                json.startsWith(
                        "{\"data\":{\"attributes\":{\"labels\":{\"org.example.name\":\"launch-it\"},\"runscript\":\"#!/bin/sh\\n"),
                json);
        assertEquals("Usage: just run it\n", ok("run-help", sandbox.toString()));
        // Apptainer's inspect: -d is the definition file, -s the startscript, the environment files by name, the SCIF
        // apps (--list-apps, --app), --all as JSON with the apps' attributes; sandbox and squashfs alike.
        for (String img : List.of(sandbox.toString(), sqfs.toString())) {
            assertEquals("Bootstrap: scratch\n", ok("inspect", "-d", img));
            assertEquals("#!/bin/sh\necho started\n", ok("inspect", "-s", img));
            assertEquals(
                    "=== /.singularity.d/env/10-docker2singularity.sh ===\nexport FROM_DOCKER=docker\n\n\n"
                            + "=== /.singularity.d/env/90-environment.sh ===\nexport FROM_IMAGE=image\nexport WHO=image\n"
                            + "export HOSTVAR=image\n\n\n",
                    ok("inspect", "-e", img));
            assertEquals("hello\n", ok("inspect", "--list-apps", img));
            assertEquals("#!/bin/sh\necho hello-app\n", ok("inspect", "--app", "hello", "-r", img));
            assertEquals("app.label: yes\n", ok("inspect", "--app", "hello", img));
            String all = ok("inspect", "--all", img);
            assertTrue(
                    all.startsWith("{\"data\":{\"attributes\":{\"apps\":{\"hello\":{\"environment\":{"
                            + "\"/scif/apps/hello/scif/env/90-environment.sh\":\"export APPVAR=1\\n\"},"
                            + "\"labels\":{\"app.label\":\"yes\"},\"runscript\":"),
                    all);
            assertTrue(all.contains("\"startscript\":\"#!/bin/sh\\necho started\\n\"}},\"type\":\"container\"}"), all);
            Result none = jsing("inspect", "--app", "nope", img);
            assertEquals(ExitCodes.NOT_FOUND, none.exitCode(), none.describe());
            assertTrue(none.stderr().endsWith("no SCIF app 'nope' (apps: hello)\n"), none.describe());
        }
    }

    @Test
    void utsUsernsAndShellFlagsAsApptainerHasThem() throws Exception {
        // --uts: a new UTS namespace (inode differs) that keeps the host's name; without it, the host's namespace.
        String hostUts = Files.readSymbolicLink(Path.of("/proc/self/ns/uts")).toString();
        String hostName = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        assertEquals(hostUts + "\n", ok("exec", sqfs.toString(), "readlink", "/proc/self/ns/uts"));
        String uts = ok("exec", "--uts", sqfs.toString(), "sh", "-c", "readlink /proc/self/ns/uts; hostname");
        String[] lines = uts.split("\n");
        assertTrue(lines[0].matches("uts:\\[\\d+\\]") && !lines[0].equals(hostUts), uts);
        assertEquals(hostName, lines[1], uts);
        assertEquals("named\n", ok("exec", "--uts", "--hostname", "named", sqfs.toString(), "hostname"));
        Result env = jsing(Map.of("APPTAINER_UTS", "1"), "exec", sqfs.toString(), "readlink", "/proc/self/ns/uts");
        assertEquals(0, env.exitCode(), env.describe());
        assertFalse(env.stdout().equals(hostUts + "\n"), "APPTAINER_UTS=1 kept the host's UTS namespace");
        // -u/--userns: what jsing always does (a user namespace; the user inside is the user outside).
        assertEquals(ok("exec", sqfs.toString(), "id"), ok("exec", "-u", sqfs.toString(), "id"));
        // shell --shell/-s and APPTAINER_SHELL: that program is the shell, with the shell's arguments.
        assertEquals("from-echo\n", ok("shell", "--shell", "/bin/echo", sqfs.toString(), "from-echo"));
        assertEquals("from-s\n", ok("shell", "-s", "/bin/echo", sqfs.toString(), "from-s"));
        Result shellEnv = jsing(Map.of("APPTAINER_SHELL", "/bin/echo"), "shell", sqfs.toString(), "from-env");
        assertEquals("from-env\n", shellEnv.stdout(), shellEnv.describe());
        Result onExec = jsing("exec", "--shell", "/bin/echo", sqfs.toString(), "true");
        assertEquals(ExitCodes.USAGE, onExec.exitCode(), onExec.describe());
        assertTrue(onExec.stderr().startsWith("jsing: Unknown option: '--shell'"), onExec.describe());
    }

    @Test
    void runWithoutARunscriptSaysSoAsApptainerDoes() {
        String plain = MinbaseImage.busybox().toString(); // no /.singularity.d at all
        Result r = jsing("run", plain, "-c", "echo from-sh");
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("from-sh\n", r.stdout());
        assertEquals("jsing: notice: no runscript found in container, executing /bin/sh\n", r.stderr(), r.describe());
        Result quiet = jsing("-q", "run", plain, "-c", "echo from-sh");
        assertEquals("", quiet.stderr(), quiet.describe());
    }
}
