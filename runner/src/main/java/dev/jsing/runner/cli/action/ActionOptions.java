package dev.jsing.runner.cli.action;

import dev.jsing.runner.launch.LaunchRequest;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options shared by exec, run, shell and test (Apptainer's action flags). */
public final class ActionOptions {
  @Option(names = {"-B", "--bind"}, paramLabel = "SRC[:DST[:ro|rw]]", description = "Bind a host path (comma lists; \\, and \\: escape).")
  List<String> binds = new ArrayList<>();

  @Option(names = "--mount", paramLabel = "type=bind,src=..,dst=..[,ro]", description = "Bind mount, Docker syntax.")
  List<String> mounts = new ArrayList<>();

  @Option(names = {"-H", "--home"}, paramLabel = "SRC[:DST]", description = "Home directory to mount (default: your home).")
  String home;

  @Option(names = "--no-home", description = "Do not mount the home directory.")
  boolean noHome;

  @Option(names = {"-c", "--contain"}, description = "Private /tmp, /var/tmp and home; minimal /dev.")
  boolean contain;

  @Option(names = {"-C", "--containall"}, description = "--contain, --pid, --ipc and --cleanenv.")
  boolean containAll;

  @Option(names = {"-e", "--cleanenv"}, description = "Do not pass the host environment.")
  boolean cleanEnv;

  @Option(names = "--env", paramLabel = "K=V", description = "Set a variable inside (wins over the image).")
  List<String> envs = new ArrayList<>();

  @Option(names = "--env-file", paramLabel = "FILE", description = "Read K=V lines into the container's environment.")
  List<String> envFiles = new ArrayList<>();

  @Option(names = {"--cwd", "--pwd"}, paramLabel = "DIR", description = "Working directory inside.")
  String cwd;

  @Option(names = {"-S", "--scratch"}, paramLabel = "DIR", description = "A fresh directory at DIR (in --workdir when given).")
  List<String> scratch = new ArrayList<>();

  @Option(names = {"-W", "--workdir"}, paramLabel = "DIR", description = "Host directory for --contain's /tmp, /var/tmp, home and --scratch.")
  String workdir;

  @Option(names = "--writable-tmpfs", description = "Writable root filesystem; changes vanish at exit.")
  boolean writableTmpfs;

  @Option(names = "--overlay", paramLabel = "DIR", description = "Persistent writable layer directory.")
  String overlay;

  @Option(names = "--no-mount", paramLabel = "LIST", description = "Skip mounts: proc,sys,dev,home,tmp,cwd,bind-paths,/path.")
  List<String> noMount = new ArrayList<>();

  @Option(names = {"-p", "--pid"}, description = "New PID namespace.")
  boolean pid;

  @Option(names = {"-i", "--ipc"}, description = "New IPC namespace.")
  boolean ipc;

  @Option(names = "--hostname", paramLabel = "NAME", description = "New UTS namespace with this host name.")
  String hostname;

  @Option(names = "--unsquash", description = "Extract the image to a temporary sandbox instead of mounting it.")
  boolean unsquash;

  @Option(names = "--no-https", description = "Plain HTTP to the registry of a docker:// or oras:// image.")
  boolean noHttps;

  @Option(names = "--no-join", description = "In an MPI job step, run a container of this rank's own instead of sharing one per node.")
  boolean noJoin;

  private boolean debug;

  /** Set by the entry point from the global {@code --debug}. */
  public void debug(boolean d) {
    debug = d;
  }

  /** The launch request for {@code action} on {@code image} with payload {@code args}. */
  public LaunchRequest toRequest(String action, String image, List<String> args) {
    if (noHttps) {
      dev.jsing.runner.registry.RegistrySettings.set(dev.jsing.runner.registry.RegistrySettings.of(true, null, null, false));
    }
    LaunchRequest.Builder b =
        LaunchRequest.builder(action, image)
            .args(args == null ? List.of() : args)
            .home(home)
            .noHome(noHome)
            .contain(contain)
            .containAll(containAll)
            .cleanEnv(cleanEnv)
            .cwd(cwd)
            .workdir(workdir)
            .writableTmpfs(writableTmpfs)
            .overlay(overlay)
            .pid(pid)
            .ipc(ipc)
            .hostname(hostname)
            .unsquash(unsquash)
            .debug(debug);
    binds.forEach(b::bind);
    mounts.forEach(b::mount);
    envs.forEach(b::env);
    envFiles.forEach(b::envFile);
    scratch.forEach(b::scratch);
    noMount.forEach(b::noMount);
    if (noJoin) {
      b.join(false);
    }
    return b.build();
  }
}
