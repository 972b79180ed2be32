package dev.jsing.runner.image;

import dev.jsing.common.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jsing inspect}: an image's metadata from its {@code /.singularity.d} (Apptainer's layout): labels, deffile,
 * runscript, environment, test and help, as text or as Apptainer's JSON.
 */
public final class ImageInspector {
    /** What can be shown, with the container file each comes from. */
    public static final Map<String, String> SOURCES = new LinkedHashMap<>();

    static {
        SOURCES.put("labels", "/.singularity.d/labels.json");
        SOURCES.put("deffile", "/.singularity.d/Singularity");
        SOURCES.put("runscript", "/.singularity.d/runscript");
        SOURCES.put("environment", "/.singularity.d/env/90-environment.sh");
        SOURCES.put("test", "/.singularity.d/test");
        SOURCES.put("helpfile", "/.singularity.d/runscript.help");
    }

    private ImageInspector() {}

    /** The requested items' contents (null when absent), in {@link #SOURCES} order. */
    public static Map<String, String> read(ContainerImage image, List<String> items, String unsquashfs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : SOURCES.keySet()) {
            if (!items.contains(k)) {
                continue;
            }
            String v = ImageFiles.read(image, SOURCES.get(k), unsquashfs);
            if (v == null && k.equals("deffile")) {
                v = ImageFiles.sifDeffile(image);
            }
            out.put(k, v);
        }
        return out;
    }

    /** Text output: labels as {@code key: value} lines; other items verbatim. */
    public static String text(Map<String, String> items) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> e : items.entrySet()) {
            String v = e.getValue();
            if (v == null) {
                continue;
            }
            if (e.getKey().equals("labels")) {
                for (Map.Entry<String, Object> l : labels(v).entrySet()) {
                    s.append(l.getKey()).append(": ").append(l.getValue()).append('\n');
                }
            } else {
                s.append(v);
                if (!v.endsWith("\n")) {
                    s.append('\n');
                }
            }
        }
        return s.toString();
    }

    /** Apptainer's {@code inspect --json} shape: {@code {"data":{"attributes":{...}},"type":"container"}}. */
    public static String json(Map<String, String> items) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : items.entrySet()) {
            String v = e.getValue();
            if (v != null) {
                attrs.put(e.getKey(), e.getKey().equals("labels") ? labels(v) : v);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("data", Map.of("attributes", attrs));
        doc.put("type", "container");
        return Json.write(doc) + "\n";
    }

    /** labels.json as a map; a malformed file shows as no labels rather than failing inspect. */
    private static Map<String, Object> labels(String json) {
        try {
            return Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            return Map.of();
        }
    }
}
