package dev.jsing.runner.instance;

import dev.jsing.common.json.Json;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.runner.host.CallerIdentity;
import dev.jsing.runner.launch.InstanceLaunch;
import dev.jsing.runner.launch.LaunchRequest;
import dev.jsing.runner.launch.Launcher;
import dev.jsing.runner.launch.NativeExec;
import dev.jsing.runner.launch.Replay;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code jsing instance start|run|list|stop|stats} and {@code exec instance://NAME}: the caller's instances on this
 * host ({@link InstanceStore}), started and entered through {@link Launcher}.
 */
public final class Instances {
    /** The prefix that names an instance where an image is expected. */
    public static final String URI = "instance://";

    private final InstanceStore store;
    private final CallerIdentity caller;

    private Instances(InstanceStore store, CallerIdentity caller) {
        this.store = store;
        this.caller = caller;
    }

    /** The caller's instances, in the environment {@code env}. */
    public static Instances of(Map<String, String> env) {
        CallerIdentity c = CallerIdentity.current();
        return new Instances(new InstanceStore(InstanceDirs.hostDir(env, c.home(), c.uid()), c.uid()), c);
    }

    /**
     * Refuses {@code user} when it is not the caller: another user's instances are out of reach (their state is private
     * to them, and jsing has no privilege to signal their processes).
     */
    public void requireOwnUser(String user) {
        if (user != null && !user.isEmpty() && !user.equals(caller.user())) {
            throw new JsingException(
                    ExitCodes.INSTANCE,
                    "instance: the instances of user " + user + " are out of reach (only your own: " + caller.user()
                            + ")");
        }
    }

    /**
     * Starts instance {@code name} of {@code req} (image, options, arguments): its startscript ({@code startscript}) or
     * its runscript. Returns the exit code.
     */
    public int start(LaunchRequest req, String name, boolean startscript, Map<String, String> env, PrintWriter err) {
        InstanceName.check(name);
        if (req.image().startsWith(URI)) {
            throw new JsingException(ExitCodes.USAGE, "instance start: an instance cannot start from another instance");
        }
        ProcInfo self = ProcInfo.of(ProcessHandle.current().pid());
        String image = Path.of(req.image()).toAbsolutePath().normalize().toString();
        InstanceRecord claim = new InstanceRecord(
                name,
                0,
                0,
                self.startTime(),
                self.pid(),
                image,
                caller.user(),
                caller.uid(),
                "",
                store.logOut(name).toString(),
                store.logErr(name).toString());
        store.claim(claim);
        boolean done = false;
        // A Ctrl-C or SIGTERM while the instance comes up: the starter waits for it anyway (init.c), so do we, and
        // then stop it rather than leave it running unrecorded.
        CountDownLatch finished = new CountDownLatch(1);
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            cancelled.set(true);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            InstanceLaunch.Started s = Launcher.startInstance(
                    req, env, err, new InstanceLaunch.Start(store.logOut(name), store.logErr(name), startscript));
            if (s.exitCode() != 0) {
                return s.exitCode();
            }
            if (cancelled.get()) {
                NativeExec.kill(s.initPid(), Signals.SIGKILL); // interrupted: it must not outlive this start
                return 128 + 2;
            }
            ProcInfo init = ProcInfo.of(s.initPid());
            if (init == null) {
                throw new JsingException(
                        ExitCodes.INSTANCE,
                        "instance " + name + " exited as soon as it started; see " + claim.logErr());
            }
            store.update(new InstanceRecord(
                    name,
                    s.initPid(),
                    s.monitorPid(),
                    init.startTime(),
                    self.pid(),
                    image,
                    caller.user(),
                    caller.uid(),
                    "",
                    claim.logOut(),
                    claim.logErr()));
            done = true;
            if (!req.quiet()) {
                err.println("jsing: notice: instance started successfully");
                err.flush();
            }
            return ExitCodes.OK;
        } finally {
            if (!done) {
                store.remove(name);
            }
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it has just been released
            }
        }
    }

    /** {@code instance list}: Apptainer's columns, {@code --logs} or {@code --json}. */
    public String list(String pattern, boolean json, boolean logs) {
        if (json && logs) {
            throw new JsingException(ExitCodes.USAGE, "instance list: --json and --logs are exclusive");
        }
        List<InstanceRecord> all = store.list(pattern);
        if (json) {
            List<Object> items = new ArrayList<>();
            for (InstanceRecord r : all) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("instance", r.name());
                m.put("pid", r.pid());
                m.put("img", r.image());
                m.put("ip", r.ip());
                m.put("logErrPath", r.logErr());
                m.put("logOutPath", r.logOut());
                items.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("instances", items);
            return Json.writeIndented(doc) + "\n";
        }
        List<String[]> rows = new ArrayList<>();
        if (logs) {
            rows.add(new String[] {"INSTANCE NAME", "PID", "LOGS"});
            for (InstanceRecord r : all) {
                rows.add(new String[] {r.name(), String.valueOf(r.pid()), r.logErr()});
                rows.add(new String[] {"", "", r.logOut()});
            }
        } else {
            rows.add(new String[] {"INSTANCE NAME", "PID", "IP", "IMAGE"});
            for (InstanceRecord r : all) {
                rows.add(new String[] {r.name(), String.valueOf(r.pid()), r.ip(), r.image()});
            }
        }
        return Table.render(rows);
    }

    /**
     * {@code instance stop}: sends {@code signal} to the init of each selected instance (it passes it on to every
     * process inside), waits up to {@code timeout} for the instance to be gone, then kills it; removes its state.
     * Returns the exit code.
     */
    public int stop(String pattern, boolean all, int signal, Duration timeout, boolean quiet, PrintWriter err) {
        String p = all ? "*" : pattern;
        if (p == null) {
            throw new JsingException(ExitCodes.USAGE, "instance stop: name an instance, or --all");
        }
        if (!all && !InstanceName.isGlob(p)) {
            InstanceName.check(p);
        }
        List<InstanceRecord> found = store.list(p);
        if (found.isEmpty()) {
            if (all) {
                return ExitCodes.OK;
            }
            throw new JsingException(ExitCodes.INSTANCE, "no instance found" + (all ? "" : " named " + p));
        }
        for (InstanceRecord r : found) {
            if (!quiet) {
                err.println(
                        "jsing: notice: stopping " + r.name() + " instance of " + r.image() + " (PID=" + r.pid() + ")");
                err.flush();
            }
            signal(r, signal);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (InstanceRecord r : found) {
            boolean killed = signal == Signals.SIGKILL;
            while (!gone(r)) {
                if (!killed && System.nanoTime() > deadline) {
                    if (!quiet) {
                        err.println("jsing: notice: killing " + r.name() + " instance (PID=" + r.pid()
                                + ") after the timeout");
                        err.flush();
                    }
                    signal(r, Signals.SIGKILL);
                    killed = true;
                }
                sleep();
            }
            store.remove(r.name());
        }
        return ExitCodes.OK;
    }

    /** {@code instance stats}: memory, CPU and processes of one instance. */
    public String stats(String name, boolean json) {
        InstanceName.check(name);
        InstanceRecord r = store.find(name);
        if (r == null) {
            throw new JsingException(ExitCodes.INSTANCE, "no instance named " + name);
        }
        InstanceStats s = InstanceStats.of(r);
        return json ? s.json() : s.table();
    }

    /**
     * {@code exec|run|shell|test instance://NAME}: {@code req} run inside instance NAME (its namespaces, root and
     * processes). Returns only when nothing runs.
     */
    public int enter(LaunchRequest req, Map<String, String> env, PrintWriter err, Replay rec) {
        String name = req.image().substring(URI.length());
        InstanceName.check(name);
        InstanceRecord r = store.find(name);
        if (r == null) {
            throw new JsingException(ExitCodes.INSTANCE, "no instance named " + name);
        }
        return Launcher.enterInstance(
                req.withImage(r.image()), env, err, new InstanceLaunch.Enter(r.pid(), r.startTime()), rec);
    }

    /** Sends {@code sig} to the init of {@code r}, checking first that it is still that process and ours. */
    private void signal(InstanceRecord r, int sig) {
        if (!ProcInfo.alive(r.pid(), r.startTime())) {
            return;
        }
        if (ProcInfo.uid(r.pid()) != caller.uid()) {
            throw new JsingException(
                    ExitCodes.INSTANCE, "instance " + r.name() + ": PID " + r.pid() + " is not yours; not signalled");
        }
        int errno = NativeExec.kill(r.pid(), sig);
        if (errno != 0 && errno != 3) {
            throw new JsingException(
                    ExitCodes.INSTANCE,
                    "instance " + r.name() + ": cannot signal PID " + r.pid() + " (errno " + errno + ")");
        }
    }

    /** Whether the init and the monitor of {@code r} are gone (zombies waiting for their reaper count as gone). */
    private static boolean gone(InstanceRecord r) {
        if (ProcInfo.alive(r.pid(), r.startTime())) {
            return false;
        }
        ProcInfo m = ProcInfo.of(r.ppid());
        return m == null || m.state() == 'Z' || m.state() == 'X' || m.startTime() > r.startTime();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsingException(ExitCodes.INTERNAL, "instance stop: interrupted");
        }
    }
}
