package dev.jsing.runner.build;

import dev.jsing.common.json.Json;
import dev.jsing.oci.ImageConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the {@code /.singularity.d} layout Apptainer and SingularityCE expect (and jsing reads): action scripts,
 * environment scripts, runscript, startscript, test, help, labels.json, the definition, root symlinks and the
 * directories and files every container needs.
 */
public final class SingularityLayout {
    private SingularityLayout() {}

    static final String SOURCE_ENV = "for script in /.singularity.d/env/*.sh; do\n"
            + "    if [ -f \"$script\" ]; then\n"
            + "        . \"$script\"\n"
            + "    fi\n"
            + "done\n";

    static final String ACTION_EXEC = "#!/bin/sh\n\n" + SOURCE_ENV + "\nexec \"$@\"\n";

    static final String ACTION_RUN = "#!/bin/sh\n\n" + SOURCE_ENV + "\n"
            + "if test -n \"${APPTAINER_APPNAME:-}\"; then\n"
            + "    if test -x \"/scif/apps/${APPTAINER_APPNAME:-}/scif/runscript\"; then\n"
            + "        exec \"/scif/apps/${APPTAINER_APPNAME:-}/scif/runscript\" \"$@\"\n"
            + "    fi\n"
            + "    echo \"No runscript for contained app: ${APPTAINER_APPNAME:-}\"\n"
            + "    exit 1\n"
            + "elif test -x \"/.singularity.d/runscript\"; then\n"
            + "    exec \"/.singularity.d/runscript\" \"$@\"\n"
            + "fi\n"
            + "echo \"No runscript found, executing /bin/sh\"\n"
            + "exec /bin/sh \"$@\"\n";

    static final String ACTION_SHELL = "#!/bin/sh\n\n" + SOURCE_ENV + "\n"
            + "if test -n \"${APPTAINER_SHELL:-}\" -a -x \"${APPTAINER_SHELL:-}\"; then\n"
            + "    exec $APPTAINER_SHELL \"$@\"\n"
            + "elif test -x /bin/bash; then\n"
            + "    SHELL=/bin/bash\n"
            + "    PS1=\"Apptainer $APPTAINER_NAME:\\\\w> \"\n"
            + "    export SHELL PS1\n"
            + "    exec /bin/bash --norc \"$@\"\n"
            + "elif test -x /bin/sh; then\n"
            + "    SHELL=/bin/sh\n"
            + "    export SHELL\n"
            + "    exec /bin/sh \"$@\"\n"
            + "fi\n"
            + "echo \"ERROR: /bin/sh does not exist in container\" 1>&2\n"
            + "exit 1\n";

    static final String ACTION_START = "#!/bin/sh\n\n" + SOURCE_ENV + "\n"
            + "if test -x \"/.singularity.d/startscript\"; then\n"
            + "    exec \"/.singularity.d/startscript\"\n"
            + "fi\n";

    static final String ACTION_TEST = "#!/bin/sh\n\n" + SOURCE_ENV + "\n"
            + "if test -n \"${APPTAINER_APPNAME:-}\"; then\n"
            + "    if test -x \"/scif/apps/${APPTAINER_APPNAME:-}/scif/test\"; then\n"
            + "        exec \"/scif/apps/${APPTAINER_APPNAME:-}/scif/test\" \"$@\"\n"
            + "    fi\n"
            + "    echo \"No tests for contained app: ${APPTAINER_APPNAME:-}\"\n"
            + "    exit 1\n"
            + "elif test -x \"/.singularity.d/test\"; then\n"
            + "    exec \"/.singularity.d/test\" \"$@\"\n"
            + "fi\n"
            + "echo \"No test found in container, executing /bin/sh -c true\"\n"
            + "exec /bin/sh -c true\n";

