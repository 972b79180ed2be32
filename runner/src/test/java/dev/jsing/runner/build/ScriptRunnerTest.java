package dev.jsing.runner.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jsing.common.proc.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests for {@link ScriptRunner}'s failure message: a section run with {@code /bin/sh -ex} (as %post is) that fails
 * is reported with its exit status, the line of the section that failed and that command.
 */
class ScriptRunnerTest {
    @TempDir
    Path tmp;

    /** Runs {@code body} as a build section would run ({@code /bin/sh -ex SCRIPT}) and returns the failure message. */
    private String failureOf(String body) throws IOException {
        Path script = tmp.resolve("post.script");
        Files.writeString(script, body);
        Processes.Outcome o = Processes.run(List.of("/bin/sh", "-ex", script.toString()), null, null, false, null);
        return ScriptRunner.failure("stage 1: %post", o, body).getMessage();
    }

    /** Pins that the failing line is named, with its number in the section and the command sh traced. */
    @Test
    void namesTheFailingLine() throws IOException {
        assertEquals(
                "stage 1: %post failed with exit status 1 at line 4 of the section; last command: test -e /no/such/file",
                failureOf("echo start\n# a comment\nmkdir -p " + tmp + "/x\ntest -e /no/such/file\necho never\n"));
    }

    /** Pins that a line with variables (traced expanded) is still found, by its command word. */
    @Test
    void findsALineWhoseTraceIsExpanded() throws IOException {
        assertEquals(
                "stage 1: %post failed with exit status 1 at line 3 of the section; last command: test -d /no/such/dir",
                failureOf("D=/no/such\necho $D\ntest -d $D/dir\necho never\n"));
    }

    /** Pins the message when nothing was traced (a syntax error): the script's last output line. */
    @Test
    void withoutATraceTheLastOutputLineIsShown() throws IOException {
        String msg = failureOf("if then\n");
        assertEquals(true, msg.startsWith("stage 1: %post failed with exit status 2; "), msg);
        assertEquals(true, msg.toLowerCase(java.util.Locale.ROOT).contains("syntax error"), msg);
    }

    /** Pins {@link ScriptRunner#lineOf}: exact lines win over command-word matches; blank and comment lines never count. */
    @Test
    void lineOfPrefersExactLines() {
        String body = "apt-get update\n# apt-get install -y foo\napt-get install -y gcc\n\nmake\n";
        assertEquals(3, ScriptRunner.lineOf(body, "apt-get install -y gcc"));
        assertEquals(3, ScriptRunner.lineOf(body, "apt-get install -y clang"), "last line with the same command word");
        assertEquals(5, ScriptRunner.lineOf(body, "make"));
        assertEquals(0, ScriptRunner.lineOf(body, "cmake .."));
        assertEquals(0, ScriptRunner.lineOf(null, "make"));
    }
}
