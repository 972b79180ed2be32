package dev.jsing.deffile;

import java.util.List;
import java.util.Set;

/**
 * What a stage parse needs beyond its text: the file name for messages, where warnings go, and the names of earlier
 * stages for {@code %files from} ({@code null} to skip reference checks, as in the first, untemplated pass).
 */
record ParseContext(String file, List<String> warnings, Set<String> earlierStages) {
    DefinitionException error(int line, int column, String problem) {
        return DefinitionException.at(file, line, column, problem);
    }

    void warn(int line, int column, String problem) {
        warnings.add(file + ":" + line + ":" + column + ": " + problem);
    }
}
