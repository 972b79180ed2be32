package dev.jsing.runner.launch;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container's network namespace: {@code none} (only {@code lo}, up) or {@code slirp} (slirp4netns, run by the
 * starter from the host's namespaces: {@code tap0} 10.0.2.100/24, the host's loopback at 10.0.2.2, DNS at
 * 10.0.2.3), with host ports forwarded into it. Null in the plan when the container shares the host's network.
 *
 * @param slirp the slirp4netns program, or null for {@code none}
 * @param portmaps host port, container port, protocol
 */
public record NetworkPlan(String slirp, List<Portmap> portmaps) {
    /** {@code portmap=HOST:CONTAINER/PROTO} of {@code --network-args}. */
    public record Portmap(int host, int container, String proto) {
        @Override
        public String toString() {
            return host + ":" + container + "/" + proto;
        }
    }

    /** The slirp nameserver the container's resolv.conf names when no {@code --dns} is given. */
    static final String SLIRP_DNS = "10.0.2.3";

    private static final Pattern PORTMAP = Pattern.compile("portmap=(\\d{1,5}):(\\d{1,5})(?:/(tcp|udp))?");

    public NetworkPlan {
        portmaps = List.copyOf(portmaps);
    }

    /** The plan for {@code req}, or null for the host's network; the slirp program is looked up through {@code files}. */
    static NetworkPlan of(NetworkRequest req, Map<String, String> env, HostFiles files) {
        if (req.netnsPath() != null) {
            if (!files.exists(req.netnsPath())) {
                throw new JsingException(ExitCodes.NOT_FOUND, "--netns-path: " + req.netnsPath() + " does not exist");
            }
            // setns(CLONE_NEWNET) needs CAP_SYS_ADMIN over the namespace's owner: root, or (Apptainer) a setuid
            // starter with 'allow netns paths'. A new user namespace of the caller owns no existing one.
            throw new JsingException(
                    ExitCodes.ISOLATION_UNAVAILABLE,
                    "--netns-path " + req.netnsPath() + ": joining an existing network namespace needs privilege"
                            + " (Apptainer allows it to root, or to users its setuid mode lists in 'allow netns"
                            + " paths'); jsing has no setuid mode: use --network none or slirp");
        }
        if (!req.ownNamespace()) {
            if (!req.args().isEmpty()) {
                throw new JsingException(ExitCodes.USAGE, "--network-args needs --net --network slirp");
            }
            return null;
        }
        String network = req.network() == null ? "none" : req.network();
        List<Portmap> maps = new ArrayList<>();
        for (String a : req.args()) {
            for (String one : a.split(";")) {
                if (!one.isBlank()) {
                    Portmap m = portmap(one.trim());
                    if (m == null) {
                        throw new JsingException(
                                ExitCodes.USAGE,
                                "--network-args '" + one.trim() + "': only portmap=HOST:CONTAINER/PROTO");
                    }
                    maps.add(m);
                }
            }
        }
        if (network.equals("none")) {
            if (!maps.isEmpty()) {
                throw new JsingException(
                        ExitCodes.USAGE,
                        "--network-args portmap needs --network slirp (none has no" + " interface to forward to)");
            }
            return new NetworkPlan(null, List.of());
        }
        String slirp = find(env, files);
        if (slirp == null) {
            throw new JsingException(
                    ExitCodes.ISOLATION_UNAVAILABLE,
                    "--network slirp: slirp4netns not found in PATH (install the slirp4netns package)");
        }
        return new NetworkPlan(slirp, maps);
    }

    /** The portmap of one {@code --network-args} item, or null when it is not one. */
    static Portmap portmap(String arg) {
        Matcher m = PORTMAP.matcher(arg);
        if (!m.matches()) {
            return null;
        }
        int h = Integer.parseInt(m.group(1));
        int c = Integer.parseInt(m.group(2));
        if (h < 1 || h > 65535 || c < 1 || c > 65535) {
            return null;
        }
        return new Portmap(h, c, m.group(3) == null ? "tcp" : m.group(3));
    }

    private static String find(Map<String, String> env, HostFiles files) {
        List<String> dirs = new ArrayList<>(
                List.of(env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")));
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        for (String d : dirs) {
            if (d.startsWith("/") && files.isRegularFile(d + "/slirp4netns")) {
                return d + "/slirp4netns";
            }
        }
        return null;
    }

    /** For the golden files and {@code --debug}. */
    public String describe() {
        return slirp == null ? "none (lo)" : "slirp " + slirp + (portmaps.isEmpty() ? "" : " portmap " + portmaps);
    }
}
