package dev.jsing.runner.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Commands;
import dev.jsing.runner.testing.MinbaseImage;
import dev.jsing.runner.testing.Result;
import dev.jsing.runner.testing.TestDist;
import dev.jsing.runner.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --app NAME} for {@code run exec shell test}, as the unprivileged test user, on two images: one built by jsing
 * from a definition with SCIF apps ({@code %apprun}, {@code %apptest}, {@code %appenv}; its {@code 95-apps.sh} reads
 * {@code APPTAINER_APPNAME}), and a hand-made sandbox laid out as Apptainer lays out apps (its {@code 95-apps.sh}
 * reads {@code SINGULARITY_APPNAME}, as in images built by Apptainer and SingularityCE): the app's runscript, test and
 * environment, the {@code SCIF_*} variables, and one-line errors for an unknown app or a missing runscript or test.
 */
class AppIT {
    static TestUser user;
    static Path work;
    static Path built;
    static Path apptainerLayout;
    static Path tmp;

    @BeforeAll
    static void images() throws Exception {
        user = TestUser.get();
        work = user.newDir("jsing-dropin-app-it-");
        tmp = Files.createDirectories(work.resolve("tmp"));
        Files.writeString(
                work.resolve("apps.def"),
                "Bootstrap: localimage\nFrom: " + MinbaseImage.busybox() + "\n\n"
                        + "%runscript\n    echo main-runscript\n\n"
                        + "%apprun cow\n    echo \"moo $SCIF_APPNAME $COWVAR $*\"\n\n"
                        + "%apptest cow\n    echo cow-test-ran\n    exit 4\n\n"
                        + "%appenv cow\n    export COWVAR=from-appenv\n\n"
                        + "%apphelp cow\n    The cow app.\n\n"
                        + "%appinstall bare\n    echo installed > installed.txt\n");
        // Apptainer's layout of an app, by hand: /scif/apps/NAME/scif/{runscript,env/01-base.sh,env/90-...} and the
        // image's 95-apps.sh that sources them for the app named by SINGULARITY_APPNAME.
        Path root = work.resolve("apptainer-layout");
        Commands.ok(
                "unsquashfs",
                "-q",
                "-n",
                "-d",
                root.toString(),
                MinbaseImage.busybox().toString());
        Path env = Files.createDirectories(root.resolve(".singularity.d/env"));
        Files.writeString(
                env.resolve("95-apps.sh"),
                "if test -n \"${SINGULARITY_APPNAME:-}\"; then\n"
                        + "    if test -d \"/scif/apps/$SINGULARITY_APPNAME/\"; then\n"
                        + "        PATH=\"/scif/apps/$SINGULARITY_APPNAME/bin:$PATH\"; export PATH\n"
                        + "        . \"/scif/apps/$SINGULARITY_APPNAME/scif/env/01-base.sh\"\n"
                        + "        . \"/scif/apps/$SINGULARITY_APPNAME/scif/env/90-environment.sh\"\n"
                        + "    fi\n"
                        + "fi\n");
        Path scif = Files.createDirectories(root.resolve("scif/apps/tool/scif/env"));
        Files.createDirectories(root.resolve("scif/apps/tool/bin"));
        Files.writeString(
                scif.resolve("01-base.sh"),
                "SCIF_APPNAME=tool\nSCIF_APPROOT=/scif/apps/tool\nexport SCIF_APPNAME SCIF_APPROOT\n");
        Files.writeString(scif.resolve("90-environment.sh"), "export TOOLVAR=tool-env\n");
        Files.writeString(root.resolve("scif/apps/tool/scif/runscript"), "#!/bin/sh\necho \"tool-run $TOOLVAR\"\n");
        Files.writeString(root.resolve("scif/apps/tool/bin/toolcmd"), "#!/bin/sh\necho toolcmd-found\n");
        Commands.ok(
                "chmod",
                "755",
                root.resolve("scif/apps/tool/scif/runscript").toString(),
                root.resolve("scif/apps/tool/bin/toolcmd").toString());
        apptainerLayout = work.resolve("apptainer-layout.sqfs");
        Commands.ok("mksquashfs", root.toString(), apptainerLayout.toString(), "-quiet", "-noappend", "-all-root");
        user.own(work);
        Commands.ok("chmod", "-R", "a+rX", work.toString());
        built = work.resolve("apps.sif");
        Result b = jsing(
                Map.of(), "build", built.toString(), work.resolve("apps.def").toString());
        assertEquals(0, b.exitCode(), b.describe());
    }

