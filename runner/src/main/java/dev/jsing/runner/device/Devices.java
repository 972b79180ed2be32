package dev.jsing.runner.device;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans the devices of a launch: {@code --nv} and {@code --rocm} as Apptainer's legacy GPU setup does it (the driver
 * files of {@code nvliblist.conf} / {@code rocmliblist.conf}, the device nodes), {@code --nvccli} by delegating to
 * {@code nvidia-container-cli}, and CDI devices ({@code --device}) from their specs.
 */
public final class Devices {
    private Devices() {}

    /**
     * The setup for {@code req}.
     *
     * @param host the host's files
     * @param env the caller's environment ({@code PATH} finds the programs; {@code NVIDIA_*} for {@code --nvccli})
     * @param siteDir the site configuration directory (its {@code nvliblist.conf} wins over the shipped one)
     * @param hostDev the container has the host's whole {@code /dev} (device nodes then need no binds)
     * @param contain {@code --contain}
     */
    public static DeviceSetup plan(
            DeviceRequest req,
            DeviceHost host,
            Map<String, String> env,
            String siteDir,
            boolean hostDev,
            boolean contain) {
        if (!req.any()) {
            return DeviceSetup.NONE;
        }
        List<String> libs = new ArrayList<>();
        List<DeviceSetup.Bind> files = new ArrayList<>();
        Set<String> nodes = new LinkedHashSet<>();
        List<DeviceSetup.Bind> devices = new ArrayList<>();
        List<DeviceSetup.Bind> mounts = new ArrayList<>();
        List<String> cdiEnv = new ArrayList<>();
        List<DeviceSetup.Hook> hooks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean writable = false;
        String path = env.get("PATH");

        if (req.nvidia() && req.nvccli()) {
            String cli = GpuFiles.onPath(host, "nvidia-container-cli", path);
            if (cli == null) {
                cli = GpuFiles.onPath(host, "nvidia-container-cli", "/usr/bin:/usr/local/bin:/bin");
            }
            if (cli == null) {
                throw new JsingException(
                        ExitCodes.UNAVAILABLE,
                        "--nvccli: nvidia-container-cli is not installed (not found on PATH); use --nv without --nvccli");
            }
            hooks.add(NvCli.hook(cli, host, env, contain, warnings));
            writable = true;
        } else if (req.nvidia()) {
            GpuFiles f = GpuFiles.find(host, LibList.load(host, siteDir, "nvliblist.conf"), path);
            if (f.libraries().isEmpty()) {
                warnings.add("--nv: no NVIDIA driver libraries found on this host (nvliblist.conf names, ld.so cache);"
                        + " the container runs without them");
            }
            libs.addAll(f.libraries());
            files.addAll(f.files());
            for (String n : host.list("/dev")) {
                if (n.startsWith("nvidia")) {
                    nodes.add("/dev/" + n);
                }
            }
            if (host.isDirectory("/dev/dri")) {
                nodes.add("/dev/dri");
            }
        }
        if (req.amd()) {
            GpuFiles f = GpuFiles.find(host, LibList.load(host, siteDir, "rocmliblist.conf"), path);
            if (f.libraries().isEmpty()) {
                warnings.add("--rocm: no ROCm libraries found on this host (rocmliblist.conf names, ld.so cache);"
                        + " the container runs without them");
            }
            for (String l : f.libraries()) {
                if (libs.stream().noneMatch(x -> GpuFiles.base(x).equals(GpuFiles.base(l)))) {
                    libs.add(l);
                }
            }
            for (DeviceSetup.Bind b : f.files()) {
                if (!files.contains(b)) {
                    files.add(b);
                }
            }
            for (String n : List.of("/dev/dri", "/dev/kfd")) {
                if (host.exists(n)) {
                    nodes.add(n);
                }
            }
        }
        if (!hostDev) {
            for (String n : nodes) {
                devices.add(new DeviceSetup.Bind(n, n, false));
            }
        }

        List<String> names = req.deviceNames();
        if (!names.isEmpty()) {
            CdiRegistry reg = CdiRegistry.load(host, req.specDirs());
            List<CdiSpec> specsDone = new ArrayList<>();
            for (CdiRegistry.Resolved r : reg.resolve(names)) {
                if (!specsDone.contains(r.spec())) {
                    specsDone.add(r.spec());
                    apply(r.spec(), r.spec().edits(), host, hostDev, devices, mounts, cdiEnv, hooks);
                }
                apply(r.spec(), r.device().edits(), host, hostDev, devices, mounts, cdiEnv, hooks);
            }
        }
        return new DeviceSetup(libs, files, devices, mounts, cdiEnv, hooks, warnings, writable);
    }

    private static void apply(
            CdiSpec spec,
            CdiSpec.Edits e,
            DeviceHost host,
            boolean hostDev,
            List<DeviceSetup.Bind> devices,
            List<DeviceSetup.Bind> mounts,
            List<String> env,
            List<DeviceSetup.Hook> hooks) {
        for (CdiSpec.Node n : e.nodes()) {
            if (!host.exists(n.hostPath())) {
                throw CdiSpec.bad(spec.file(), "device node " + n.hostPath() + " does not exist on this host");
            }
            boolean inHostDev = n.path().startsWith("/dev/");
            if (hostDev && inHostDev && n.path().equals(n.hostPath())) {
                continue; // the host's /dev is the container's: the node is there already
            }
            if (hostDev && inHostDev && !host.exists(n.path())) {
                throw new JsingException(
                        ExitCodes.BAD_MOUNT,
                        "CDI spec " + spec.file() + ": device node " + n.path() + " (from " + n.hostPath()
                                + ") cannot be added to the host's /dev; use --contain (a /dev of the container's own)");
            }
            DeviceSetup.Bind b = new DeviceSetup.Bind(n.hostPath(), n.path(), false);
            if (!devices.contains(b)) {
                devices.add(b);
            }
        }
        for (DeviceSetup.Bind m : e.mounts()) {
            if (!host.exists(m.source())) {
                throw CdiSpec.bad(spec.file(), "mount source " + m.source() + " does not exist on this host");
            }
            if (!mounts.contains(m)) {
                mounts.add(m);
            }
        }
        env.addAll(e.env());
        hooks.addAll(e.hooks());
    }
}
