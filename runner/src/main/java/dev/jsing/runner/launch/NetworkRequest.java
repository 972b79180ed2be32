package dev.jsing.runner.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * The network options as given: {@code --net}, {@code --network}, {@code --network-args}, {@code --dns},
 * {@code --netns-path}. {@link NetworkPlan#of} checks them against the host. Immutable; {@link #NONE}: the host's
 * network, nothing asked.
 */
public record NetworkRequest(boolean net, String network, List<String> args, List<String> dns, String netnsPath) {
    public static final NetworkRequest NONE = new NetworkRequest(false, null, List.of(), List.of(), null);

    public NetworkRequest {
        args = List.copyOf(args);
        dns = List.copyOf(dns);
    }

    /** This request with the option {@code option} ({@code --net}, ...) applied; {@code value} null for a flag. */
    public NetworkRequest with(String option, String value) {
        List<String> a = new ArrayList<>(args);
        List<String> d = new ArrayList<>(dns);
        return switch (option) {
            case "--net" -> new NetworkRequest(true, network, args, dns, netnsPath);
            case "--network" -> new NetworkRequest(net, value, args, dns, netnsPath);
            case "--network-args" -> {
                a.add(value);
                yield new NetworkRequest(net, network, a, dns, netnsPath);
            }
            case "--dns" -> {
                for (String s : value.split(",")) {
                    if (!s.isBlank()) {
                        d.add(s.trim());
                    }
                }
                yield new NetworkRequest(net, network, args, d, netnsPath);
            }
            case "--netns-path" -> new NetworkRequest(net, network, args, dns, value);
            default -> throw new IllegalArgumentException(option);
        };
    }

    /** Whether the container gets a network namespace of its own ({@code --network} implies {@code --net}). */
    public boolean ownNamespace() {
        return net || network != null || netnsPath != null;
    }

    /** What is wrong with {@code value} for {@code option}, or null: the checks of the value alone. */
    public static String problem(String option, String value) {
        return switch (option) {
            case "--network" -> {
                for (String n : value.split(",")) {
                    if (!n.equals("none") && !n.equals("slirp")) {
                        yield "'" + n + "': jsing offers none and slirp (the other networks are CNI plugins, which need"
                                + " root or a setuid installation)";
                    }
                }
                yield value.contains(",") ? "one network only (none or slirp)" : null;
            }
            case "--network-args" -> {
                for (String a : value.split(";")) {
                    if (!a.isBlank() && NetworkPlan.portmap(a.trim()) == null) {
                        yield "'" + a.trim() + "': only portmap=HOST:CONTAINER/tcp|udp is supported (no CNI)";
                    }
                }
                yield null;
            }
            case "--dns" -> {
                for (String s : value.split(",")) {
                    if (!s.isBlank() && !ipLiteral(s.trim())) {
                        yield "'" + s.trim() + "' is not an IPv4 or IPv6 address";
                    }
                }
                yield null;
            }
            case "--netns-path" -> value.isEmpty() ? "an empty path" : null;
            case "--net" -> null;
            default -> throw new IllegalArgumentException(option);
        };
    }

    static boolean ipLiteral(String s) {
        if (s.matches("(\\d{1,3})(\\.\\d{1,3}){3}")) {
            for (String o : s.split("\\.")) {
                if (Integer.parseInt(o) > 255) {
                    return false;
                }
            }
            return true;
        }
        return s.contains(":") && s.matches("[0-9A-Fa-f:.]+") && s.length() <= 45;
    }
}
