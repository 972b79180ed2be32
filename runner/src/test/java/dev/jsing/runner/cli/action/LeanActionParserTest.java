package dev.jsing.runner.cli.action;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jsing.runner.cli.ExecCommand;
import dev.jsing.runner.launch.LaunchRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The lean parser and picocli agree, and the lean parser knows every option of ActionOptions. */
class LeanActionParserTest {
  private static LaunchRequest picocli(String... args) {
    ExecCommand c = new ExecCommand();
    CommandLine cl = new CommandLine(c);
    cl.setStopAtPositional(true);
    cl.parseArgs(args);
    try {
      var f = ExecCommand.class.getDeclaredField("image");
      f.setAccessible(true);
      var a = ExecCommand.class.getDeclaredField("args");
      a.setAccessible(true);
      @SuppressWarnings("unchecked")
      List<String> rest = (List<String>) a.get(c);
      return c.options.toRequest("exec", (String) f.get(c), rest);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void agreesWithPicocli() {
    String[][] cases = {
      {"img.sif", "ls", "-la"},
      {"-B", "/a:/b:ro,/c", "--bind=/d", "--mount", "type=bind,src=/s,dst=/t", "img", "id", "-u"},
      {"-H", "/h:/home/x", "--no-home", "-c", "-C", "-e", "img", "true"},
      {"--cwd", "/w", "img", "x"},
      {"--env", "A=1", "--env-file", "f", "--pwd=/v", "-S", "/s", "-W", "/wd", "img", "x"},
      {"--writable-tmpfs", "--overlay", "/o", "--no-mount", "tmp,cwd", "-p", "-i", "--hostname", "h", "--unsquash", "img", "x"},
    };
    for (String[] c : cases) {
      assertEquals(picocli(c), LeanActionParser.parse("exec", c, false), String.join(" ", c));
    }
  }

  @Test
  void leavesUnusualFormsToPicocli() {
    assertNull(LeanActionParser.parse("exec", new String[] {"--help"}, false));
    assertNull(LeanActionParser.parse("exec", new String[] {"-ce", "img", "x"}, false));
    assertNull(LeanActionParser.parse("exec", new String[] {"-B"}, false));
    assertNull(LeanActionParser.parse("exec", new String[] {"img"}, false));
  }

  @Test
  void knowsEveryActionOption() {
    List<String> names = new ArrayList<>();
    new CommandLine(new ExecCommand()).getCommandSpec().options().forEach(o -> {
      for (String n : o.names()) {
        if (!n.equals("-h") && !n.equals("--help") && !n.equals("-V") && !n.equals("--version")) {
          names.add(n);
        }
      }
    });
    List<String> lean = new ArrayList<>(LeanActionParser.WITH_VALUE);
    lean.addAll(LeanActionParser.FLAGS);
    names.sort(null);
    lean.sort(null);
    assertEquals(names, lean);
  }
}
