package dev.jsing.runner.launch;

import dev.jsing.slurm.LaunchEnvironment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One container per node per job step: when {@link LaunchEnvironment#shouldJoin()} (a Slurm step or an mpirun rank
 * with local peers), the starter gets {@code --join KEY PEERS RANK} (see {@code runner/src/main/c/join.c}): the first
 * rank on the node builds the container and the others enter its namespaces. {@code --no-join} (or {@code
 * JSING_JOIN=0}) opts out. Not with {@code --pid}, {@code --ipc}, {@code --hostname}, {@code --net}, resource
 * limits or an extracted temporary sandbox, which are per-process by nature.
 */
public final class HpcJoin {
    private HpcJoin() {}

    /** The {@code --join} arguments for this launch, or none. */
    static List<String> args(LaunchRequest req, LaunchPlan plan, Map<String, String> env) {
        if (Boolean.FALSE.equals(req.join()) || "0".equals(env.get("JSING_JOIN"))) {
            return List.of();
        }
        if (plan.pid()
                || plan.ipc()
                || plan.hostname() != null
                || plan.removeAfterExit() != null
                || plan.network() != null
                || !plan.limits().isEmpty()) {
            return List.of();
        }
        LaunchEnvironment le = LaunchEnvironment.from(env);
        if (!le.shouldJoin()) {
            return List.of();
        }
        // Ranks of one step share a container only when they run the same image the same way.
        String what = plan.rootfs().file() + "\0" + plan.rootfs().offset() + "\0" + plan.mounts() + "\0"
                + plan.writableTmpfsMb() + "\0" + plan.overlayDir() + "\0" + plan.cwd()
                + (plan.rootfs().layers().isEmpty() ? "" : "\0" + plan.rootfs().layers())
                + (plan.hooks().isEmpty() ? "" : "\0" + plan.hooks());
        String key = le.stepKey().orElseThrow() + "-" + Long.toHexString(fnv1a(what));
        return List.of(
                "--join",
                key,
                String.valueOf(le.localPeers().getAsInt()),
                String.valueOf(le.localRank().getAsInt()));
    }

    /** {@code inv} with the {@code --join} arguments inserted after the starter's path (options' order is free). */
    static StarterInvocation apply(StarterInvocation inv, LaunchRequest req, LaunchPlan plan, Map<String, String> env) {
        List<String> join = args(req, plan, env);
        if (join.isEmpty()) {
            return inv;
        }
        List<String> argv = new ArrayList<>(inv.argv());
        argv.addAll(1, join);
        return new StarterInvocation(inv.starter(), argv, inv.env(), inv.sessionDir());
    }

    private static long fnv1a(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
