package dev.jsing.runner.launch;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs the starter of a new instance as a child ({@code --instance}: it detaches the instance and exits once the
 * instance is up, printing the init's and the monitor's pids), rather than replacing the JVM with it: the command
 * then records the instance. The starter's stderr is ours, so its error line reaches the user as it would from a
 * launch.
 */
final class InstanceStarter {
    private InstanceStarter() {}

    static InstanceLaunch.Started start(StarterInvocation inv) {
        ProcessBuilder pb = new ProcessBuilder(inv.argv());
        pb.environment().clear();
        for (String kv : inv.env()) {
            int eq = kv.indexOf('=');
            pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
        System.err.flush();
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int code = p.waitFor();
            if (code != 0) {
                return new InstanceLaunch.Started(code, 0, 0);
            }
            String[] pids = out.split(" ");
            if (pids.length != 2) {
                throw new JsingException(ExitCodes.INTERNAL, "instance: unexpected answer from the starter: " + out);
            }
            return new InstanceLaunch.Started(0, Long.parseLong(pids[0]), Long.parseLong(pids[1]));
        } catch (IOException e) {
            throw new JsingException(ExitCodes.UNAVAILABLE, "cannot run " + inv.starter() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsingException(ExitCodes.INTERNAL, "instance: interrupted while starting");
        }
    }
}
