package dev.jsing.runner.device;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --nvccli}: the container's GPU setup delegated to {@code nvidia-container-cli --user configure ... ROOTFS},
 * run by the starter once the container's mounts are made (a {@code create} hook with the root appended), with
 * Apptainer's flags from the {@code NVIDIA_*} variables ({@code internal/pkg/util/gpu/nvidia.go}).
 */
final class NvCli {
    private NvCli() {}

    private static final List<String> CAPABILITIES =
            List.of("compute", "compat32", "graphics", "utility", "video", "display");

    static DeviceSetup.Hook hook(
            String cli, DeviceHost host, Map<String, String> env, boolean contain, List<String> warnings) {
        Map<String, String> nv = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith("NVIDIA_")) {
                nv.put(e.getKey(), e.getValue());
            }
        }
        if (nv.getOrDefault("NVIDIA_VISIBLE_DEVICES", "").isEmpty()) {
            if (contain) {
                warnings.add("--nvccli with --contain: NVIDIA_VISIBLE_DEVICES is not set, so no GPU is made available");
            } else {
                nv.put("NVIDIA_VISIBLE_DEVICES", "all"); // as Apptainer: the legacy binding's "every GPU"
            }
        }
        List<String> args = new ArrayList<>(List.of(cli, "--user", "configure", "--no-cgroups"));
        boolean defaultCaps = true;
        List<String> require = new ArrayList<>();
        for (Map.Entry<String, String> e : nv.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (v.isEmpty()) {
                continue;
            }
            switch (k) {
                case "NVIDIA_VISIBLE_DEVICES" -> args.add("--device=" + v);
                case "NVIDIA_MIG_CONFIG_DEVICES" -> args.add("--mig-config=" + v);
                case "NVIDIA_MIG_MONITOR_DEVICES" -> args.add("--mig-monitor=" + v);
                case "NVIDIA_DRIVER_CAPABILITIES" -> {
                    defaultCaps = false;
                    for (String c : v.split(",")) {
                        if (!CAPABILITIES.contains(c)) {
                            throw new JsingException(
                                    ExitCodes.USAGE, "--nvccli: unknown NVIDIA_DRIVER_CAPABILITIES value '" + c + "'");
                        }
                        args.add("--" + c);
                    }
                }
                default -> {
                    if (k.startsWith("NVIDIA_REQUIRE_")) {
                        require.add("--require=" + v);
                    }
                }
            }
        }
        if (defaultCaps) {
            args.add("--compute");
            args.add("--utility");
        }
        if (!nv.containsKey("NVIDIA_DISABLE_REQUIRE")) {
            args.addAll(require);
        }
        for (String ld : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (host.isExecutable(ld)) {
                args.add("--ldconfig=@" + ld);
                break;
            }
        }
        List<String> henv = new ArrayList<>();
        henv.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for (Map.Entry<String, String> e : nv.entrySet()) {
            henv.add(e.getKey() + "=" + e.getValue());
        }
        return new DeviceSetup.Hook("create", cli, args, henv, 0, true);
    }
}
