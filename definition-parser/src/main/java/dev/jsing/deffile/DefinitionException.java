package dev.jsing.deffile;

/**
 * An invalid definition file (or build argument). The message is one line, {@code file:line:col: problem}, where the
 * problem names the offending text and what was expected, e.g.
 * {@code recipe.def:12:1: unknown section '%psot' (did you mean '%post'?)}. Line and column are 1-based; both are 0
 * when the problem has no place in the file (then the message is {@code file: problem}).
 */
public final class DefinitionException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final int line;
    private final int column;
    private final String problem;

    private DefinitionException(String file, int line, int column, String problem) {
        super(format(file, line, column, problem));
        this.file = file;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** A problem at {@code line:column} (1-based) of {@code file}. */
    public static DefinitionException at(String file, int line, int column, String problem) {
        return new DefinitionException(file, Math.max(1, line), Math.max(1, column), problem);
    }

    /** A problem with the file as a whole, or with the build arguments given for it. */
    public static DefinitionException of(String file, String problem) {
        return new DefinitionException(file, 0, 0, problem);
    }

    public String file() {
        return file;
    }

    /** 1-based line, or 0 when the problem has no line. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when the problem has no column. */
    public int column() {
        return column;
    }

    /** The message without the {@code file:line:col: } prefix. */
    public String problem() {
        return problem;
    }

    private static String format(String file, int line, int column, String problem) {
        String oneLine = problem.replace('\n', ' ').replace('\r', ' ');
        return line > 0 ? file + ":" + line + ":" + column + ": " + oneLine : file + ": " + oneLine;
    }
}
