package dev.jsing.runner.instance;

import dev.jsing.common.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance as recorded in its state file {@code NAME.json}. While it starts, the file holds the starting jsing's
 * pid and start time ({@code pid} 0): that claims the name, and a crash while starting leaves a record that is seen
 * to be stale.
 *
 * @param name the instance's name
 * @param pid the host pid of the instance's init (PID 1 inside); 0 while it starts
 * @param ppid the monitor's pid (the init's parent, outside the container); 0 while it starts
 * @param startTime the start time of {@code pid} (or, while starting, of {@code starter}), clock ticks since boot
 * @param starter the pid of the jsing that starts it (kept once started, for the record)
 * @param image the image's path
 * @param user the owner's name
 * @param uid the owner's uid
 * @param ip the instance's IP address, or empty
 * @param logOut its stdout log file
 * @param logErr its stderr log file
 */
public record InstanceRecord(
        String name,
        long pid,
        long ppid,
        long startTime,
        long starter,
        String image,
        String user,
        int uid,
        String ip,
        String logOut,
        String logErr) {
    /** Whether the instance is still starting (its init's pid is not known yet). */
    public boolean starting() {
        return pid == 0;
    }

    /** Whether the processes it names still run: the init (or, while it starts, the jsing starting it). */
    boolean alive() {
        return ProcInfo.alive(starting() ? starter : pid, startTime) && ProcInfo.uid(starting() ? starter : pid) == uid;
    }

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("pid", pid);
        m.put("ppid", ppid);
        m.put("startTime", startTime);
        m.put("starter", starter);
        m.put("image", image);
        m.put("user", user);
        m.put("uid", uid);
        m.put("ip", ip);
        m.put("logOutPath", logOut);
        m.put("logErrPath", logErr);
        return Json.writeIndented(m) + "\n";
    }

    /** The record in {@code json}; throws {@link IllegalArgumentException} when it is not one. */
    static InstanceRecord parse(String json) {
        Map<String, Object> m = Json.parseObject(json);
        try {
            return new InstanceRecord(
                    (String) m.get("name"),
                    ((Number) m.get("pid")).longValue(),
                    ((Number) m.get("ppid")).longValue(),
                    ((Number) m.get("startTime")).longValue(),
                    ((Number) m.get("starter")).longValue(),
                    (String) m.get("image"),
                    (String) m.get("user"),
                    ((Number) m.get("uid")).intValue(),
                    (String) m.get("ip"),
                    (String) m.get("logOutPath"),
                    (String) m.get("logErrPath"));
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("not an instance record: " + e.getMessage(), e);
        }
    }
}
