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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The container's environment built as Apptainer's action script builds it, end to end as the unprivileged test
 * user: on a hand-made busybox image whose env scripts are those of an Apptainer image ({@code
 * 10-docker2singularity.sh} with a Docker PATH, {@code 90-environment.sh}, {@code 99-base.sh}, a script after it),
 * {@code --env}/{@code --env-file}/{@code APPTAINERENV_} values are evaluated by the container's shell right after
 * {@code 99-base.sh} (or literally with {@code --no-eval}), {@code --env A=1,B=2} sets two, the PATH variables,
 * HOME, empty variables, {@code --cleanenv}, {@code --no-env}, {@code --no-umask}, the prompt and the variables set
 * inside; and a replayed launch computes the same environment.
 */
class EnvironmentRulesIT {
    static TestUser user;
    static Path work;
    static Path img;
    static Path tmp;

    @BeforeAll
    static void image() throws Exception {
        user = TestUser.get();
        work = user.newDir("jsing-dropin-env-it-");
        tmp = Files.createDirectories(work.resolve("tmp"));
        Path root = work.resolve("root");
        Commands.ok(
                "unsquashfs",
                "-q",
                "-n",
                "-d",
                root.toString(),
                MinbaseImage.busybox().toString());
        Path env = Files.createDirectories(root.resolve(".singularity.d/env"));
        Files.writeString(env.resolve("10-docker2singularity.sh"), "export PATH=/opt/tool/bin:/bin\n");
        Files.writeString(env.resolve("90-environment.sh"), "export LATE=image90\nexport EMPTIED=\n");
        Files.writeString(env.resolve("99-base.sh"), "export BASE=base\n");
        Files.writeString(env.resolve("99-zz-after.sh"), "export AFTER=\"$LATE-after\"\n");
        img = work.resolve("env.sqfs");
        Commands.ok("mksquashfs", root.toString(), img.toString(), "-quiet", "-noappend", "-all-root");
        user.own(work);
        Commands.ok("chmod", "-R", "a+rX", work.toString());
    }

