package dev.jsing.runner.cli.action;

import dev.jsing.runner.config.NoMountNames;
import dev.jsing.runner.launch.LaunchRequest;
import java.util.List;

/**
 * The options of the container actions ({@code exec run shell test}), as one table: names (the first is the canonical
 * long name), whether the option is a flag, a value or a repeatable value, the Apptainer environment keys that set it
 * (looked up as {@code JSING_KEY}, {@code APPTAINER_KEY}, {@code SINGULARITY_KEY}), its help, and how it applies to a
 * {@link LaunchRequest}. The parser ({@link ActionParser}), {@code --help} ({@link ActionHelp}), shell completion and
 * the environment lookup ({@link ActionEnvironment}) are all derived from this table; {@link #apply} is an exhaustive
 * switch, so a new row does not compile until it says how it applies.
 *
 * <p>Environment values follow Apptainer ({@code pkg/cmdline/env.go}): a key sets an option only when the command line
 * did not; {@code BIND}/{@code BINDPATH} and {@code MOUNT} are appended to the command line's values instead. Flags
 * read booleans as Go's {@code strconv.ParseBool} does.
 */
public enum ActionOption {
    BIND(
            Kind.LIST,
            "SRC[:DST[:ro|rw]]",
            "Bind a host path (comma lists; \\, and \\: escape).",
            keys("BIND", "BINDPATH"),
            "--bind",
            "-B"),
    MOUNT(Kind.LIST, "type=bind,src=..,dst=..[,ro]", "Bind mount, Docker syntax.", keys("MOUNT"), "--mount"),
    HOME(Kind.VALUE, "SRC[:DST]", "Home directory to mount (default: your home).", keys("HOME"), "--home", "-H"),
    NO_HOME(Kind.FLAG, null, "Do not mount the home directory.", keys("NO_HOME"), "--no-home"),
    CONTAIN(Kind.FLAG, null, "Private /tmp, /var/tmp and home; minimal /dev.", keys("CONTAIN"), "--contain", "-c"),
    CONTAINALL(Kind.FLAG, null, "--contain, --pid, --ipc and --cleanenv.", keys("CONTAINALL"), "--containall", "-C"),
    CLEANENV(Kind.FLAG, null, "Do not pass the host environment.", keys("CLEANENV"), "--cleanenv", "-e"),
    ENV(Kind.LIST, "K=V", "Set a variable inside (wins over the image).", keys(), "--env"),
    ENV_FILE(Kind.LIST, "FILE", "Read K=V lines into the container's environment.", keys("ENV_FILE"), "--env-file"),
    CWD(Kind.VALUE, "DIR", "Working directory inside.", keys("CWD", "TARGET_CWD"), "--cwd"),
    PWD(Kind.VALUE, "DIR", "Working directory inside (same as --cwd).", keys("PWD", "TARGET_PWD"), "--pwd"),
    SCRATCH(
            Kind.LIST,
            "DIR",
            "A fresh directory at DIR (in --workdir when given).",
            keys("SCRATCH", "SCRATCHDIR"),
            "--scratch",
            "-S"),
    WORKDIR(
            Kind.VALUE,
            "DIR",
            "Host directory for --contain's /tmp, /var/tmp, home and --scratch.",
            keys("WORKDIR"),
            "--workdir",
            "-W"),
    WRITABLE_TMPFS(
            Kind.FLAG,
            null,
            "Writable root filesystem on a tmpfs of --tmpfs-size MiB; changes vanish at exit.",
            keys("WRITABLE_TMPFS"),
            "--writable-tmpfs"),
    TMPFS_SIZE(
            Kind.VALUE,
            "MiB",
            "Size of --writable-tmpfs's layer (default: sessiondir max size, 64 MiB); when full, writes fail with"
                    + " 'No space left on device' and df / shows jsing-writable-tmpfs.",
            keys("TMPFS_SIZE"),
            "--tmpfs-size"),
    WRITABLE(
            Kind.FLAG,
            null,
            "Open a sandbox directory you own read-write: changes land in it.",
            keys("WRITABLE"),
            "--writable",
            "-w"),
    FAKEROOT(
            Kind.FLAG,
            null,
            "Run as root (uid 0) inside, mapped to you; other ids to your /etc/subuid and /etc/subgid ranges.",
            keys("FAKEROOT"),
            "--fakeroot",
            "-f"),
    IGNORE_SUBUID(
            Kind.FLAG,
            null,
            "With --fakeroot, ignore /etc/subuid and /etc/subgid: map only your own id (to root).",
            keys("IGNORE_SUBUID"),
            "--ignore-subuid"),
    OVERLAY(
            Kind.LIST,
            "PATH[:ro]",
            "Overlay layer: a directory or ext3 image (writable unless :ro), or a squashfs/SIF with :ro; repeatable,"
                    + " later ones on top.",
            keys("OVERLAY", "OVERLAYIMAGE"),
            "--overlay",
            "-o"),
    NO_MOUNT(
            Kind.LIST,
            "LIST",
            "Skip mounts: proc,sys,dev,home,tmp,cwd,bind-paths,/path.",
            keys("NO_MOUNT"),
            "--no-mount"),
    PID(Kind.FLAG, null, "New PID namespace.", keys("PID", "UNSHARE_PID"), "--pid", "-p"),
    IPC(Kind.FLAG, null, "New IPC namespace.", keys("IPC", "UNSHARE_IPC"), "--ipc", "-i"),
    HOSTNAME(Kind.VALUE, "NAME", "New UTS namespace with this host name.", keys("HOSTNAME"), "--hostname"),
    UTS(
            Kind.FLAG,
            null,
            "New UTS namespace (the host's name, unless --hostname).",
            keys("UTS", "UNSHARE_UTS"),
            "--uts"),
    USERNS(
            Kind.FLAG,
            null,
            "Run in a new user namespace (always so: jsing has no setuid mode).",
            keys("USERNS", "UNSHARE_USERNS"),
            "--userns",
            "-u"),
    SHELL(Kind.VALUE, "PATH", "Program to run as the interactive shell.", keys("SHELL"), Action.SHELL, "--shell", "-s"),
    UNSQUASH(
            Kind.FLAG,
            null,
            "Extract the image to a temporary sandbox instead of mounting it.",
            keys("UNSQUASH"),
            "--unsquash"),
    NO_HTTPS(
            Kind.FLAG,
            null,
            "Plain HTTP to the registry of a docker:// or oras:// image.",
            keys("NOHTTPS", "NO_HTTPS"),
            "--no-https",
            "--nohttps"),
    NO_JOIN(
            Kind.FLAG,
            null,
            "In an MPI job step, run a container of this rank's own instead of sharing one per node.",
            keys("NO_JOIN"),
            "--no-join");

