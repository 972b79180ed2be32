package dev.jsing.runner.cli.sif;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import dev.jsing.sif.Arch;
import dev.jsing.sif.DataType;
import dev.jsing.sif.FsType;
import dev.jsing.sif.HashType;
import dev.jsing.sif.ObjectInput;
import dev.jsing.sif.PartType;
import dev.jsing.sif.SbomFormat;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Turns siftool's numeric {@code add} flags into an {@link ObjectInput}, with siftool's checks and defaults (no group
 * unless {@code --groupid} is given; link, alignment and name only when given).
 */
final class SiftoolAddInput {
    private static final DataType[] DATA_TYPES = {
        DataType.DEFFILE,
        DataType.ENV_VAR,
        DataType.LABELS,
        DataType.PARTITION,
        DataType.SIGNATURE,
        DataType.GENERIC_JSON,
        DataType.GENERIC,
        DataType.CRYPTO_MESSAGE,
        DataType.SBOM
    };
    private static final Arch[] ARCHES = {
        Arch.I386,
        Arch.AMD64,
        Arch.ARM,
        Arch.ARM64,
        Arch.PPC64,
        Arch.PPC64LE,
        Arch.MIPS,
        Arch.MIPSLE,
        Arch.MIPS64,
        Arch.MIPS64LE,
        Arch.S390X,
        Arch.RISCV64
    };

    private SiftoolAddInput() {}

    /** The flag values of {@code siftool add}; null for flags not given. */
    record Flags(
            int dataType,
            int partType,
            int partFs,
            int partArch,
            int signHash,
            String signEntity,
            String sbomFormat,
            long groupId,
            Long link,
            Integer alignment,
            String filename) {}

    static ObjectInput build(Flags f, Path object) {
        if (f.dataType() < 1 || f.dataType() > DATA_TYPES.length) {
            throw usage("--datatype is required, in the range 1..9");
        }
        DataType type = DATA_TYPES[f.dataType() - 1];
        ObjectInput in = ObjectInput.of(type, object);
        if (f.groupId() < 0 || f.groupId() > 0x0FFFFFFFL) {
            throw usage("invalid --groupid " + f.groupId());
        }
        in = f.groupId() == 0 ? in.withNoGroup() : in.withGroupId((int) f.groupId());
        if (f.link() != null) {
            if (f.link() <= 0 || f.link() > 0xFFFFFFFFL) {
                throw usage("invalid --link " + f.link() + ": want an object ID 1 or more");
            }
            in = in.withLinkedId((int) (long) f.link());
        }
        if (f.alignment() != null) {
            in = in.withAlignment(f.alignment());
        }
        if (f.filename() != null) {
            in = in.withName(f.filename());
        }
        switch (type) {
            case PARTITION:
                return withPartition(in, f);
            case SIGNATURE:
                return withSignature(in, f);
            case SBOM:
                if (f.sbomFormat() == null || f.sbomFormat().isEmpty()) {
                    throw usage("with SBOM datatype, --sbomformat must be passed");
                }
                SbomFormat sf = SbomFormat.parse(f.sbomFormat())
                        .orElseThrow(() -> usage("invalid SBOM format: " + f.sbomFormat()));
                return in.withSbom(sf);
            default:
                return in;
        }
    }

    private static ObjectInput withPartition(ObjectInput in, Flags f) {
        if (f.partType() == 0 || f.partFs() == 0 || f.partArch() == 0) {
            throw usage("with partition datatype, --partfs, --parttype and --partarch must be passed");
        }
        FsType fs = FsType.of(f.partFs());
        if (fs == FsType.UNKNOWN) {
            throw usage("invalid --partfs " + f.partFs() + ": want 1..6");
        }
        PartType pt = PartType.of(f.partType());
        if (pt == PartType.UNKNOWN) {
            throw usage("invalid --parttype " + f.partType() + ": want 1..4");
        }
        if (f.partArch() < 1 || f.partArch() > ARCHES.length) {
            throw usage("unknown architecture: --partarch " + f.partArch() + ": want 1..12");
        }
        return in.withPartition(fs, pt, ARCHES[f.partArch() - 1]);
    }

    private static ObjectInput withSignature(ObjectInput in, Flags f) {
        byte[] fp;
        try {
            fp = HexFormat.of().parseHex(f.signEntity() == null ? "" : f.signEntity());
        } catch (IllegalArgumentException e) {
            throw usage("failed to decode signing entity fingerprint: " + e.getMessage());
        }
        HashType ht = HashType.of(f.signHash());
        if (ht == HashType.UNKNOWN) {
            throw usage("invalid hash type: " + f.signHash());
        }
        if (fp.length != 20) {
            throw usage("invalid signing entity fingerprint length: got " + fp.length + ", want 20");
        }
        return in.withSignature(ht, fp);
    }

    private static JsingException usage(String message) {
        return new JsingException(ExitCodes.USAGE, message);
    }
}
