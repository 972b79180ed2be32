package dev.jsing.runner.build;

import dev.jsing.common.json.Json;
import dev.jsing.deffile.App;
import dev.jsing.deffile.Label;
import dev.jsing.deffile.Section;
import dev.jsing.deffile.SectionKind;
import dev.jsing.deffile.Stage;
import dev.jsing.runner.build.context.BuildOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The metadata step of a stage (after %post, as Apptainer's {@code insertMetadata}): help, labels.json with build
 * labels, the definition (an earlier one moves to {@code bootstrap_history}), %environment, %startscript,
 * %runscript, %test; the SCIF app layout; and the inspect metadata JSON stored in the SIF.
 */
public final class StageMetadata {
    private StageMetadata() {}

    /** Interpreter line and body of a %runscript/%startscript/%test: a {@code #!} first line wins, args are appended. */
    static String script(Section s) {
        String body = s.body();
        String shebang = "#!/bin/sh";
        String script = body;
        if (body.strip().startsWith("#!")) {
            String t = body.stripLeading();
            int nl = t.indexOf('\n');
            shebang = (nl < 0 ? t : t.substring(0, nl)).strip();
            script = nl < 0 ? "" : t.substring(nl + 1);
        }
        String args = s.argsWithoutComment();
        if (!args.isEmpty()) {
            shebang += " " + args;
        }
        return shebang + "\n\n" + script + "\n";
    }

    /** The app sections and SCIF directories (before %files from / %post, like Apptainer's app plugin). */
    public static void writeApps(Path root, Stage stage) throws IOException {
        if (stage.apps().isEmpty()) {
            return;
        }
        StringBuilder global = new StringBuilder();
        for (App app : stage.apps()) {
            String n = app.name();
            String base = "scif/apps/" + n;
            for (String d : List.of(
                    base,
                    base + "/scif",
                    base + "/bin",
                    base + "/lib",
                    base + "/scif/env",
                    "scif/data/" + n + "/input",
                    "scif/data/" + n + "/output")) {
                SingularityLayout.mkdirs(root, d);
            }
            SingularityLayout.writeFile(
                    root,
                    base + "/scif/env/01-base.sh",
                    "#!/bin/sh\n\nSCIF_APPNAME=" + n + "\nSCIF_APPROOT=\"/scif/apps/" + n
                            + "\"\nSCIF_APPMETA=\"/scif/apps/" + n
                            + "/scif\"\nSCIF_DATA=\"/scif/data\"\nSCIF_APPDATA=\"/scif/data/" + n
                            + "\"\nSCIF_APPINPUT=\"/scif/data/"
                            + n + "/input\"\nSCIF_APPOUTPUT=\"/scif/data/" + n + "/output\"\n"
                            + "export SCIF_APPDATA SCIF_APPNAME SCIF_APPROOT SCIF_APPMETA SCIF_APPINPUT SCIF_APPOUTPUT SCIF_DATA\n",
                    0755,
                    true);
            Optional<Section> env = app.section(SectionKind.APPENV).filter(x -> !x.isEmpty());
            if (env.isPresent()) {
                SingularityLayout.writeFile(
                        root, base + "/scif/env/90-environment.sh", env.get().body(), 0755, true);
            }
            Optional<Section> run = app.section(SectionKind.APPRUN).filter(x -> !x.isEmpty());
            if (run.isPresent()) {
                SingularityLayout.writeFile(
                        root,
                        base + "/scif/runscript",
                        "#!/bin/sh\n\n" + run.get().body() + "\n",
                        0755,
                        true);
            }
            Optional<Section> start = app.section(SectionKind.APPSTART).filter(x -> !x.isEmpty());
            if (start.isPresent()) {
                SingularityLayout.writeFile(
                        root,
                        base + "/scif/startscript",
                        "#!/bin/sh\n\n" + start.get().body() + "\n",
                        0755,
                        true);
            }
            Optional<Section> test = app.section(SectionKind.APPTEST).filter(x -> !x.isEmpty());
            if (test.isPresent()) {
                SingularityLayout.writeFile(
                        root, base + "/scif/test", "#!/bin/sh\n\n" + test.get().body() + "\n", 0755, true);
            }
            Optional<Section> help = app.section(SectionKind.APPHELP).filter(x -> !x.isEmpty());
            if (help.isPresent()) {
                SingularityLayout.writeFile(
                        root, base + "/scif/runscript.help", help.get().body(), 0644, true);
            }
            Map<String, String> labels = new TreeMap<>();
            labels.put("SCIF_APP_NAME", n);
            for (Label l : app.labels()) {
                labels.put(l.key(), l.value());
            }
            SingularityLayout.writeFile(root, base + "/scif/labels.json", Json.writeIndented(labels), 0644, true);
            String v = n.replaceAll("[^a-zA-Z0-9_]", "_");
            global.append("## App Global Exports For: ").append(v).append("\n\n");
            for (String[] kv : new String[][] {
                {"APPDATA", "/scif/data/" + n},
                {"APPMETA", "/scif/apps/" + n + "/scif"},
                {"APPROOT", "/scif/apps/" + n},
                {"APPBIN", "/scif/apps/" + n + "/bin"},
                {"APPLIB", "/scif/apps/" + n + "/lib"}
            }) {
                global.append("SCIF_")
                        .append(kv[0])
                        .append('_')
                        .append(v)
                        .append('=')
                        .append(kv[1])
                        .append('\n');
            }
            global.append("\nexport SCIF_APPDATA_")
                    .append(v)
                    .append(" SCIF_APPMETA_")
                    .append(v)
                    .append(" SCIF_APPROOT_")
                    .append(v)
                    .append(" SCIF_APPBIN_")
                    .append(v)
                    .append(" SCIF_APPLIB_")
                    .append(v)
                    .append('\n');
            if (env.isPresent()) {
                global.append("export SCIF_APPENV_")
                        .append(v)
                        .append("=\"/scif/apps/")
                        .append(n)
                        .append("/scif/env/90-environment.sh\"\n");
            }
            global.append("export SCIF_APPLABELS_")
                    .append(v)
                    .append("=\"/scif/apps/")
                    .append(n)
                    .append("/scif/labels.json\"\n");
            if (run.isPresent()) {
                global.append("export SCIF_APPRUN_")
                        .append(v)
                        .append("=\"/scif/apps/")
                        .append(n)
                        .append("/scif/runscript\"\n");
            }
        }
        SingularityLayout.writeFile(root, ".singularity.d/env/94-appsbase.sh", global.toString(), 0755, true);
    }

    /** The %appinstall scripts, appended to %post (each runs in its app's root). */
    static String appInstall(Stage stage) {
        StringBuilder b = new StringBuilder();
        for (App app : stage.apps()) {
            Optional<Section> inst = app.section(SectionKind.APPINSTALL).filter(x -> !x.isEmpty());
            if (inst.isPresent()) {
                String base = "/scif/apps/" + app.name();
                b.append("\ncd /\n. ")
                        .append(base)
                        .append("/scif/env/01-base.sh\n\ncd ")
                        .append(base)
                        .append('\n')
                        .append(inst.get().body())
                        .append("\n\ncd /\n");
            }
        }
        return b.toString();
    }

    /** Writes the stage's metadata into the root. {@code fullRaw} is the whole definition text. */
    public static void write(Path root, Stage stage, String fullRaw, BuildOptions o, Map<String, String> buildLabels)
            throws IOException {
        Optional<Section> help = stage.section(SectionKind.HELP).filter(x -> !x.isEmpty());
        if (help.isPresent()) {
            SingularityLayout.writeFile(
                    root, ".singularity.d/runscript.help", help.get().body() + "\n", 0644, true);
        }
        Map<String, String> labels = SingularityLayout.readLabels(root, ".singularity.d/labels.json");
        Path build = SingularityLayout.inRoot(root, ".build.labels");
        if (Files.isRegularFile(build)) {
            for (String line : Files.readAllLines(build)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int sp = t.indexOf(' ');
                labels.put(
                        sp < 0 ? t : t.substring(0, sp),
                        sp < 0 ? "" : t.substring(sp + 1).strip());
            }
            Files.delete(build);
        }
        labels.putAll(buildLabels);
        if (help.isPresent()) {
            labels.put("org.label-schema.usage", "/.singularity.d/runscript.help");
            labels.put("org.label-schema.usage.apptainer.runscript.help", "/.singularity.d/runscript.help");
        }
        for (Map.Entry<String, String> h : stage.header().entrySet()) {
            labels.put("org.label-schema.usage.singularity.deffile." + h.getKey(), h.getValue());
        }
        for (Label l : stage.labels()) {
            labels.put(l.key(), l.value());
        }
        SingularityLayout.writeFile(
                root, ".singularity.d/labels.json", Json.writeIndented(new TreeMap<>(labels)), 0644, true);

        Path def = SingularityLayout.inRoot(root, ".singularity.d/Singularity");
        if (Files.isRegularFile(def)) {
            Path hist = SingularityLayout.inRoot(root, ".singularity.d/bootstrap_history");
            Files.createDirectories(hist);
            long n;
            try (var s = Files.list(hist)) {
                n = s.count();
            }
            Files.move(def, hist.resolve("Apptainer" + n));
        }
        SingularityLayout.writeFile(root, ".singularity.d/Singularity", fullRaw, 0644, true);

        Optional<Section> env = stage.section(SectionKind.ENVIRONMENT).filter(x -> !x.isEmpty());
        if (env.isPresent()) {
            Path p = SingularityLayout.inRoot(root, ".singularity.d/env/90-environment.sh");
            if (Files.isRegularFile(p)) {
                SingularityLayout.appendFile(
                        root,
                        ".singularity.d/env/90-environment.sh",
                        "\n" + env.get().body() + "\n",
                        0755);
            } else {
                SingularityLayout.writeFile(
                        root,
                        ".singularity.d/env/90-environment.sh",
                        "#!/bin/sh\n\n" + env.get().body() + "\n",
                        0755,
                        true);
            }
        }
        for (SectionKind k : List.of(SectionKind.STARTSCRIPT, SectionKind.RUNSCRIPT, SectionKind.TEST)) {
            Optional<Section> s = stage.section(k).filter(x -> !x.isEmpty());
            if (s.isPresent()) {
                String file = k == SectionKind.TEST ? "test" : k == SectionKind.RUNSCRIPT ? "runscript" : "startscript";
                SingularityLayout.writeFile(root, ".singularity.d/" + file, script(s.get()), 0755, true);
            }
        }
    }

    /** Build labels (schema version, date, architecture), fixed in deterministic builds. */
    public static Map<String, String> buildLabels(BuildOptions o, String arch) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("org.label-schema.schema-version", "1.0");
        ZonedDateTime t =
                o.deterministic() ? Instant.ofEpochSecond(o.epoch()).atZone(ZoneId.of("UTC")) : ZonedDateTime.now();
        l.put("org.opencontainers.image.created", t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        l.put(
                "org.label-schema.build-date",
                t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT) + "_" + t.getDayOfMonth() + "_"
                        + t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT) + "_" + t.getYear() + "_"
                        + t.getHour() + ":"
                        + t.getMinute() + ":" + t.getSecond() + "_"
                        + t.getZone().getDisplayName(TextStyle.SHORT, Locale.ROOT));
        l.put("org.label-schema.usage.jsing.version", version());
        l.put("org.opencontainers.image.architecture", arch);
        l.put("org.label-schema.build-arch", arch);
        return l;
    }

    static String version() {
        String v = StageMetadata.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }

    /** Apptainer's {@code inspect --all --json} shape, stored as the SIF's {@code inspect-metadata.json}. */
    public static String inspectJson(Path root, List<App> apps) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        Map<String, Object> appAttrs = new TreeMap<>();
        for (App a : apps) {
            String base = "scif/apps/" + a.name() + "/scif/";
            Map<String, Object> x = new LinkedHashMap<>();
            Map<String, String> env = new TreeMap<>();
            String e = SingularityLayout.read(root, base + "env/90-environment.sh");
            if (e != null) {
                env.put("/" + base + "env/90-environment.sh", e);
            }
            if (!env.isEmpty()) {
                x.put("environment", env);
            }
            Map<String, String> l = SingularityLayout.readLabels(root, base + "labels.json");
            if (!l.isEmpty()) {
                x.put("labels", new TreeMap<>(l));
            }
            putIf(x, "runscript", SingularityLayout.read(root, base + "runscript"));
            putIf(x, "test", SingularityLayout.read(root, base + "test"));
            putIf(x, "helpfile", SingularityLayout.read(root, base + "runscript.help"));
            appAttrs.put(a.name(), x);
        }
        if (!appAttrs.isEmpty()) {
            attrs.put("apps", appAttrs);
        }
        Map<String, String> env = new TreeMap<>();
        for (String f : List.of("10-docker2singularity.sh", "90-environment.sh", "91-environment.sh")) {
            String c = SingularityLayout.read(root, ".singularity.d/env/" + f);
            if (c != null) {
                env.put("/.singularity.d/env/" + f, c);
            }
        }
        if (!env.isEmpty()) {
            attrs.put("environment", env);
        }
        Map<String, String> labels = SingularityLayout.readLabels(root, ".singularity.d/labels.json");
        if (!labels.isEmpty()) {
            attrs.put("labels", new TreeMap<>(labels));
        }
        putIf(attrs, "runscript", SingularityLayout.read(root, ".singularity.d/runscript"));
        putIf(attrs, "test", SingularityLayout.read(root, ".singularity.d/test"));
        putIf(attrs, "helpfile", SingularityLayout.read(root, ".singularity.d/runscript.help"));
        putIf(attrs, "deffile", SingularityLayout.read(root, ".singularity.d/Singularity"));
        putIf(attrs, "startscript", SingularityLayout.read(root, ".singularity.d/startscript"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("attributes", attrs);
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("data", data);
        top.put("type", "container");
        return Json.write(top);
    }

    private static void putIf(Map<String, Object> m, String k, String v) {
        if (v != null && !v.isEmpty()) {
            m.put(k, v);
        }
    }
}
