package dev.jsing.runner.cli.sif;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.ObjectInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jsing sif add [flags] <sif_path> <object_path>}, with siftool's flags. */
@Command(
        name = "add",
        description = "Add a data object to a SIF image.",
        footer = {
            "%nExamples:",
            "  jsing sif add image.sif recipe.def --datatype 1",
            "  jsing sif add image.sif rootfs.squashfs --datatype 4 --parttype 1 --partfs 1 --partarch 2",
            "  jsing sif add image.sif signature.bin --datatype 5 --signentity 433FE984155206BD962725E20E8713472A879943"
                    + " --signhash 1"
        })
public final class SifAddCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<sif_path>")
    Path image;

    @Parameters(index = "1", paramLabel = "<object_path>")
    Path object;

    @Option(
            names = "--datatype",
            paramLabel = "int",
            description = {
                "the type of data to add [NEEDED, no default]:",
                "  1-Deffile, 2-EnvVar, 3-Labels, 4-Partition, 5-Signature,",
                "  6-GenericJSON, 7-Generic, 8-CryptoMessage, 9-SBOM"
            })
    int dataType;

    @Option(
            names = "--parttype",
            paramLabel = "int32",
            description = "the type of partition (with --datatype 4-Partition): 1-System, 2-PrimSys, 3-Data, 4-Overlay")
    int partType;

    @Option(
            names = "--partfs",
            paramLabel = "int32",
            description = "the filesystem used (with --datatype 4-Partition): 1-Squash, 2-Ext3, 3-ImmuObj, 4-Raw")
    int partFs;

    @Option(
            names = "--partarch",
            paramLabel = "int32",
            description = {
                "the main architecture used (with --datatype 4-Partition):",
                "  1-386, 2-amd64, 3-arm, 4-arm64, 5-ppc64, 6-ppc64le, 7-mips, 8-mipsle,",
                "  9-mips64, 10-mips64le, 11-s390x, 12-riscv64"
            })
    int partArch;

    @Option(
            names = "--signhash",
            paramLabel = "int32",
            description =
                    "the signature hash used (with --datatype 5-Signature): 1-SHA256, 2-SHA384, 3-SHA512, 4-BLAKE2s_256,"
                            + " 5-BLAKE2b_256")
    int signHash;

    @Option(
            names = "--signentity",
            paramLabel = "string",
            description =
                    "the entity that signs (with --datatype 5-Signature), e.g. 433FE984155206BD962725E20E8713472A879943")
    String signEntity;

    @Option(
            names = "--sbomformat",
            paramLabel = "string",
            description = {
                "the SBOM format (with --datatype 9-sbom): cyclonedx-json, cyclonedx-xml,",
                "  github-json, spdx-json, spdx-rdf, spdx-tag-value, spdx-yaml, syft-json"
            })
    String sbomFormat;

    @Option(names = "--groupid", paramLabel = "uint32", description = "set groupid [default: 0]")
    long groupId;

    @Option(names = "--link", paramLabel = "uint32", description = "set link pointer [default: 0]")
    Long link;

    @Option(
            names = "--alignment",
            paramLabel = "int",
            description = "set alignment [default: 4096 with --datatype 4-Partition, 0 otherwise]")
    Integer alignment;

    @Option(names = "--filename", paramLabel = "string", description = "set logical filename/handle")
    String filename;

    @Override
    public Integer call() {
        ObjectInput input = SiftoolAddInput.build(
                new SiftoolAddInput.Flags(
                        dataType,
                        partType,
                        partFs,
                        partArch,
                        signHash,
                        signEntity,
                        sbomFormat,
                        groupId,
                        link,
                        alignment,
                        filename),
                object);
        if (!Files.isReadable(object) || Files.isDirectory(object)) {
            throw new JsingException(ExitCodes.NOT_FOUND, object + ": no such file or not readable");
        }
        return SifCli.withImage(image, true, img -> {
            img.add(input);
            return 0;
        });
    }
}
