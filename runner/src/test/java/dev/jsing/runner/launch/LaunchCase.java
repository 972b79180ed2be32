package dev.jsing.runner.launch;

import dev.jsing.runner.cli.action.Action;
import dev.jsing.runner.cli.action.ActionParser;
import dev.jsing.runner.config.ConfigLoader;
import dev.jsing.runner.config.JsingConfig;
import dev.jsing.runner.image.ContainerImage;
import dev.jsing.runner.image.ImageKind;
import dev.jsing.runner.image.ImageMetadata;
import dev.jsing.runner.testing.Golden;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One golden launch case: a directory under {@code golden/launch/} with {@code case.properties} (keys over {@code
 * golden/launch/defaults.properties}; see that file for what each key means), an optional {@code site.yaml} (the site
 * configuration) and the expected outputs {@code plan.golden} ({@link LaunchPlannerGoldenTest}) and {@code
 * starter.golden} ({@link StarterInvocationGoldenTest}). {@code ${case}} in values stands for the case directory.
 */
final class LaunchCase {
    static final String GROUP = "launch";

    final Path dir;
    final String name;
    private final Map<String, String> p = new TreeMap<>();
    final DescribedHost files;

    private LaunchCase(Path dir) {
        this.dir = dir;
        this.name = dir.getFileName().toString();
        load(dir.resolveSibling("defaults.properties"));
        load(dir.resolve("case.properties"));
        Map<String, String> texts = new LinkedHashMap<>();
        for (String f : List.of("group", "subuid", "subgid")) {
            if (text("host.etc-" + f) != null) {
                texts.put("/etc/" + f, text("host.etc-" + f));
            }
        }
        List<String> foreign = get("host.foreign") == null
                ? List.of()
                : List.of(get("host.foreign").split("\\s+"));
        files = new DescribedHost(fileList(), ints("host.fds"), texts, Integer.parseInt(get("host.uid")), foreign);
        files.devices(text("host.ldconfig"), get("host.elf32"), dir);
    }

    static List<LaunchCase> all() {
        List<LaunchCase> out = new ArrayList<>();
        for (Path d : Golden.caseDirs(GROUP)) {
            out.add(new LaunchCase(d));
        }
        return out;
    }

    @Override
    public String toString() {
        return name;
    }

