package dev.jsing.deffile;

/** A problem on one line of a section body, at a 1-based column of that line; the parser adds file and line. */
final class LineProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int column;

    LineProblem(int column, String problem) {
        super(problem, null, false, false);
        this.column = column;
    }
}
