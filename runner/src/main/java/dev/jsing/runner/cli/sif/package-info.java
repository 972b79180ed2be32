/**
 * The {@code jsing sif} subcommands, one class each, with the arguments, flags and output of Debian's {@code siftool}
 * 2.8.3. They only parse and delegate: the format lives in {@code dev.jsing.sif}, the texts in
 * {@code dev.jsing.sif.text}, and {@link dev.jsing.runner.cli.sif.SifCli} maps library failures to exit codes.
 */
package dev.jsing.runner.cli.sif;
