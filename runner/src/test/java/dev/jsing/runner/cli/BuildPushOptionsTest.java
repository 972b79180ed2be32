package dev.jsing.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options of build and push that change what the command does, run in-process through the picocli tree. */
class BuildPushOptionsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int jsing(String... args) {
        return JsingCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private Path def() throws Exception {
        return Files.writeString(
                dir.resolve("two.def"),
                String.join(
                        "\n",
                        "Bootstrap: docker",
                        "From: alpine:{{ TAG }}",
                        "Stage: build",
                        "",
                        "%post",
                        "    echo hi > /x",
                        "",
                        "Bootstrap: localimage",
                        "From: base.sif",
                        "Stage: final",
                        "",
                        "%files from build",
                        "    /x /x",
                        "",
                        "%environment",
                        "    export A=1",
                        "",
                        "%runscript",
                        "    echo run",
                        "",
                        "%test",
                        "",
                        "%apprun tool",
                        "    echo tool",
                        ""));
    }

    @Test
    void dryRunWithoutJsonPrintsASummary() throws Exception {
        Path def = def();
        assertEquals(0, jsing("build", "--dry-run", "--build-arg", "TAG=3.19", def.toString()), err.toString());
        assertEquals(
                def + ": 2 stages\n"
                        + "stage 1 'build': bootstrap docker, from alpine:3.19\n"
                        + "  sections: %post\n"
                        + "stage 2 'final': bootstrap localimage, from base.sif\n"
                        + "  sections: %files, %environment, %runscript, %apprun tool\n",
                out.toString(),
                "a blank %test is not listed");
        assertEquals("", err.toString());
        assertTrue(Files.notExists(dir.resolve("unused")));
    }

    @Test
    void dryRunWithJsonPrintsTheModel() throws Exception {
        assertEquals(
                0, jsing("build", "--dry-run", "--json", "--build-arg", "TAG=3.19", def().toString()), err.toString());
        assertTrue(out.toString().startsWith("{") && out.toString().contains("alpine:3.19"), out.toString());
    }

    @Test
    void pushHasNoArch() throws Exception {
        Path sif = Files.writeString(dir.resolve("x.sif"), "not pushed");
        assertEquals(ExitCodes.USAGE, jsing("push", "--arch", "arm64", sif.toString(), "oras://127.0.0.1:9/x/y:1"));
        assertTrue(
                err.toString().startsWith("jsing: Unknown option")
                        && err.toString().contains("'--arch'"),
                err.toString());
        assertTrue(err.toString().contains("Run 'jsing push --help' for usage."), err.toString());
        assertEquals("", out.toString());
    }
}
