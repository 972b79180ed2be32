package dev.jsing.runner.launch;

import java.nio.file.Path;

/**
 * A launch of an instance ({@code instance start|run}) or into one ({@code exec instance://NAME}): the starter's
 * {@code --instance OUT ERR} and {@code --enter PID START} (runner/src/main/c/init.c).
 */
public sealed interface InstanceLaunch {
    /**
     * A new instance, detached, its stdout and stderr in {@code logOut} and {@code logErr}.
     *
     * @param startscript run the image's startscript (when it has one; else nothing runs but the init); false: the
     *     request's own action ({@code run})
     */
    record Start(Path logOut, Path logErr, boolean startscript) implements InstanceLaunch {}

    /** Into the running instance whose init is {@code pid}, started at {@code startTime} (clock ticks since boot). */
    record Enter(long pid, long startTime) implements InstanceLaunch {}

    /**
     * A started instance: its init's pid (the instance's PID) and the monitor's (the init's parent, outside), or the
     * starter's exit code when it did not come up (its error line is already on stderr).
     */
    record Started(int exitCode, long initPid, long monitorPid) {}
}
