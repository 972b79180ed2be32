package dev.jsing.runner.image;

import dev.jsing.common.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code jsing inspect}: an image's metadata from its {@code /.singularity.d} (Apptainer's layout) and its SCIF apps
 * ({@code /scif/apps/NAME/scif}), as Apptainer's {@code inspect} reads and prints them: labels, deffile, runscript,
 * startscript, test, help, environment (each {@code 10-docker*.sh} and {@code 9*-environment.sh} file by name), apps.
 */
public final class ImageInspector {
    /** The attributes, in the order of Apptainer's JSON (its {@code inspect.Attributes}). */
    public static final List<String> ITEMS =
            List.of("apps", "environment", "labels", "runscript", "test", "helpfile", "deffile", "startscript");

    private final ContainerImage image;
    private final String unsquashfs;

    private ImageInspector(ContainerImage image, String unsquashfs) {
        this.image = image;
        this.unsquashfs = unsquashfs;
    }

    /**
     * The requested {@code items} of the image, or of its app {@code app} (null: the image's own), keyed as in
     * Apptainer's JSON: {@code labels} and {@code environment} are maps, {@code apps} a map of app name to its
     * attributes (with {@code allApps}: every app's; else only names, with empty attributes). Absent items are left out.
     */
    public static Map<String, Object> read(
            ContainerImage image, List<String> items, String app, boolean allApps, String unsquashfs) {
        return new ImageInspector(image, unsquashfs).read(items, app, allApps);
    }

    private Map<String, Object> read(List<String> items, String app, boolean allApps) {
        String prefix = app == null ? "/.singularity.d" : "/scif/apps/" + app + "/scif";
        Map<String, Object> attrs = attributes(items, prefix, app == null);
        if (items.contains("apps")) {
            Map<String, Object> apps = new TreeMap<>();
            for (String name : apps()) {
                apps.put(name, allApps ? attributes(ITEMS, "/scif/apps/" + name + "/scif", false) : Map.of());
            }
            if (!apps.isEmpty()) {
                attrs.put("apps", apps);
            }
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String k : ITEMS) {
            if (attrs.containsKey(k)) {
                ordered.put(k, attrs.get(k));
            }
        }
        return ordered;
    }

    /** The image's SCIF apps: directories of {@code /scif/apps} holding a {@code scif} directory. */
    public static List<String> apps(ContainerImage image, String unsquashfs) {
        return new ImageInspector(image, unsquashfs).apps();
    }

    private List<String> apps() {
        List<String> names = new ArrayList<>();
        for (String p : ImageFiles.list(image, "/scif/apps", 2, unsquashfs)) {
            String[] parts = p.split("/");
            if (parts.length == 2 && parts[1].equals("scif")) {
                names.add(parts[0]);
            }
        }
        return names;
    }

    private Map<String, Object> attributes(List<String> items, String prefix, boolean image) {
        Map<String, Object> a = new LinkedHashMap<>();
        for (String k : items) {
            Object v = switch (k) {
                case "labels" -> labels(file(prefix + "/labels.json"));
                case "runscript" -> file(prefix + "/runscript");
                case "startscript" -> file(prefix + "/startscript");
                case "test" -> file(prefix + "/test");
                case "helpfile" -> file(prefix + "/runscript.help");
                case "environment" -> environment(prefix, image);
                case "deffile" -> image ? deffile() : null;
                default -> null;
            };
            if (v != null && !(v instanceof Map<?, ?> m && m.isEmpty()) && !"".equals(v)) {
                a.put(k, v);
            }
        }
        return a;
    }

    private String file(String path) {
        return ImageFiles.read(image, path, unsquashfs);
    }

    private String deffile() {
        String d = file("/.singularity.d/Singularity");
        return d != null ? d : ImageFiles.sifDeffile(image);
    }

    /** Apptainer's environment files: the image's {@code 10-docker*.sh}, then every {@code 9*-environment.sh}. */
    private Map<String, Object> environment(String prefix, boolean image) {
        Map<String, Object> env = new TreeMap<>();
        for (String name : ImageFiles.list(this.image, prefix + "/env", 1, unsquashfs)) {
            boolean docker = image && name.startsWith("10-docker") && name.endsWith(".sh");
            boolean environment = name.startsWith("9") && name.endsWith("-environment.sh");
            if (docker || environment) {
                String content = file(prefix + "/env/" + name);
                if (content != null) {
                    env.put(prefix + "/env/" + name, content);
                }
            }
        }
        return env;
    }

    /** Text output, in Apptainer's order: apps (names), deffile, runscript, startscript, test, helpfile, environment
     * files ({@code === FILE ===}), labels ({@code key: value}). */
    @SuppressWarnings("unchecked")
    public static String text(Map<String, Object> items, boolean listApps) {
        StringBuilder s = new StringBuilder();
        if (listApps && items.get("apps") instanceof Map<?, ?> apps) {
            for (Object name : apps.keySet()) {
                s.append(name).append('\n');
            }
        }
        for (String k : List.of("deffile", "runscript", "startscript", "test", "helpfile")) {
            if (items.get(k) instanceof String v) {
                s.append(v);
                if (!v.endsWith("\n")) {
                    s.append('\n');
                }
            }
        }
        if (items.get("environment") instanceof Map<?, ?> env) {
            for (Map.Entry<?, ?> e : env.entrySet()) {
                s.append("=== ")
                        .append(e.getKey())
                        .append(" ===\n")
                        .append(e.getValue())
                        .append("\n\n");
            }
        }
        if (items.get("labels") instanceof Map<?, ?> labels) {
            for (Map.Entry<String, Object> l : new TreeMap<>((Map<String, Object>) labels).entrySet()) {
                s.append(l.getKey()).append(": ").append(l.getValue()).append('\n');
            }
        }
        return s.toString();
    }

    /** Apptainer's {@code inspect --json} shape: {@code {"data":{"attributes":{...}},"type":"container"}}. */
    public static String json(Map<String, Object> items) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("data", Map.of("attributes", items));
        doc.put("type", "container");
        return Json.write(doc) + "\n";
    }

    /** labels.json as a map; a malformed file shows as no labels rather than failing inspect. */
    private static Map<String, Object> labels(String json) {
        if (json == null) {
            return null;
        }
        try {
            return Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }
}