    static final String ENV_BASE = "#!/bin/sh\n# Base environment of jsing-built images.\n";
    static final String ENV_CUSTOM = "#!/bin/sh\n# Custom environment shell code should follow\n\n";
    static final String ENV_APPS = "#!/bin/sh\n"
            + "if test -n \"${APPTAINER_APPNAME:-}\"; then\n"
            + "    export APPTAINER_APPNAME\n"
            + "    if test -d \"/scif/apps/${APPTAINER_APPNAME:-}/\"; then\n"
            + "        SCIF_APPS=\"/scif/apps\"\n"
            + "        SCIF_APPROOT=\"/scif/apps/${APPTAINER_APPNAME:-}\"\n"
            + "        export SCIF_APPROOT SCIF_APPS\n"
            + "        PATH=\"/scif/apps/${APPTAINER_APPNAME:-}:$PATH\"\n"
            + "        if test -d \"/scif/apps/${APPTAINER_APPNAME:-}/bin\"; then\n"
            + "            PATH=\"/scif/apps/${APPTAINER_APPNAME:-}/bin:$PATH\"\n"
            + "        fi\n"
            + "        if test -d \"/scif/apps/${APPTAINER_APPNAME:-}/lib\"; then\n"
            + "            LD_LIBRARY_PATH=\"/scif/apps/${APPTAINER_APPNAME:-}/lib:${LD_LIBRARY_PATH:-}\"\n"
            + "            export LD_LIBRARY_PATH\n"
            + "        fi\n"
            + "        if [ -f \"/scif/apps/${APPTAINER_APPNAME:-}/scif/env/01-base.sh\" ]; then\n"
            + "            . \"/scif/apps/${APPTAINER_APPNAME:-}/scif/env/01-base.sh\"\n"
            + "        fi\n"
            + "        if [ -f \"/scif/apps/${APPTAINER_APPNAME:-}/scif/env/90-environment.sh\" ]; then\n"
            + "            . \"/scif/apps/${APPTAINER_APPNAME:-}/scif/env/90-environment.sh\"\n"
            + "        fi\n"
            + "        export PATH\n"
            + "    else\n"
            + "        echo \"Could not locate the container application: ${APPTAINER_APPNAME}\"\n"
            + "        exit 1\n"
            + "    fi\n"
            + "fi\n";
    static final String ENV_99_BASE = "#!/bin/sh\n"
            + "if [ -z \"${LD_LIBRARY_PATH:-}\" ]; then\n"
            + "    LD_LIBRARY_PATH=\"/.singularity.d/libs\"\n"
            + "else\n"
            + "    LD_LIBRARY_PATH=\"$LD_LIBRARY_PATH:/.singularity.d/libs\"\n"
            + "fi\n"
            + "PS1=\"Apptainer> \"\n"
            + "export LD_LIBRARY_PATH PS1\n";
    static final String ENV_99_RUNTIME = "#!/bin/sh\n"
            + "if [ -n \"${SING_USER_DEFINED_PREPEND_PATH:-}\" ]; then\n"
            + "    PATH=\"${SING_USER_DEFINED_PREPEND_PATH}:${PATH}\"\n"
            + "fi\n"
            + "if [ -n \"${SING_USER_DEFINED_APPEND_PATH:-}\" ]; then\n"
            + "    PATH=\"${PATH}:${SING_USER_DEFINED_APPEND_PATH}\"\n"
            + "fi\n"
            + "if [ -n \"${SING_USER_DEFINED_PATH:-}\" ]; then\n"
            + "    PATH=\"${SING_USER_DEFINED_PATH}\"\n"
            + "fi\n"
            + "unset SING_USER_DEFINED_PREPEND_PATH SING_USER_DEFINED_APPEND_PATH SING_USER_DEFINED_PATH\n"
            + "export PATH\n";
    static final String DEFAULT_RUNSCRIPT = "#!/bin/sh\n\necho \"There is no runscript defined for this container\"\n";
    static final String DEFAULT_STARTSCRIPT = "#!/bin/sh\n";

    /** The base layout, written after the bootstrap (existing files of an image built before are refreshed). */
    public static void writeBase(Path root) throws IOException {
        ensureOwnerWritable(root);
        for (String d : List.of(
                ".singularity.d/libs",
                ".singularity.d/actions",
                ".singularity.d/env",
                "dev",
                "proc",
                "root",
                "var/tmp",
                "tmp",
                "etc",
                "sys",
                "home")) {
            mkdirs(root, d);
        }
        symlink(root, "singularity", ".singularity.d/runscript");
        symlink(root, ".run", ".singularity.d/actions/run");
        symlink(root, ".exec", ".singularity.d/actions/exec");
        symlink(root, ".test", ".singularity.d/actions/test");
        symlink(root, ".shell", ".singularity.d/actions/shell");
        symlink(root, "environment", ".singularity.d/env/90-environment.sh");
        writeFile(root, "etc/hosts", "", 0644, true);
        writeFile(root, "etc/resolv.conf", "", 0644, true);
        writeFile(root, ".singularity.d/actions/exec", ACTION_EXEC, 0755, true);
        writeFile(root, ".singularity.d/actions/run", ACTION_RUN, 0755, true);
        writeFile(root, ".singularity.d/actions/shell", ACTION_SHELL, 0755, true);
        writeFile(root, ".singularity.d/actions/start", ACTION_START, 0755, true);
        writeFile(root, ".singularity.d/actions/test", ACTION_TEST, 0755, true);
        writeFile(root, ".singularity.d/env/01-base.sh", ENV_BASE, 0755, true);
        writeFile(root, ".singularity.d/env/95-apps.sh", ENV_APPS, 0755, true);
        writeFile(root, ".singularity.d/env/99-base.sh", ENV_99_BASE, 0755, true);
        writeFile(root, ".singularity.d/env/99-runtimevars.sh", ENV_99_RUNTIME, 0755, true);
        // Kept from an image this one is built on; created otherwise.
        writeFile(root, ".singularity.d/env/90-environment.sh", ENV_CUSTOM, 0755, false);
        writeFile(root, ".singularity.d/runscript", DEFAULT_RUNSCRIPT, 0755, false);
        writeFile(root, ".singularity.d/startscript", DEFAULT_STARTSCRIPT, 0755, false);
    }

