package dev.jsing.deffile;

import java.util.List;

/**
 * A definition read and templated, with the warnings to show the user (one line each, e.g. unused build arguments
 * with {@code --warn-unused-build-args}, or skipped {@code %arguments} lines).
 */
public record LoadedDefinition(Definition definition, List<String> warnings) {
    public LoadedDefinition {
        warnings = List.copyOf(warnings);
    }
}