    /** How an option takes its argument. */
    public enum Kind {
        /** No value; {@code --flag} sets it. */
        FLAG,
        /** One value; the last one given wins. */
        VALUE,
        /** A value that may be given many times; all are kept in order. */
        LIST
    }

    private final Kind kind;
    private final String paramLabel;
    private final String help;
    private final List<String> envKeys;
    private final List<String> names;
    private final Action only;

    ActionOption(Kind kind, String paramLabel, String help, List<String> envKeys, String... names) {
        this(kind, paramLabel, help, envKeys, null, names);
    }

    ActionOption(Kind kind, String paramLabel, String help, List<String> envKeys, Action only, String... names) {
        this.kind = kind;
        this.paramLabel = paramLabel;
        this.help = help;
        this.envKeys = envKeys;
        this.only = only;
        this.names = List.of(names);
    }

    /** Whether {@code action} takes this option (most options belong to all four actions; {@code --shell} to one). */
    public boolean appliesTo(Action action) {
        return only == null || only == action;
    }

    private static List<String> keys(String... keys) {
        return List.of(keys);
    }

    public Kind kind() {
        return kind;
    }

    /** The value's placeholder in help ({@code DIR}); null for flags. */
    public String paramLabel() {
        return paramLabel;
    }

    public String help() {
        return help;
    }

    /** Apptainer's environment keys, without prefix ({@code BIND}); empty when no variable sets it. */
    public List<String> envKeys() {
        return envKeys;
    }

    /** All names; the first is the canonical long name, the others aliases ({@code -B}). */
    public List<String> names() {
        return names;
    }

    public String canonicalName() {
        return names.get(0);
    }

    /** The option states what jsing always does ({@code --userns}): accepted, and changes nothing. */
    public boolean alwaysOn() {
        return this == USERNS;
    }