    private void load(Path file) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String k : props.stringPropertyNames()) {
            p.put(k, props.getProperty(k).replace("${case}", dir.toString()));
        }
    }

    String get(String key) {
        String v = p.get(key);
        return v == null || v.isEmpty() ? null : v;
    }

    private String text(String key) {
        return get(key);
    }

    boolean flag(String key) {
        return Boolean.parseBoolean(p.getOrDefault(key, "false"));
    }

    private List<Integer> ints(String key) {
        List<Integer> out = new ArrayList<>();
        String v = get(key);
        if (v != null) {
            for (String s : v.split("[,\\s]+")) {
                out.add(Integer.parseInt(s));
            }
        }
        return out;
    }

    /** {@code host.paths} then {@code host.paths.extra}: whitespace-separated {@code DIR/}, {@code FILE}, {@code LINK->TARGET}. */
    private List<String> fileList() {
        List<String> out = new ArrayList<>();
        for (String k : List.of("host.paths", "host.paths.extra")) {
            String v = get(k);
            if (v != null) {
                out.addAll(List.of(v.trim().split("\\s+")));
            }
        }
        return out;
    }

    /** The caller's environment: every {@code host.env.NAME} key. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : p.entrySet()) {
            if (e.getKey().startsWith("host.env.")) {
                env.put(e.getKey().substring("host.env.".length()), e.getValue());
            }
        }
        return env;
    }

    HostContext host() {
        List<Integer> groups = ints("host.groups");
        return new HostContext(
                env(),
                Integer.parseInt(get("host.uid")),
                Integer.parseInt(get("host.gid")),
                groups,
                get("host.user"),
                get("host.gecos"),
                get("host.home"),
                get("host.shell"),
                get("host.cwd"));
    }

    /** The request, parsed from {@code command} by the real action parser (with the host environment's keys). */
    LaunchRequest request() {
        List<String> words = words(get("command"));
        Action action = Action.named(words.get(0));
        if (action == null) {
            throw new IllegalArgumentException(name + ": unknown action in command: " + words.get(0));
        }
        return ActionParser.parse(action, words.subList(1, words.size()).toArray(new String[0]), env(), false, false)
                .request();
    }

    /** The configuration: defaults, then {@code site.yaml} when the case has one (no user file). */
    JsingConfig config() {
        Path site = dir.resolve("site.yaml");
        return Files.exists(site)
                ? ConfigLoader.load(Map.of("JSING_CONFIG", site.toString()), null)
                : JsingConfig.defaults();
    }

    ContainerImage image() {
        ImageKind kind = ImageKind.valueOf(get("image.kind"));
        long offset = kind == ImageKind.SANDBOX ? 0 : Long.parseLong(get("image.offset"));
        return new ContainerImage(Path.of(get("image.path")), kind, offset, 1 << 20, null);
    }

    ImageMetadata meta() {
        return new ImageMetadata(
                get("image.passwd"),
                get("image.group"),
                flag("image.sh"),
                flag("image.bash"),
                get("image.runscript"),
                flag("image.test"));
    }

    /** {@code rootfs}: {@code squashfs} (the image through {@code squashfuse}), {@code sandbox}, or {@code extracted DIR}. */
    LaunchPlan.Rootfs rootfs() {
        String r = get("rootfs");
        ContainerImage img = image();
        if (r.equals("squashfs")) {
            return LaunchPlan.Rootfs.squashfs(img.path().toString(), img.offset(), get("squashfuse"));
        }
        if (r.equals("sandbox")) {
            return LaunchPlan.Rootfs.sandbox(img.path().toString());
        }
        if (r.startsWith("extracted ")) {
            return LaunchPlan.Rootfs.sandbox(r.substring("extracted ".length()) + "/root");
        }
        throw new IllegalArgumentException(name + ": rootfs " + r);
    }

    /** The temporary sandbox to remove after exit ({@code rootfs=extracted DIR}), or null. */
    String removeAfterExit() {
        String r = get("rootfs");
        return r.startsWith("extracted ") ? r.substring("extracted ".length()) : null;
    }

    /** Plans the case on its described host. */
    LaunchPlan plan() {
        return LaunchPlanner.plan(request(), host(), config(), image(), meta(), rootfs(), removeAfterExit(), files);
    }

    /** Words of a command line: split at blanks; {@code '...'} quotes literally (backslashes are kept as typed). */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\'') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'') {
                quoted = true;
                cur = cur == null ? new StringBuilder() : cur;
            } else if (Character.isWhitespace(c)) {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
            } else {
                cur = cur == null ? new StringBuilder() : cur;
                cur.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quote in: " + line);
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }

    /** A host's filesystem described by a list of paths; directories it is asked to create are recorded. */
    static final class DescribedHost implements HostFiles {
        private final Map<String, String> entries = new LinkedHashMap<>(); // path -> "dir", "file" or "->TARGET"
        private final List<Integer> fds;
        private final Map<String, String> texts;
        private final int uid;
        private final List<String> foreign;
        private final Map<String, String> layerFiles = new LinkedHashMap<>(); // path -> what FILE=WHAT describes
        final List<String> created = new ArrayList<>();

        /**
         * {@code texts}: the contents of the readable text files by path; every path belongs to {@code uid} except
         * those in {@code foreign} (uid 4242).
         */
        DescribedHost(List<String> paths, List<Integer> fds, Map<String, String> texts, int uid, List<String> foreign) {
            for (String s : paths) {
                int eq = s.indexOf('=');
                if (eq > 0) { // an overlay file: FILE=ext3 | squashfs | sif@OFF | sif-overlay@OFF | bad
                    layerFiles.put(s.substring(0, eq), s.substring(eq + 1));
                    s = s.substring(0, eq);
                }
                int arrow = s.indexOf("->");
                if (arrow > 0) {
                    entries.put(strip(s.substring(0, arrow)), "->" + s.substring(arrow + 2));
                } else {
                    entries.put(strip(s), s.endsWith("/") ? "dir" : "file");
                }
            }
            this.fds = List.copyOf(fds);
            this.texts = Map.copyOf(texts);
            this.uid = uid;
            this.foreign = List.copyOf(foreign);
        }

        private static String strip(String s) {
            return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }

        /** The path with every symlink component replaced by its target (absolute targets only); null if a loop. */
        private String resolve(String path) {
            String p = Path.of(path).normalize().toString();
            for (int hops = 0; hops < 40; hops++) {
                String next = null;
                for (Map.Entry<String, String> e : entries.entrySet()) {
                    String k = e.getKey();
                    if (e.getValue().startsWith("->") && (p.equals(k) || p.startsWith(k + "/"))) {
                        next = e.getValue().substring(2) + p.substring(k.length());
                        break;
                    }
                }
                if (next == null) {
                    return p;
                }
                p = Path.of(next).normalize().toString();
            }
            return null;
        }

        /** "dir", "file" or null for a resolved path; parents of listed paths are directories. */
        private String kind(String path) {
            String r = resolve(path);
            if (r == null) {
                return null;
            }
            String k = entries.get(r);
            if (k != null && !k.startsWith("->")) {
                return k;
            }
            String prefix = r.equals("/") ? "/" : r + "/";
            for (String e : entries.keySet()) {
                if (e.startsWith(prefix)) {
                    return "dir";
                }
            }
            return null;
        }

        @Override
        public boolean isDirectory(String path) {
            return "dir".equals(kind(path));
        }

        @Override
        public boolean isRegularFile(String path) {
            return "file".equals(kind(path));
        }

        @Override
        public String realPath(String path) throws IOException {
            if (!exists(path)) {
                throw new java.nio.file.NoSuchFileException(path);
            }
            return resolve(path);
        }

        @Override
        public boolean sameFile(String a, String b) {
            return exists(a) && exists(b) && resolve(a).equals(resolve(b));
        }

        @Override
        public boolean fdOpen(int fd) {
            return fds.contains(fd);
        }

        @Override
        public List<String> readLines(String path) {
            String t = texts.get(path);
            return t != null ? List.of(t.split("\n")) : List.of();
        }

        @Override
        public int owner(String path) {
            return !exists(path) ? -1 : foreign.contains(path) ? 4242 : uid;
        }

        @Override
        public void createDirectories(String path) {
            created.add(path);
            entries.putIfAbsent(path, "dir");
        }

        @Override
        public dev.jsing.runner.image.LayerImage layerImage(String path) {
            String d = layerFiles.get(path);
            if (d == null || d.equals("bad")) {
                throw new dev.jsing.runner.error.JsingException(
                        dev.jsing.runner.error.ExitCodes.BAD_IMAGE,
                        "overlay " + path + " is not an overlay image (described as " + d + ")");
            }
            java.util.Optional<dev.jsing.runner.image.LayerImage> embedded = sifOverlay(path);
            if (embedded.isPresent()) {
                return embedded.get();
            }
            long off = d.contains("@") ? Long.parseLong(d.substring(d.indexOf('@') + 1)) : 0;
            return new dev.jsing.runner.image.LayerImage(
                    path,
                    d.startsWith("ext3")
                            ? dev.jsing.runner.image.LayerImage.Format.EXT3
                            : dev.jsing.runner.image.LayerImage.Format.SQUASHFS,
                    off,
                    false);
        }

        @Override
        public java.util.Optional<dev.jsing.runner.image.LayerImage> sifOverlay(String path) {
            String d = layerFiles.getOrDefault(path, "");
            return d.startsWith("sif-overlay@")
                    ? java.util.Optional.of(new dev.jsing.runner.image.LayerImage(
                            path,
                            dev.jsing.runner.image.LayerImage.Format.EXT3,
                            Long.parseLong(d.substring(d.indexOf('@') + 1)),
                            true))
                    : java.util.Optional.empty();
        }

        // The device side (dev.jsing.runner.device.DeviceHost): host.ldconfig is the output of `ldconfig -p`; every
        // listed file is a native 64-bit ELF object except those of host.elf32; files under /dev are character
        // devices; any listed file is executable; the case directory's own files are read from disk (CDI specs).
        private String ldconfig = "";
        private List<String> elf32 = List.of();
        private Path caseDir;

        void devices(String ldconfig, String elf32, Path caseDir) {
            this.ldconfig = ldconfig == null ? "" : ldconfig;
            this.elf32 = elf32 == null ? List.of() : List.of(elf32.trim().split("\\s+"));
            this.caseDir = caseDir;
        }

        @Override
        public boolean isCharDevice(String path) {
            return path.startsWith("/dev/") && isRegularFile(path);
        }

        @Override
        public boolean isExecutable(String path) {
            return isRegularFile(path);
        }

        @Override
        public List<String> list(String dir) {
            java.util.TreeSet<String> out = new java.util.TreeSet<>();
            if (caseDir != null && dir.startsWith(caseDir.toString())) {
                try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(Path.of(dir))) {
                    s.forEach(p -> out.add(p.getFileName().toString()));
                } catch (IOException e) {
                    return List.of();
                }
                return new ArrayList<>(out);
            }
            String prefix = dir.endsWith("/") ? dir : dir + "/";
            for (String e : entries.keySet()) {
                if (e.startsWith(prefix)) {
                    out.add(e.substring(prefix.length()).split("/")[0]);
                }
            }
            return new ArrayList<>(out);
        }

        @Override
        public String read(String path) throws IOException {
            if (caseDir != null && path.startsWith(caseDir.toString())) {
                return java.nio.file.Files.readString(Path.of(path));
            }
            throw new java.nio.file.NoSuchFileException(path);
        }

        @Override
        public boolean exists(String path) {
            if (caseDir != null && path.startsWith(caseDir.toString() + "/")) {
                return java.nio.file.Files.exists(Path.of(path));
            }
            return kind(path) != null;
        }

        @Override
        public List<String> ldconfig() {
            return List.of(ldconfig.split("\n"));
        }

        @Override
        public boolean nativeElf(String path) {
            return isRegularFile(path) && !elf32.contains(path);
        }
    }
}
