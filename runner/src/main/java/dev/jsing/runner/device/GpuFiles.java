package dev.jsing.runner.device;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host files of a GPU vendor's driver, found as Apptainer finds them ({@code internal/pkg/util/paths}): each
 * library name of the list ({@code libcuda.so}) selects every ld.so cache entry that starts with it ({@code
 * libcuda.so.1}, {@code libcuda.so}), through the first of its paths that is a native 64-bit ELF object; a program
 * name is looked up on the caller's {@code PATH} and bound at {@code /usr/bin/NAME}; an absolute path is bound where
 * it is, when it exists.
 *
 * @param libraries host paths, one per container file name (their base names are distinct)
 * @param files read-only binds of programs and other files
 */
record GpuFiles(List<String> libraries, List<DeviceSetup.Bind> files) {
    static GpuFiles find(DeviceHost host, List<String> list, String path) {
        LdCache cache = null;
        Map<String, String> libs = new LinkedHashMap<>(); // container name -> host path
        List<DeviceSetup.Bind> files = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String entry : list) {
            if (entry.contains(".so")) {
                if (entry.startsWith("/")) {
                    if (host.nativeElf(entry)) {
                        libs.putIfAbsent(base(entry), entry);
                    }
                    continue;
                }
                if (cache == null) {
                    cache = LdCache.parse(host.ldconfig());
                }
                for (Map.Entry<String, List<String>> e : cache.paths().entrySet()) {
                    if (!e.getKey().startsWith(entry)) {
                        continue;
                    }
                    for (String p : e.getValue()) {
                        if (host.nativeElf(p)) {
                            libs.putIfAbsent(base(p), p);
                            break;
                        }
                    }
                }
            } else if (entry.startsWith("/")) {
                if (host.exists(entry) && !seen.contains(entry)) {
                    seen.add(entry);
                    files.add(new DeviceSetup.Bind(entry, entry, true));
                }
            } else {
                String found = onPath(host, entry, path);
                if (found != null && !seen.contains(found)) {
                    seen.add(found);
                    files.add(new DeviceSetup.Bind(found, "/usr/bin/" + base(found), true));
                }
            }
        }
        return new GpuFiles(new ArrayList<>(libs.values()), files);
    }

    /** {@code name} looked up in the directories of {@code path}, or null. */
    static String onPath(DeviceHost host, String name, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(":")) {
            if (dir.startsWith("/") && host.isExecutable(dir + "/" + name)) {
                return dir + "/" + name;
            }
        }
        return null;
    }

    static String base(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