    /** Environment values are added to the command line's (Apptainer's {@code EnvAppendValue}), not replaced by it. */
    public boolean envAppends() {
        return this == BIND || this == MOUNT;
    }

    /** The option of {@code action} named {@code name} ({@code --bind}, {@code -B}), or null. */
    public static ActionOption byName(Action action, String name) {
        for (ActionOption o : values()) {
            if (o.names.contains(name) && o.appliesTo(action)) {
                return o;
            }
        }
        return null;
    }

    /**
     * What is wrong with {@code value} for this option, or null when it is acceptable: the checks that need nothing but
     * the value itself (the planner checks paths against the host and the image).
     */
    public String problem(String value) {
        return switch (this) {
            case NO_MOUNT -> {
                for (String m : value.split(",")) {
                    if (!m.isBlank() && !NoMountNames.valid(m.trim())) {
                        yield "'" + m.trim() + "' is not " + NoMountNames.DESCRIPTION;
                    }
                }
                yield null;
            }
            case OVERLAY -> {
                for (String v : value.split(",", -1)) {
                    if (v.isEmpty() || v.equals(":ro") || v.equals(":rw")) {
                        yield "an empty path";
                    }
                    if (v.contains(":") && !v.endsWith(":ro") && !v.endsWith(":rw")) {
                        yield "'" + v + "': the only suffixes are :ro and :rw";
                    }
                }
                yield null;
            }
            case HOSTNAME ->
                value.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,62})")
                        ? null
                        : "'" + value + "' is not a host name (letters, digits, '.' and '-', at most 63)";
            case HOME, CWD, PWD, WORKDIR, SCRATCH, SHELL, ENV_FILE -> value.isEmpty() ? "an empty path" : null;
            case TMPFS_SIZE ->
                value.matches("[1-9][0-9]{0,6}")
                        ? null
                        : "'" + value + "' is not a size in MiB (a whole number from 1 to 9999999)";
            case BIND,
                    MOUNT,
                    ENV,
                    NO_HOME,
                    CONTAIN,
                    CONTAINALL,
                    CLEANENV,
                    WRITABLE_TMPFS,
                    WRITABLE,
                    FAKEROOT,
                    IGNORE_SUBUID,
                    PID,
                    IPC,
                    UTS,
                    USERNS,
                    UNSQUASH,
                    NO_HTTPS,
                    NO_JOIN -> null;
        };
    }

    /** Whether the option may be given once only (a second one would be silently lost otherwise). */
    public boolean once() {
        return false;
    }

    /**
     * Applies the option to {@code b}: {@code value} is the option's value, or null for a flag given on the command line.
     * Flags from the environment are applied only when true (see {@link ActionEnvironment}).
     */
    public LaunchRequest.Builder apply(LaunchRequest.Builder b, String value) {
        return switch (this) {
            case BIND -> b.bind(value);
            case MOUNT -> b.mount(value);
            case HOME -> b.home(value);
            case NO_HOME -> b.noHome(true);
            case CONTAIN -> b.contain(true);
            case CONTAINALL -> b.containAll(true);
            case CLEANENV -> b.cleanEnv(true);
            case ENV -> b.env(value);
            case ENV_FILE -> b.envFile(value);
            case CWD, PWD -> b.cwd(value);
            case SCRATCH -> b.scratch(value);
            case WORKDIR -> b.workdir(value);
            case WRITABLE_TMPFS -> b.writableTmpfs(true);
            case TMPFS_SIZE -> b.tmpfsSizeMb(Integer.parseInt(value));
            case WRITABLE -> b.writable(true);
            case FAKEROOT -> b.fakeroot(true);
            case IGNORE_SUBUID -> b.ignoreSubuid(true);
            case OVERLAY -> {
                for (String v : value.split(",")) { // a list, as Apptainer's string slice
                    b.overlay(v);
                }
                yield b;
            }
            case NO_MOUNT -> b.noMount(value);
            case PID -> b.pid(true);
            case IPC -> b.ipc(true);
            case HOSTNAME -> b.hostname(value);
            case UTS -> b.uts(true);
            case USERNS -> b;
            case SHELL -> b.shell(value);
            case UNSQUASH -> b.unsquash(true);
            case NO_HTTPS -> b.noHttps(true);
            case NO_JOIN -> b.join(false);
        };
    }
}
