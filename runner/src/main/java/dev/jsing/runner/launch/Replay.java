package dev.jsing.runner.launch;

import dev.jsing.slurm.LaunchEnvironment;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The launch-plan cache that lets {@code bin/jsing} launch without a JVM: a full launch records here everything its
 * plan depended on, and just before its {@code execve} writes a replay entry that the C starter's {@code --replay}
 * mode (runner/src/main/c/replay.c) validates and replays; on any difference the starter runs the full launch.
 *
 * <p>What an entry holds (format in the C README, "Replay"): the exact argv after {@code jsing}, the name it was
 * called by, cwd, uid, gid and groups; the value (or absence) of every environment variable the planning looked up and
 * of every variable that does not pass into the container (those feed the options, the config and the overrides); the
 * stat stamps (device, inode, size, mtime, ctime, mode) of the image, the config files, passwd and group, the env
 * files and the installation (script, jars, class-data archive, starter, the JDK's modules), and every other host
 * observation the planner made ({@link #files}: kinds, real paths, same-file, access); the rules that make the
 * payload's environment from the live one ({@link ContainerEnvironment}'s data: which host variables pass, what is
 * set over them); the starter's argv as a template whose per-launch parts are filled in at replay (the session
 * directory of the generated files, written anew; the inherited fds; the values of {@link
 * LaunchEnvironment#PER_STEP_TEXT}). Before writing, the entry is checked against this launch: the template filled in
 * with this launch's values must be this launch's argv, and the rules applied to this environment its envp.
 *
 * <p>No entry is written for: {@code --debug}, a sandbox or registry image, the unsquashfs fallback, {@code --uts}
 * without {@code --hostname}, a launch that printed anything, anything that read the whole environment, non-ASCII
 * argv, cwd or environment. Entries live in {@code /dev/shm/jsing-replay-UID} (node-local, private: mode 0700 and
 * owned by the caller, else nothing is written), named by a hash of name, argv, cwd and uid.
 */
public final class Replay {
    /** The first token of an entry; bumped on any change of the format or of what is recorded. */
    static final String FORMAT = "jsing-replay-1";
    /**
     * Variables never compared: the launcher's own ({@code JSING_NO_FAST}, {@code JSING_INHERITED_FDS}, {@code
     * JSING_FAST_TRACE}, {@code JSING_FAST_LOG}, {@code JSING_RECORD_ONLY}: plan and record, do not run) and {@code PMI_FD}, whose only use, the kept fds, is the live rule (every inherited fd).
     */
    static final List<String> IGNORED = List.of(
            "JSING_NO_FAST",
            "JSING_INHERITED_FDS",
            "JSING_FAST_TRACE",
            "JSING_FAST_LOG",
            "JSING_RECORD_ONLY",
            "PMI_FD");
    /** At most this many entries per user; a write that finds more clears the directory first. */
    static final int MAX_ENTRIES = 256;

    private static final int SENTINEL_BASE = 918273640;

    private final String name;
    private final List<String> args;
    private final RecordingEnv env;
    private final List<String> facts = new ArrayList<>();
    private final boolean[] printed = new boolean[1];
    private String refusal;
    private Set<String> readBeforePlanning = Set.of();
    private Map<String, String> fixedEnv;
    private boolean wrapper;
    private boolean cleanEnv;
    private String notRecorded;

    private Replay(String name, List<String> args, RecordingEnv env) {
        this.name = name;
        this.args = args;
        this.env = env;
    }

    /** Starts recording a launch of {@code jsing ARGS} (called as {@code name}) in the environment {@code env}. */
    public static Replay start(String name, String[] args, Map<String, String> env) {
        return new Replay(name, List.of(args), RecordingEnv.of(env));
    }

    /** The environment to launch with: every lookup is recorded. */
    public RecordingEnv env() {
        return env;
    }

    /** {@code err}, noting whether anything was written to it (a launch that printed is not replayed). */
    public PrintWriter watch(PrintWriter err) {
        return new PrintWriter(
                new FilterWriter(err) {
                    @Override
                    public void write(int c) throws IOException {
                        printed[0] = true;
                        super.write(c);
                    }

                    @Override
                    public void write(char[] b, int off, int len) throws IOException {
                        printed[0] = true;
                        super.write(b, off, len);
                    }

                    @Override
                    public void write(String s, int off, int len) throws IOException {
                        printed[0] = true;
                        super.write(s, off, len);
                    }
                },
                true);
    }

    /** Marks this launch unreplayable. */
    public void refuse(String why) {
        if (refusal == null) {
            refusal = why;
        }
    }

    /** Why this launch is not replayed, or null. */
    String refusal() {
        if (refusal != null) {
            return refusal;
        }
        if (printed[0]) {
            return "it printed a message";
        }
        if (env.iterated()) {
            return "the whole environment was read";
        }
        return null;
    }

    /** From here on, the per-step variables read are only the planner's (see {@link #commit}). */
    void planningBegins() {
        readBeforePlanning = new LinkedHashSet<>(env.read());
    }

    /** The planner's environment, as rules for the live one. */
    void environment(ContainerEnvironment ce, boolean wrapper, boolean cleanEnv) {
        this.wrapper = wrapper;
        this.cleanEnv = cleanEnv;
        this.fixedEnv = ce.fixed(wrapper);
    }

    /** Records the full stamp of {@code path} (following symlinks), or its absence. */
    void stat(String path) {
        String[] f = {"-", "-", "-", "-", "-", "-"};
        try {
            Map<String, Object> a =
                    Files.readAttributes(Path.of(path), "unix:dev,ino,size,lastModifiedTime,ctime,mode");
            FileTime m = (FileTime) a.get("lastModifiedTime");
            FileTime c = (FileTime) a.get("ctime");
            f = new String[] {
                String.valueOf(a.get("dev")),
                String.valueOf(a.get("ino")),
                String.valueOf(a.get("size")),
                m.toInstant().getEpochSecond() + "." + m.toInstant().getNano(),
                c.toInstant().getEpochSecond() + "." + c.toInstant().getNano(),
                String.valueOf(a.get("mode"))
            };
        } catch (IOException | RuntimeException e) {
            // absent or unreadable: recorded as such
        }
        facts.add("stat");
        facts.add(path);
        facts.addAll(Arrays.asList(f));
    }

    /** Records the kind of {@code path} (following symlinks): {@code d}, {@code f}, {@code o} or {@code -}. */
    void kind(String path) {
        String k;
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of(path), BasicFileAttributes.class);
            k = a.isDirectory() ? "d" : a.isRegularFile() ? "f" : "o";
        } catch (IOException | RuntimeException e) {
            k = "-";
        }
        facts.add("kind");
        facts.add(path);
        facts.add(k);
    }

    /** Records the result of {@code access(path, mode)} (mode: 4 read, 2 write, 1 execute). */
    void access(String path, int mode, boolean result) {
        facts.add("access");
        facts.add(path);
        facts.add(String.valueOf(mode));
        facts.add(result ? "1" : "0");
    }

    /** {@code files}, recording each observation. */
    HostFiles files(HostFiles real) {
        return new HostFiles() {
            @Override
            public boolean exists(String path) {
                kind(path);
                return real.exists(path);
            }

            @Override
            public boolean isDirectory(String path) {
                kind(path);
                return real.isDirectory(path);
            }

            @Override
            public boolean isRegularFile(String path) {
                kind(path);
                return real.isRegularFile(path);
            }

            @Override
            public String realPath(String path) throws IOException {
                facts.add("real");
                facts.add(path);
                try {
                    String r = real.realPath(path);
                    facts.add(r);
                    return r;
                } catch (IOException e) {
                    facts.add("-");
                    throw e;
                }
            }

            @Override
            public boolean sameFile(String a, String b) {
                boolean r = real.sameFile(a, b);
                facts.add("same");
                facts.add(a);
                facts.add(b);
                facts.add(r ? "1" : "0");
                return r;
            }

            @Override
            public boolean fdOpen(int fd) {
                return real.fdOpen(fd); // the kept fds are the live rule; commit() checks they are the inherited ones
            }

            @Override
            public List<String> readLines(String path) {
                stat(path);
                return real.readLines(path);
            }

            @Override
            public int owner(String path) {
                stat(path); // a chown changes the ctime the stamp holds
                return real.owner(path);
            }

            @Override
            public void createDirectories(String path) throws IOException {
                real.createDirectories(path);
                kind(path);
            }

            @Override
            public dev.jsing.runner.image.LayerImage layerImage(String path) {
                stat(path);
                return real.layerImage(path);
            }

            @Override
            public java.util.Optional<dev.jsing.runner.image.LayerImage> sifOverlay(String path) {
                stat(path); // the image itself is stamped too; a written embedded overlay changes its mtime
                return real.sifOverlay(path);
            }

            // Device planning (--nv, --rocm, CDI): each answer rests on a file's stamp (a replaced library, a new
            // node in /dev, an edited spec or a rebuilt ld.so cache makes the entry stale).

            @Override
            public boolean isCharDevice(String path) {
                stat(path);
                return real.isCharDevice(path);
            }

            @Override
            public boolean isExecutable(String path) {
                boolean x = real.isExecutable(path);
                kind(path);
                access(path, 1, x);
                return x;
            }

            @Override
            public List<String> list(String dir) {
                stat(dir);
                return real.list(dir);
            }

            @Override
            public String read(String path) throws IOException {
                stat(path);
                return real.read(path);
            }

            @Override
            public List<String> ldconfig() {
                stat("/etc/ld.so.cache");
                return real.ldconfig();
            }

            @Override
            public boolean nativeElf(String path) {
                stat(path);
                return real.nativeElf(path);
            }
        };
    }

    /** Plans the launch again in another environment and returns its {@link StarterInvocation#template}. */
    interface Templater {
        StarterInvocation template(Map<String, String> env);
    }

    /**
     * Writes the entry for this launch (unless it is not replayable), just before the exec of {@code inv}; {@code
     * write} false builds it without writing (the class-data training run). Never fails: a problem only means no
     * entry.
     */
    void commit(
            HostContext host, LaunchPlan plan, StarterInvocation inv, Path tmpDir, Templater templater, boolean write) {
        try {
            List<String> entry = entry(host, plan, inv, tmpDir, templater);
            if (entry != null && write) {
                store(host.uid(), host.cwd(), entry);
            }
        } catch (IOException | RuntimeException e) {
            notRecorded = e.toString(); // no entry: the next launch takes the full path again
        }
        String trace = env.raw().get("JSING_FAST_TRACE");
        if (notRecorded != null && trace != null && !trace.isEmpty()) {
            System.err.println("jsing: replay: not recorded: " + notRecorded);
        }
    }

    private List<String> no(String why) {
        notRecorded = why;
        return null;
    }

    /** Why the last {@link #entry} gave none. */
    String notRecorded() {
        return notRecorded;
    }

    /** The entry's tokens, or null when this launch is not replayed ({@link #notRecorded} says why). */
    List<String> entry(HostContext host, LaunchPlan plan, StarterInvocation inv, Path tmpDir, Templater templater) {
        if (refusal() != null || fixedEnv == null) {
            return no(refusal() != null ? refusal() : "no environment planned");
        }
        Map<String, String> raw = env.raw();
        if (!ascii(args) || !ascii(List.of(host.cwd(), name)) || !ascii(raw.keySet()) || !ascii(raw.values())) {
            return no("non-ASCII argv, cwd or environment");
        }
        for (String a : inv.argv()) {
            if (a.indexOf('\u0001') >= 0) {
                return no("a control character in the starter's argv");
            }
        }
        // The kept fds must be exactly the inherited ones (the replaying starter keeps every inherited fd).
        Set<Integer> inherited = new TreeSet<>();
        String list = raw.get("JSING_INHERITED_FDS");
        if (list != null) {
            for (String s : list.split(",")) {
                try {
                    int fd = Integer.parseInt(s.trim());
                    if (fd > 2 && HostFiles.REAL.fdOpen(fd)) {
                        inherited.add(fd);
                    }
                } catch (NumberFormatException e) {
                    // not an fd
                }
            }
        }
        if (!inherited.equals(new TreeSet<>(plan.keepFds()))) {
            return no("kept fds " + plan.keepFds() + " are not the inherited ones " + inherited);
        }

        // The per-step variables the planner alone read, with a canonical integer value, are filled in live.
        List<String> live = new ArrayList<>();
        Map<String, String> sentinels = new LinkedHashMap<>();
        for (String v : LaunchEnvironment.PER_STEP_TEXT) {
            String value = raw.get(v);
            if (env.read().contains(v) && !readBeforePlanning.contains(v) && canonicalInt(value)) {
                String s = String.valueOf(SENTINEL_BASE + live.size());
                for (String a : inv.argv()) {
                    if (a.contains(s)) {
                        return no("a sentinel in the starter's argv");
                    }
                }
                live.add(v);
                sentinels.put(v, s);
            }
        }
        StarterInvocation t = templater.template(live.isEmpty() ? env : env.withValues(sentinels));
        List<String> template = new ArrayList<>();
        for (String a : t.argv()) {
            for (int i = 0; i < live.size(); i++) {
                a = a.replace(sentinels.get(live.get(i)), "\u0001" + i + "\u0001");
            }
            template.add(a);
        }
        List<String> liveValues = new ArrayList<>();
        for (String v : live) {
            liveValues.add(raw.get(v));
        }
        String session = inv.sessionDir() == null ? "" : inv.sessionDir().toString();
        if (!expand(template, liveValues, session, plan.keepFds()).equals(inv.argv())) {
            return no("the template does not give this launch's argv");
        }
        List<String> expectEnv = new ArrayList<>(payloadEnv(raw));
        List<String> realEnv = new ArrayList<>(inv.env());
        expectEnv.sort(null);
        realEnv.sort(null);
        if (!expectEnv.equals(realEnv)) {
            return no("the environment rules do not give this launch's environment");
        }

        List<String> e = new ArrayList<>();
        e.add(FORMAT);
        e.add("name");
        e.add(name);
        e.add("argv");
        e.add(String.valueOf(args.size()));
        e.addAll(args);
        e.add("cwd");
        e.add(host.cwd());
        e.add("ids");
        e.add(String.valueOf(host.uid()));
        e.add(String.valueOf(host.gid()));
        e.add(String.valueOf(host.groups().size()));
        for (int g : host.groups()) {
            e.add(String.valueOf(g));
        }
        Set<String> keyed = new TreeSet<>(env.read());
        for (String k : raw.keySet()) {
            if (!ContainerEnvironment.passes(k, false)) {
                keyed.add(k);
            }
        }
        keyed.removeAll(IGNORED);
        keyed.removeAll(live);
        for (String k : keyed) {
            String v = raw.get(k);
            if (v == null) {
                e.add("unset");
                e.add(k);
            } else {
                e.add("env");
                e.add(k);
                e.add(v);
            }
        }
        for (String k : IGNORED) {
            e.add("ignore");
            e.add(k);
        }
        for (String k : live) {
            e.add("live");
            e.add(k);
        }
        for (String k : ContainerEnvironment.DROP_NAMES) {
            e.add("drop");
            e.add(k);
        }
        for (String k : ContainerEnvironment.DROP_PREFIXES) {
            e.add("dropprefix");
            e.add(k);
        }
        e.addAll(facts);
        e.add("clean");
        e.add(cleanEnv ? "1" : "0");
        for (String k : ContainerEnvironment.CLEAN_NAMES) {
            e.add("keep");
            e.add(k);
        }
        for (Map.Entry<String, String> f : fixedEnv.entrySet()) {
            e.add("set");
            e.add(f.getKey());
            e.add(f.getValue());
        }
        e.add("hostlist");
        e.add(wrapper ? "1" : "0");
        e.add("tmpdir");
        e.add(tmpDir.toString());
        for (Mount m : plan.mounts()) {
            if (m.type() == Mount.Type.GENERATED) {
                if (!ascii(List.of(m.content())) || m.source().contains("/")) {
                    return no("a non-ASCII generated file");
                }
                e.add("gen");
                e.add(m.source());
                e.add(m.content());
            }
        }
        e.add("starter");
        e.add(String.valueOf(template.size()));
        e.addAll(template);
        e.add("end");
        return e;
    }

    /**
     * The payload's environment the rules give for {@code live}: what the replaying starter computes (replay.c);
     * {@link #entry} checks it against the full launch's.
     */
    List<String> payloadEnv(Map<String, String> live) {
        Map<String, String> out = new LinkedHashMap<>();
        TreeSet<String> names = new TreeSet<>();
        for (Map.Entry<String, String> h : live.entrySet()) {
            if (ContainerEnvironment.passes(h.getKey(), cleanEnv)) {
                out.put(h.getKey(), h.getValue());
                if (ContainerEnvironment.validName(h.getKey())) {
                    names.add(h.getKey());
                }
            }
        }
        out.putAll(fixedEnv);
        if (wrapper) {
            out.put("__JSING_HOST", String.join(" ", names));
        }
        List<String> l = new ArrayList<>();
        for (Map.Entry<String, String> x : out.entrySet()) {
            l.add(x.getKey() + "=" + x.getValue());
        }
        return l;
    }

    /** The template filled in: what the replaying starter builds (replay.c). */
    static List<String> expand(List<String> template, List<String> live, String session, List<Integer> fds) {
        List<String> out = new ArrayList<>();
        for (String a : template) {
            if (a.equals(StarterInvocation.KEEP_FDS)) {
                for (int fd : fds) {
                    out.add("--keep-fd");
                    out.add(String.valueOf(fd));
                }
                continue;
            }
            StringBuilder b = new StringBuilder();
            int i = 0;
            while (i < a.length()) {
                char c = a.charAt(i);
                int end = c == '\u0001' ? a.indexOf('\u0001', i + 1) : -1;
                if (end < 0) {
                    b.append(c);
                    i++;
                    continue;
                }
                String ref = a.substring(i + 1, end);
                b.append(ref.equals("S") ? session : live.get(Integer.parseInt(ref)));
                i = end + 1;
            }
            out.add(b.toString());
        }
        return out;
    }

    /** The entry's file name: FNV-1a (64 bits) of name, argv, cwd and uid, NUL-separated (as replay.c computes it). */
    static String key(String name, List<String> args, String cwd, int uid) {
        long h = 0xcbf29ce484222325L;
        List<String> parts = new ArrayList<>();
        parts.add(name);
        parts.addAll(args);
        parts.add("");
        parts.add(cwd);
        parts.add(String.valueOf(uid));
        for (String p : parts) {
            for (byte b : p.getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            h ^= 0;
            h *= 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "0000000000000000".substring(hex.length()) + hex;
    }

    /**
     * The private directory of a user's entries, {@code /dev/shm/jsing-replay-UID}, created (mode 0700) when missing;
     * null when it is not ours. Beside the join state ({@code /dev/shm/jsing-UID}), not in it: that one is a job's and
     * goes with it, this one is a cache and stays (it is node-local and goes with a reboot).
     */
    static Path directory(int uid) throws IOException {
        Path base = Path.of("/dev/shm");
        if (!Files.isDirectory(base)) {
            return null;
        }
        return privateDir(base.resolve("jsing-replay-" + uid), uid);
    }

    private static Path privateDir(Path p, int uid) throws IOException {
        try {
            Files.createDirectory(
                    p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // checked below
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        if ((mode & 0170000) != 0040000 || (Integer) a.get("uid") != uid || (mode & 077) != 0) {
            return null;
        }
        return p;
    }

    private void store(int uid, String cwd, List<String> entry) throws IOException {
        Path dir = directory(uid);
        if (dir == null) {
            return;
        }
        int n = 0;
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                all.add(p);
                n++;
            }
        }
        if (n >= MAX_ENTRIES) {
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
        StringBuilder b = new StringBuilder();
        for (String t : entry) {
            b.append(t).append('\0');
        }
        Path tmp = dir.resolve(".tmp-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
        Files.write(tmp, b.toString().getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        try {
            Files.move(
                    tmp,
                    dir.resolve(key(name, args, cwd, uid)),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(tmp);
        }
    }

    static boolean canonicalInt(String v) {
        if (v == null || v.isEmpty() || v.length() > 9 || (v.length() > 1 && v.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(Iterable<String> items) {
        for (String s : items) {
            if (s == null) {
                continue;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x80 || c == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Replay" + Arrays.asList(name, args);
    }
}
