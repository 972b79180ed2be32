package dev.jsing.deffile;

/** The text of one stage (LF line endings) and the 1-based file line it starts on. */
record Chunk(String text, int firstLine) {}