    static Result jsing(Map<String, String> env, String... args) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("JSING_TMPDIR", tmp.toString());
        return user.run(TestDist.jsing(args), e, work, Duration.ofMinutes(2));
    }

    /** {@code jsing exec [options] IMG sh -c SCRIPT} in {@code env}; exit 0 required; stdout. */
    static String sh(Map<String, String> env, List<String> options, String script) {
        List<String> args = new java.util.ArrayList<>(List.of("exec"));
        args.addAll(options);
        args.addAll(List.of(img.toString(), "sh", "-c", script));
        Result r = jsing(env, args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.describe());
        return r.stdout();
    }

    @Test
    void valuesAreEvaluatedInsideAfter99BaseUnlessNoEval() throws Exception {
        Map<String, String> host = Map.of("APPTAINERENV_WHO", "$(id -u)", "SINGULARITYENV_OLD", "\\$HOME");
        String script = "echo \"$P|$WHO|$OLD|$AFTER|$A,$B|$X\"";
        List<String> opts = List.of("--env", "P=$HOME/sub,A=1,B=2", "--env", "LATE=$BASE-over", "--env", "X=a,b");
        assertEquals(user.home() + "/sub|" + user.uid() + "|$HOME|base-over-after|1,2|a,b\n", sh(host, opts, script));
        List<String> literal = new java.util.ArrayList<>(List.of("--no-eval"));
        literal.addAll(opts);
        assertEquals("$HOME/sub|$(id -u)|\\$HOME|$BASE-over-after|1,2|a,b\n", sh(host, literal, script));
        Map<String, String> viaKey = new HashMap<>(host);
        viaKey.put("APPTAINER_NO_EVAL", "true");
        assertEquals("$HOME/sub|$(id -u)|\\$HOME|$BASE-over-after|1,2|a,b\n", sh(viaKey, opts, script));
        Path f = work.resolve("vars.env");
        Files.writeString(f, "# an env file\nFROMFILE=\"$HOME/f\"\nexport WHO=file\n");
        user.own(f);
        assertEquals(
                user.home() + "/f file\n", sh(host, List.of("--env-file", f.toString()), "echo \"$FROMFILE $WHO\""));
    }

    @Test
    void pathVariablesHomeAndEmptyValues() {
        Map<String, String> host = Map.of(
                "APPTAINERENV_PREPEND_PATH", "/pre",
                "APPTAINERENV_APPEND_PATH", "/app",
                "EMPTIED", "host",
                "WIPED", "host",
                "KEPT_EMPTY", "");
        // The Docker PATH is padded with the default directories (fixpath), then the user's PATH variables apply.
        assertEquals(
                "/pre:/opt/tool/bin:/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/app\n",
                sh(host, List.of(), "echo $PATH"));
        // The command is looked up on that PATH (as Apptainer's exec does): /only has no sh, so name it in full.
        Result only = jsing(host, "exec", "--env", "PATH=/only", img.toString(), "/bin/sh", "-c", "echo $PATH");
        assertEquals(0, only.exitCode(), only.describe());
        assertEquals("/only\n", only.stdout());
        // A host variable the image or an override leaves empty is unset; an empty one nobody touched stays.
        assertEquals(
                "unset unset set\n",
                sh(host, List.of("--env", "WIPED="), "echo ${EMPTIED-unset} ${WIPED-unset} ${KEPT_EMPTY+set}"));
        Result home =
                jsing(Map.of("APPTAINERENV_HOME", "/elsewhere"), "exec", img.toString(), "sh", "-c", "echo $HOME");
        assertEquals(0, home.exitCode(), home.describe());
        assertEquals(user.home() + "\n", home.stdout());
        assertEquals(
                "jsing: warning: overriding HOME with APPTAINERENV_HOME is not permitted (use --home); ignored\n",
                home.stderr());
        Result bad = jsing(Map.of(), "exec", "--env", "A=1,B,C=3", img.toString(), "true");
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.describe());
        assertTrue(bad.stderr().startsWith("jsing: --env: 'A=1,B,C=3': 'B' is not NAME=VALUE"), bad.describe());
    }

    @Test
    void cleanEnvAndNoEnv() {
        Map<String, String> host = Map.of("ONLYHOST", "h", "OTHER", "o", "APPTAINERENV_SET", "s");
        assertEquals("unset s C\n", sh(host, List.of("-e"), "echo ${ONLYHOST-unset} $SET $LANG"));
        assertEquals("unset o\n", sh(host, List.of("--no-env", "ONLYHOST"), "echo ${ONLYHOST-unset} $OTHER"));
        assertEquals(
                "override\n",
                sh(host, List.of("--no-env", "ONLYHOST", "--env", "ONLYHOST=override"), "echo $ONLYHOST"));
        assertEquals(
                "unset\n",
                sh(Map.of("ONLYHOST", "h", "APPTAINER_NOENV", "ONLYHOST"), List.of(), "echo ${ONLYHOST-unset}"));
    }

    @Test
    void umaskPassesUnlessNoUmask() {
        String j = TestDist.jsing();
        Result r = user.run(
                List.of(
                        "sh",
                        "-c",
                        "umask 077; " + j + " exec " + img + " sh -c umask; " + j + " exec --no-umask " + img
                                + " sh -c umask; APPTAINER_NO_UMASK=1 " + j + " exec " + img + " sh -c umask; " + j
                                + " exec --pid --no-umask " + img + " sh -c umask"),
                Map.of("JSING_TMPDIR", tmp.toString()),
                work,
                Duration.ofMinutes(2));
        assertEquals("0077\n0022\n0022\n0022\n", r.stdout(), r.describe()); // the last one under the --pid init
    }

    @Test
    void promptAndVariablesSetInside() {
        Result shell = user.run(
                List.of(
                        "sh",
                        "-c",
                        "echo 'echo \"$PS1|$SHELL|$APPTAINER_ENVIRONMENT|$PROMPT_COMMAND\"' | " + TestDist.jsing()
                                + " shell " + img),
                Map.of("JSING_TMPDIR", tmp.toString()),
                work,
                Duration.ofMinutes(1));
        assertEquals(
                "Apptainer> |/bin/sh|/.singularity.d/env/91-environment.sh|PS1=\"Apptainer> \"; unset PROMPT_COMMAND\n",
                shell.stdout(),
                shell.describe());
        // The user binds' destinations and --no-eval pass on to a nested launch, as Apptainer passes them.
        assertEquals(
                "/w,/t 1 1\n",
                sh(
                        Map.of(),
                        List.of("-B", work + ":/w", "--bind", tmp + ":/t", "--no-eval"),
                        "echo $APPTAINER_BIND $SINGULARITY_NO_EVAL $APPTAINER_NO_EVAL"));
    }

    @Test
    void aReplayedLaunchComputesTheSameEnvironment() {
        String script = "echo \"$P|$WHO|$PATH\"";
        List<String> opts = List.of("--env", "P=$HOME/sub", "--env", "PREPEND_PATH=/pre");
        Map<String, String> first = Map.of("APPTAINERENV_WHO", "$(id -u)", "JSING_FAST_TRACE", "1");
        String expected = user.home() + "/sub|" + user.uid()
                + "|/pre:/opt/tool/bin:/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin\n";
        List<String> args = new java.util.ArrayList<>(List.of("exec"));
        args.addAll(opts);
        args.addAll(List.of(img.toString(), "sh", "-c", script));
        Result full = jsing(Map.of("APPTAINERENV_WHO", "$(id -u)"), args.toArray(new String[0]));
        assertEquals(expected, full.stdout(), full.describe());
        Result replayed = jsing(first, args.toArray(new String[0]));
        assertEquals(expected, replayed.stdout(), replayed.describe());
        assertTrue(replayed.stderr().startsWith("jsing: replay: "), replayed.describe());
        assertTrue(!replayed.stderr().contains("full launch"), "not replayed: " + replayed.describe());
        // Another override value is another plan (the APPTAINERENV_ variables are part of the key).
        Result changed = jsing(Map.of("APPTAINERENV_WHO", "x", "JSING_FAST_TRACE", "1"), args.toArray(new String[0]));
        assertTrue(changed.stdout().startsWith(user.home() + "/sub|x|"), changed.describe());
    }
}
