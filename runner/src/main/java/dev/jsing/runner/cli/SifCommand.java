package dev.jsing.runner.cli;

import picocli.CommandLine.Command;

/** {@code jsing sif}: SIF inspection and editing, with the meanings of Debian's {@code siftool}. */
@Command(name = "sif", description = "Inspect and edit SIF files (like siftool).", subcommands = {})
public final class SifCommand {}
