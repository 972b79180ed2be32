package dev.jsing.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.cli.action.Action;
import dev.jsing.runner.cli.action.ActionHelp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command of the tree answers {@code --help} (whatever arguments it requires), {@code help}, {@code version}. */
class CommandTreeTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = JsingCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static void paths(CommandLine cl, List<String> prefix, List<List<String>> into) {
        for (var e : cl.getSubcommands().entrySet()) {
            List<String> p = new ArrayList<>(prefix);
            p.add(e.getKey());
            into.add(p);
            paths(e.getValue(), p, into);
        }
    }

    @Test
    void helpWorksOnEveryCommandBeforeItsArguments() {
        List<List<String>> all = new ArrayList<>();
        paths(JsingCommand.tree(), List.of(), all);
        assertTrue(all.size() > 20, "the tree: " + all);
        for (List<String> path : all) {
            if (path.size() == 1 && Action.named(path.get(0)) != null) {
                continue; // the actions never reach picocli: ActionMain answers their --help (ActionOptionTableTest)
            }
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run r = run(args.toArray(new String[0]));
            assertEquals(0, r.code(), path + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: jsing " + String.join(" ", path)), path + ": " + r.out());
        }
    }

    @Test
    void helpCommandShowsTheSameText() {
        assertEquals(ActionHelp.render(Action.EXEC), run("help", "exec").out());
        assertEquals(run("pull", "--help").out(), run("help", "pull").out());
        assertEquals(
                run("cache", "clean", "--help").out(),
                run("help", "cache", "clean").out());
        Run bad = run("help", "no-such");
        assertEquals(64, bad.code());
        assertTrue(bad.err().startsWith("jsing: unknown command 'no-such'"), bad.err());
    }

    @Test
    void versionAsJsingAndAsApptainer() {
        String v = VersionProvider.jsingVersion();
        assertEquals("jsing version " + v, VersionProvider.versionLine("jsing"));
        assertEquals(
                "apptainer version " + VersionProvider.APPTAINER_VERSION + " (jsing " + v + ")",
                VersionProvider.versionLine("singularity"));
        assertEquals(VersionProvider.APPTAINER_VERSION, VersionProvider.bareVersion("apptainer"));
        assertEquals(v + "\n", run("version").out());
        assertEquals("jsing version " + v + "\n", run("--version").out());
    }

    @Test
    void completionScriptsNameEveryOptionAndBashParsesThem() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("jsing-completion", ".bash");
        try {
            java.nio.file.Files.writeString(f, CompletionCommand.bash());
            Process p = new ProcessBuilder("bash", "-n", f.toString())
                    .redirectErrorStream(true)
                    .start();
            assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        } finally {
            java.nio.file.Files.delete(f);
        }
        String fish = CompletionCommand.fish();
        for (dev.jsing.runner.cli.action.ActionOption o : dev.jsing.runner.cli.action.ActionOption.values()) {
            for (String n : o.names()) {
                String flag = n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1);
                assertTrue(fish.contains(flag), "fish lacks " + n);
            }
        }
        assertTrue(CompletionCommand.zsh().contains("bashcompinit"));
        assertEquals(64, run("completion", "tcsh").code());
    }

    @Test
    void aManPagePerCommand() {
        var pages = ManCommand.pages(JsingCommand.tree());
        assertTrue(
                pages.containsKey("jsing.1") && pages.containsKey("jsing-exec.1"),
                pages.keySet().toString());
        assertTrue(
                pages.containsKey("jsing-cache-clean.1") && pages.containsKey("jsing-sif-list.1"),
                pages.keySet().toString());
        assertTrue(pages.get("jsing-exec.1").contains("\\-\\-bind")
                || pages.get("jsing-exec.1").contains("--bind"));
        assertTrue(pages.get("jsing-exec.1").startsWith(".TH JSING-EXEC 1 "), pages.get("jsing-exec.1"));
        assertTrue(!pages.containsKey("jsing-man.1"), "the hidden generator has no page");
    }

    @Test
    void everyUsageRendersWithoutPicocliWarnings() {
        List<List<String>> all = new ArrayList<>();
        paths(JsingCommand.tree(), List.of(), all);
        CommandLine tree = JsingCommand.tree();
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
            for (List<String> path : all) {
                CommandLine cl = tree;
                for (String p : path) {
                    cl = cl.getSubcommands().get(p);
                }
                cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
                assertEquals("", warnings.toString(java.nio.charset.StandardCharsets.UTF_8), path.toString());
            }
        } finally {
            System.setErr(saved);
        }
    }
}