    /** Docker/OCI image config → runscript (OCI_ENTRYPOINT/OCI_CMD), 10-docker2singularity.sh, labels.json. */
    public static void writeOci(Path root, ImageConfig c) throws IOException {
        StringBuilder rs = new StringBuilder("#!/bin/sh\n");
        rs.append("OCI_ENTRYPOINT=")
                .append(singleQuote(argsQuoted(c.entrypoint())))
                .append('\n');
        rs.append("OCI_CMD=").append(singleQuote(argsQuoted(c.cmd()))).append('\n');
        StringBuilder prependCmd = new StringBuilder();
        for (int i = c.cmd().size() - 1; i >= 0; i--) {
            prependCmd.append("set -- ").append(singleQuote(c.cmd().get(i))).append(" \"$@\"\n");
        }
        StringBuilder prependEp = new StringBuilder();
        for (int i = c.entrypoint().size() - 1; i >= 0; i--) {
            prependEp
                    .append("set -- ")
                    .append(singleQuote(c.entrypoint().get(i)))
                    .append(" \"$@\"\n");
        }
        rs.append(
                "\n# With SINGULARITY_NO_EVAL (or APPTAINER_NO_EVAL) set: Docker semantics, arguments not evaluated.\n");
        rs.append("if [ -n \"${SINGULARITY_NO_EVAL:-}${APPTAINER_NO_EVAL:-}\" ]; then\n");
        rs.append("    if [ -z \"$OCI_CMD\" ] && [ -n \"$OCI_ENTRYPOINT\" ]; then\n");
        rs.append(indent(prependEp.toString(), 8)).append("        exec \"$@\"\n    fi\n");
        rs.append("    if [ -n \"$OCI_CMD\" ] && [ -z \"$OCI_ENTRYPOINT\" ]; then\n");
        rs.append("        if [ $# -eq 0 ]; then\n")
                .append(indent(prependCmd.toString(), 12))
                .append("            :\n");
        rs.append("        fi\n        exec \"$@\"\n    fi\n");
        rs.append("    if [ $# -eq 0 ]; then\n")
                .append(indent(prependCmd.toString(), 8))
                .append("        :\n    fi\n");
        rs.append(indent(prependEp.toString(), 4)).append("    exec \"$@\"\nfi\n\n");
        rs.append("# Apptainer's default: CMD / ENTRYPOINT / arguments are evaluated by the shell.\n");
        rs.append("CMDLINE_ARGS=\"\"\n");
        rs.append("for arg in \"$@\"; do\n    CMDLINE_ARGS=\"${CMDLINE_ARGS} \\\"$arg\\\"\"\ndone\n");
        rs.append("if [ -z \"$OCI_CMD\" ] && [ -n \"$OCI_ENTRYPOINT\" ]; then\n");
        rs.append("    if [ $# -gt 0 ]; then\n        SINGULARITY_OCI_RUN=\"${OCI_ENTRYPOINT} ${CMDLINE_ARGS}\"\n");
        rs.append("    else\n        SINGULARITY_OCI_RUN=\"${OCI_ENTRYPOINT}\"\n    fi\n");
        rs.append("elif [ -n \"$OCI_CMD\" ] && [ -z \"$OCI_ENTRYPOINT\" ]; then\n");
        rs.append("    if [ $# -gt 0 ]; then\n        SINGULARITY_OCI_RUN=\"${CMDLINE_ARGS}\"\n");
        rs.append("    else\n        SINGULARITY_OCI_RUN=\"${OCI_CMD}\"\n    fi\n");
        rs.append("elif [ $# -gt 0 ]; then\n    SINGULARITY_OCI_RUN=\"${OCI_ENTRYPOINT} ${CMDLINE_ARGS}\"\n");
        rs.append("else\n    SINGULARITY_OCI_RUN=\"${OCI_ENTRYPOINT} ${OCI_CMD}\"\nfi\n");
        rs.append("eval \"set ${SINGULARITY_OCI_RUN}\"\nexec \"$@\"\n");
        writeFile(root, ".singularity.d/runscript", rs.toString(), 0755, true);

        StringBuilder env = new StringBuilder("#!/bin/sh\n");
        for (String e : c.env()) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                String k = eq < 0 ? e : "";
                if (k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    env.append("export ").append(k).append("=\"${").append(k).append(":-}\"\n");
                }
                continue;
            }
            String k = e.substring(0, eq);
            String v = e.substring(eq + 1);
            if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                continue;
            }
            if (k.equals("PATH")) {
                env.append("export PATH=\"").append(dqEscape(v)).append("\"\n");
            } else {
                env.append("export ")
                        .append(k)
                        .append("=\"${")
                        .append(k)
                        .append(":-\"")
                        .append(dqEscape(v))
                        .append("\"}\"\n");
            }
        }
        writeFile(root, ".singularity.d/env/10-docker2singularity.sh", env.toString(), 0755, true);
        writeFile(root, ".singularity.d/labels.json", Json.writeIndented(new TreeMap<>(c.labels())), 0644, true);
    }

    // ---- helpers ----

    static String indent(String s, int n) {
        if (s.isEmpty()) {
            return s;
        }
        String pad = " ".repeat(n);
        StringBuilder b = new StringBuilder();
        for (String line : s.split("\n")) {
            b.append(pad).append(line).append('\n');
        }
        return b.toString();
    }

    /** Each argument in double quotes, escaped for the shell, space-separated (like Apptainer's ArgsQuoted). */
    static String argsQuoted(List<String> args) {
        List<String> q = new ArrayList<>();
        for (String a : args) {
            q.add("\"" + dqEscape(a) + "\"");
        }
        return String.join(" ", q);
    }

    static String dqEscape(String s) {
        StringBuilder b = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\' || ch == '$' || ch == '`') {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }

    static String singleQuote(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    static void ensureOwnerWritable(Path dir) throws IOException {
        int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0200) == 0) {
            Files.setAttribute(dir, "unix:mode", (mode & 07777) | 0200, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /** A path inside {@code root}: lexically normalised, never above it. */
    public static Path inRoot(Path root, String path) {
        Path rel = Path.of("/").resolve(path).normalize();
        return root.resolve(Path.of("/").relativize(rel).toString());
    }

    static void mkdirs(Path root, String rel) throws IOException {
        Path p = inRoot(root, rel);
        if (Files.isSymbolicLink(p) || Files.isDirectory(p)) {
            return;
        }
        Files.createDirectories(p);
    }

    static void symlink(Path root, String name, String target) throws IOException {
        Path p = root.resolve(name);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(p, Path.of(target));
        }
    }

    /**
     * Writes {@code rel} under {@code root} with {@code mode}; an existing file is replaced only when {@code replace}.
     * A symlink at the path is replaced by a plain file, so nothing is written through it.
     */
    public static void writeFile(Path root, String rel, String content, int mode, boolean replace) throws IOException {
        Path p = inRoot(root, rel);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            if (!replace && !Files.isSymbolicLink(p)) {
                return;
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(p + " is a directory");
            }
            Files.delete(p);
        }
        Files.createDirectories(p.getParent());
        Files.write(
                p, content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perm(mode)));
    }

    /** Appends to a file created if missing. */
    static void appendFile(Path root, String rel, String content, int mode) throws IOException {
        Path p = inRoot(root, rel);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
            writeFile(root, rel, content, mode, true);
            return;
        }
        Files.write(p, content.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    }

    static String perm(int mode) {
        String all = "rwxrwxrwx";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            b.append((mode & (1 << (8 - i))) != 0 ? all.charAt(i) : '-');
        }
        return b.toString();
    }

    /** Reads a file under the root, or null. */
    static String read(Path root, String rel) {
        Path p = inRoot(root, rel);
        try {
            return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** labels.json as a map (empty when missing or unreadable). */
    static Map<String, String> readLabels(Path root, String rel) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = read(root, rel);
        if (s == null || s.isBlank()) {
            return out;
        }
        try {
            Json.parseObject(s).forEach((k, v) -> out.put(k, v == null ? "" : String.valueOf(v)));
        } catch (IllegalArgumentException e) {
            // a broken labels.json of a base image is replaced
        }
        return out;
    }
}
