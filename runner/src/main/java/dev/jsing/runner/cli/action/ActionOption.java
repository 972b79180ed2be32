package dev.jsing.runner.cli.action;

import dev.jsing.runner.cgroup.Limits;
import dev.jsing.runner.config.NoMountNames;
import dev.jsing.runner.launch.ContainerEnvironment;
import dev.jsing.runner.launch.LaunchRequest;
import dev.jsing.runner.launch.NetworkRequest;
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
    ENV(
            Kind.LIST,
            "K=V[,K=V...]",
            "Set variables inside (wins over the image; evaluated by the container's shell).",
            keys(),
            "--env"),
    ENV_FILE(Kind.LIST, "FILE", "Read K=V lines into the container's environment.", keys("ENV_FILE"), "--env-file"),
    NO_ENV(Kind.LIST, "LIST", "Host variables not to pass into the container (comma list).", keys("NOENV"), "--no-env"),
    NO_EVAL(
            Kind.FLAG,
            null,
            "Take --env, --env-file and APPTAINERENV_ values literally (no shell evaluation).",
            keys("NO_EVAL"),
            "--no-eval"),
    NO_UMASK(Kind.FLAG, null, "Start with umask 0022 instead of yours.", keys("NO_UMASK"), "--no-umask"),
    APP(
            Kind.VALUE,
            "NAME",
            "Run the SCIF app NAME (its environment, runscript, test).",
            keys("APP", "APPNAME"),
            "--app"),
    DISABLE_CACHE(
            Kind.FLAG,
            null,
            "Neither use nor fill the cache (a registry image is pulled into a temporary directory).",
            keys("DISABLE_CACHE"),
            "--disable-cache"),
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
    PID(Kind.FLAG, null, "New PID namespace, under a small init (PID 1).", keys("PID", "UNSHARE_PID"), "--pid", "-p"),
    NO_PID(Kind.FLAG, null, "No new PID namespace, even with --pid or --containall.", keys("NO_PID"), "--no-pid"),
    NO_INIT(
            Kind.FLAG,
            null,
            "With --pid, no init: the command itself is PID 1 (it must reap and handle signals).",
            keys("NOSHIMINIT"),
            "--no-init"),
    IPC(Kind.FLAG, null, "New IPC namespace.", keys("IPC", "UNSHARE_IPC"), "--ipc", "-i"),
    HOSTNAME(Kind.VALUE, "NAME", "New UTS namespace with this host name.", keys("HOSTNAME"), "--hostname"),
    UTS(
            Kind.FLAG,
            null,
            "New UTS namespace (the host's name, unless --hostname).",
            keys("UTS", "UNSHARE_UTS"),
            "--uts"),
    NET(
            Kind.FLAG,
            null,
            "New network namespace (--network none, unless given).",
            keys("NET", "UNSHARE_NET"),
            "--net",
            "-n"),
    NETWORK(
            Kind.VALUE,
            "none|slirp",
            "Network of --net: none (only lo) or slirp (user-mode, through slirp4netns).",
            keys("NETWORK"),
            "--network"),
    NETWORK_ARGS(
            Kind.LIST,
            "portmap=H:C/tcp",
            "With --network slirp: forward host port H to container port C.",
            keys("NETWORK_ARGS"),
            "--network-args"),
    DNS(Kind.VALUE, "IP[,IP]", "Name servers for the container's resolv.conf.", keys("DNS"), "--dns"),
    NETNS_PATH(
            Kind.VALUE,
            "PATH",
            "Join a network namespace (refused: needs privilege).",
            keys("NETNS_PATH"),
            "--netns-path"),
    MEMORY(Kind.VALUE, "SIZE", "Memory limit (512m, 2g).", keys("MEMORY"), "--memory"),
    MEMORY_RESERVATION(Kind.VALUE, "SIZE", "Memory soft limit.", keys("MEMORY_RESERVATION"), "--memory-reservation"),
    MEMORY_SWAP(
            Kind.VALUE, "SIZE", "Memory plus swap limit (-1: unlimited swap).", keys("MEMORY_SWAP"), "--memory-swap"),
    OOM_KILL_DISABLE(
            Kind.FLAG, null, "Disable the OOM killer (cgroup v1).", keys("OOM_KILL_DISABLE"), "--oom-kill-disable"),
    CPUS(Kind.VALUE, "N", "CPU quota in CPUs (1.5).", keys("CPUS"), "--cpus"),
    CPU_SHARES(Kind.VALUE, "N", "CPU shares (relative weight).", keys("CPU_SHARES"), "--cpu-shares"),
    CPUSET_CPUS(Kind.VALUE, "LIST", "Host CPUs the container may use (0-3,8).", keys("CPUSET_CPUS"), "--cpuset-cpus"),
    CPUSET_MEMS(Kind.VALUE, "LIST", "Memory nodes the container may use.", keys("CPUSET_MEMS"), "--cpuset-mems"),
    PIDS_LIMIT(Kind.VALUE, "N", "Most processes and threads (-1: unlimited).", keys("PIDS_LIMIT"), "--pids-limit"),
    BLKIO_WEIGHT(Kind.VALUE, "N", "Block I/O weight, 10-1000 (0: none).", keys("BLKIO_WEIGHT"), "--blkio-weight"),
    APPLY_CGROUPS(
            Kind.VALUE,
            "FILE",
            "Limits from an Apptainer cgroups TOML file.",
            keys("APPLY_CGROUPS"),
            "--apply-cgroups"),
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
            "--no-join"),
    NV(Kind.FLAG, null, "NVIDIA GPUs: the host's driver libraries, programs and /dev/nvidia*.", keys("NV"), "--nv"),
    NVCCLI(
            Kind.FLAG,
            null,
            "NVIDIA GPU setup by nvidia-container-cli (implies --nv and --writable-tmpfs).",
            keys("NVCCLI"),
            "--nvccli"),
    NO_NV(Kind.FLAG, null, "Cancel --nv (set by the environment, say).", keys("NV_OFF", "NO_NV"), "--no-nv"),
    ROCM(
            Kind.FLAG,
            null,
            "AMD GPUs: the host's ROCm libraries, programs, /dev/kfd and /dev/dri.",
            keys("ROCM"),
            "--rocm"),
    NO_ROCM(Kind.FLAG, null, "Cancel --rocm.", keys("ROCM_OFF", "NO_ROCM"), "--no-rocm"),
    DEVICE(
            Kind.LIST,
            "VENDOR/CLASS=NAME",
            "A CDI device (comma lists; NAME 'all': every device of the kind).",
            keys(),
            "--device"),
    CDI_DIRS(
            Kind.LIST,
            "DIR",
            "Directories of CDI specs (comma lists; default /etc/cdi,/var/run/cdi).",
            keys(),
            "--cdi-dirs");

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
            case HOME, CWD, PWD, WORKDIR, SCRATCH, SHELL, ENV_FILE, APPLY_CGROUPS ->
                value.isEmpty() ? "an empty path" : null;
            case NETWORK, NETWORK_ARGS, DNS, NETNS_PATH -> NetworkRequest.problem(canonicalName(), value);
            case MEMORY,
                    MEMORY_RESERVATION,
                    MEMORY_SWAP,
                    CPUS,
                    CPU_SHARES,
                    CPUSET_CPUS,
                    CPUSET_MEMS,
                    PIDS_LIMIT,
                    BLKIO_WEIGHT -> Limits.problem(canonicalName(), value);
            case ENV -> ContainerEnvironment.envOptionProblem(value);
            case APP ->
                value.matches("[A-Za-z0-9_.-]+") && !value.startsWith(".")
                        ? null
                        : "'" + value + "' is not an app name (letters, digits, '_', '.' and '-')";
            case NO_ENV -> {
                for (String k : value.split(",")) {
                    if (!k.isBlank() && !ContainerEnvironment.validName(k.trim())) {
                        yield "'" + k.trim() + "' is not a variable name";
                    }
                }
                yield null;
            }
            case TMPFS_SIZE ->
                value.matches("[1-9][0-9]{0,6}")
                        ? null
                        : "'" + value + "' is not a size in MiB (a whole number from 1 to 9999999)";
            case BIND,
                    MOUNT,
                    NO_EVAL,
                    NO_UMASK,
                    DISABLE_CACHE,
                    NO_HOME,
                    CONTAIN,
                    CONTAINALL,
                    CLEANENV,
                    WRITABLE_TMPFS,
                    WRITABLE,
                    FAKEROOT,
                    IGNORE_SUBUID,
                    PID,
                    NO_PID,
                    NO_INIT,
                    IPC,
                    UTS,
                    NET,
                    OOM_KILL_DISABLE,
                    USERNS,
                    UNSQUASH,
                    NO_HTTPS,
                    NO_JOIN,
                    NV,
                    NVCCLI,
                    NO_NV,
                    ROCM,
                    NO_ROCM -> null;
            case DEVICE -> value.isBlank() ? "an empty device name" : null;
            case CDI_DIRS -> value.isBlank() ? "an empty path" : null;
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
            case NO_ENV -> b.noEnv(value);
            case NO_EVAL -> b.noEval(true);
            case NO_UMASK -> b.noUmask(true);
            case APP -> b.app(value);
            case DISABLE_CACHE -> b.disableCache(true);
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
            case NO_PID -> b.noPid(true);
            case NO_INIT -> b.noInit(true);
            case IPC -> b.ipc(true);
            case HOSTNAME -> b.hostname(value);
            case UTS -> b.uts(true);
            case NET, NETWORK, NETWORK_ARGS, DNS, NETNS_PATH -> b.network(canonicalName(), value);
            case MEMORY,
                    MEMORY_RESERVATION,
                    MEMORY_SWAP,
                    OOM_KILL_DISABLE,
                    CPUS,
                    CPU_SHARES,
                    CPUSET_CPUS,
                    CPUSET_MEMS,
                    PIDS_LIMIT,
                    BLKIO_WEIGHT,
                    APPLY_CGROUPS -> b.limit(canonicalName(), value);
            case USERNS -> b;
            case SHELL -> b.shell(value);
            case UNSQUASH -> b.unsquash(true);
            case NO_HTTPS -> b.noHttps(true);
            case NO_JOIN -> b.join(false);
            case NV -> b.nv(true);
            case NVCCLI -> b.nvccli(true);
            case NO_NV -> b.noNv(true);
            case ROCM -> b.rocm(true);
            case NO_ROCM -> b.noRocm(true);
            case DEVICE -> b.device(value);
            case CDI_DIRS -> b.cdiDirs(value);
        };
    }
}