    static Result jsing(Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("JSING_TMPDIR", tmp.toString());
        return user.run(TestDist.jsing(args), e, work, Duration.ofMinutes(3));
    }

    static Result jsing(String... args) {
        return jsing(Map.of(), args);
    }

    @Test
    void runExecShellAndTestOfAJsingBuiltApp() {
        Result run = jsing("run", "--app", "cow", built.toString(), "a", "b");
        assertEquals("moo cow from-appenv a b\n", run.stdout(), run.describe());
        assertEquals("main-runscript\n", jsing("run", built.toString()).stdout());
        Result exec = jsing(
                "exec", "--app", "cow", built.toString(), "sh", "-c", "echo $APPTAINER_APPNAME $SCIF_APPNAME $COWVAR");
        assertEquals("cow cow from-appenv\n", exec.stdout(), exec.describe());
        Result test = jsing("test", "--app", "cow", built.toString());
        assertEquals(4, test.exitCode(), test.describe());
        assertEquals("cow-test-ran\n", test.stdout());
        Result shell = user.run(
                java.util.List.of(
                        "sh", "-c", "echo 'echo $SCIF_APPNAME' | " + TestDist.jsing() + " shell --app cow " + built),
                Map.of("JSING_TMPDIR", tmp.toString()),
                work,
                Duration.ofMinutes(1));
        assertEquals("cow\n", shell.stdout(), shell.describe());
        Result help = jsing("run-help", "--app", "cow", built.toString());
        assertEquals(0, help.exitCode(), help.describe());
        assertTrue(help.stdout().contains("The cow app."), help.describe());
        // The option's keys: APPTAINER_APP, SINGULARITY_APPNAME...
        assertEquals(
                "moo cow from-appenv \n",
                jsing(Map.of("APPTAINER_APP", "cow"), "run", built.toString()).stdout());
    }

    @Test
    void anAppInApptainersLayout() {
        Result run = jsing("run", "--app", "tool", apptainerLayout.toString());
        assertEquals("tool-run tool-env\n", run.stdout(), run.describe());
        Result exec =
                jsing("exec", "--app", "tool", apptainerLayout.toString(), "sh", "-c", "toolcmd; echo $SCIF_APPROOT");
        assertEquals("toolcmd-found\n/scif/apps/tool\n", exec.stdout(), exec.describe());
    }

    @Test
    void unknownAppsAndMissingScriptsAreOneLineErrors() {
        Result unknown = jsing("run", "--app", "nope", built.toString());
        assertEquals(ExitCodes.NOT_FOUND, unknown.exitCode(), unknown.describe());
        assertEquals(
                "jsing: error: --app nope: no such app in " + built + " (its apps: bare, cow)\n", unknown.stderr());
        Result noRun = jsing("run", "--app", "bare", built.toString());
        assertEquals(ExitCodes.NOT_FOUND, noRun.exitCode(), noRun.describe());
        assertEquals("jsing: error: --app bare: the app has no runscript (run)\n", noRun.stderr());
        Result noTest = jsing("test", "--app", "tool", apptainerLayout.toString());
        assertEquals(ExitCodes.NOT_FOUND, noTest.exitCode(), noTest.describe());
        assertEquals("jsing: error: --app tool: the app has no test (test)\n", noTest.stderr());
        Result bad = jsing("exec", "--app", "../x", built.toString(), "true");
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.describe());
        assertTrue(bad.stderr().startsWith("jsing: --app: '../x' is not an app name"), bad.describe());
        Path plain = MinbaseImage.busybox();
        Result none = jsing("exec", "--app", "x", plain.toString(), "true");
        assertEquals(ExitCodes.NOT_FOUND, none.exitCode(), none.describe());
        assertEquals("jsing: error: --app x: no such app in " + plain + " (it has no SCIF apps)\n", none.stderr());
    }
}
