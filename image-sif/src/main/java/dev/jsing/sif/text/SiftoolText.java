package dev.jsing.sif.text;

import dev.jsing.sif.DataType;
import dev.jsing.sif.Descriptor;
import dev.jsing.sif.FsType;
import dev.jsing.sif.HashType;
import dev.jsing.sif.Header;
import dev.jsing.sif.PartitionInfo;
import dev.jsing.sif.SifImage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code header}, {@code list} and {@code info} texts of Debian's siftool 2.8.3, byte for byte. That version
 * predates the OCI data types, so it shows them as {@code Unknown} and prints no digest; so does this class.
 */
public final class SiftoolText {
    private static final String RULE =
            "------------------------------------------------------------------------------\n";

    private SiftoolText() {}

    /** {@code siftool header}. */
    public static String header(Header h) {
        Columns c = new Columns(1, false);
        String script = h.launchScript();
        if (!script.isEmpty()) {
            c.row("Launch Script:", script.endsWith("\n") ? script.substring(0, script.length() - 1) : script);
        }
        c.row("Version:", h.version());
        if (!h.arch().goName().equals("unknown")) {
            c.row("Primary Architecture:", h.arch().goName());
        }
        if (!h.id().equals(new UUID(0, 0))) {
            c.row("ID:", h.id());
        }
        if (h.createdAtSeconds() != SifImage.ZERO_TIME.getEpochSecond()) {
            c.row("Created At:", goTime(h.createdAtSeconds()));
        }
        if (h.modifiedAtSeconds() != SifImage.ZERO_TIME.getEpochSecond()) {
            c.row("Modified At:", goTime(h.modifiedAtSeconds()));
        }
        c.row("Descriptors Free:", h.descriptorsFree());
        c.row("Descriptors Total:", h.descriptorsTotal());
        c.row("Descriptors Offset:", h.descriptorsOffset());
        c.row("Descriptors Size:", readableSize(h.descriptorsSize()));
        c.row("Data Offset:", h.dataOffset());
        c.row("Data Size:", readableSize(h.dataSize()));
        return c.render();
    }

    /** {@code siftool list}. */
    public static String list(List<Descriptor> descriptors) {
        StringBuilder sb = new StringBuilder();
        sb.append(RULE);
        sb.append(String.format(
                "%-4s %-8s %-8s %-26s %s\n", "ID", "|GROUP", "|LINK", "|SIF POSITION (start-end)", "|TYPE"));
        sb.append(RULE);
        for (Descriptor d : descriptors) {
            sb.append(String.format("%-4s ", Integer.toUnsignedString(d.id())));
            sb.append(d.groupId() == 0 ? String.format("|%-7s ", "NONE") : String.format("|%-7d ", d.groupId()));
            if (d.linkedId() == 0) {
                sb.append(String.format("|%-7s ", "NONE"));
            } else if (d.isLinkedToGroup()) {
                sb.append(String.format("|%-3d (G) ", d.linkedId()));
            } else {
                sb.append(String.format("|%-7d ", d.linkedId()));
            }
            sb.append(String.format("%-26s ", "|" + d.offset() + "-" + (d.offset() + d.size()) + " "));
            sb.append(typeColumn(d));
        }
        return sb.toString();
    }

    /** The TYPE column and end of line; like siftool, nothing at all when the metadata cannot be decoded. */
    private static String typeColumn(Descriptor d) {
        String dt = typeName(d);
        switch (d.dataType()) {
            case PARTITION:
                PartitionInfo p = d.partition().orElseThrow();
                return "|" + dt + " (" + fsName(p) + "/" + p.partType() + "/" + p.arch() + ")\n";
            case SIGNATURE:
                HashType ht = d.signature().orElseThrow().hashType();
                return ht == HashType.UNKNOWN ? "" : "|" + dt + " (" + ht + ")\n";
            case CRYPTO_MESSAGE:
                var m = d.cryptoMessage().orElseThrow();
                return "|" + dt + " (" + m.format() + "/" + m.messageType() + ")\n";
            case SBOM:
                return "|" + dt + " (" + d.sbomFormat().orElseThrow() + ")\n";
            default:
                return "|" + dt + "\n";
        }
    }

    /** {@code siftool info}; empty when siftool fails on the object's metadata (an unsupported hash type). */
    public static Optional<String> info(Descriptor d) {
        Columns c = new Columns(2, true);
        c.row("Data Type:", typeName(d));
        c.row("ID:", Integer.toUnsignedString(d.id()));
        c.row("Group ID:", d.groupId() == 0 ? "NONE" : Integer.toString(d.groupId()));
        String link;
        if (d.linkedId() == 0) {
            link = "NONE";
        } else {
            link = d.linkedId() + (d.isLinkedToGroup() ? " (G)" : "");
        }
        c.row("Linked ID:", link);
        c.row("Offset:", d.offset());
        c.row("Size:", d.size());
        if (d.createdAtSeconds() != SifImage.ZERO_TIME.getEpochSecond()) {
            c.row("Created At:", goTime(d.createdAtSeconds()));
        }
        if (d.modifiedAtSeconds() != SifImage.ZERO_TIME.getEpochSecond()) {
            c.row("Modified At:", goTime(d.modifiedAtSeconds()));
        }
        if (!d.name().isEmpty()) {
            c.row("Name:", d.name());
        }
        switch (d.dataType()) {
            case PARTITION:
                PartitionInfo p = d.partition().orElseThrow();
                c.row("Filesystem Type:", fsName(p));
                c.row("Partition Type:", p.partType());
                c.row("Architecture:", p.arch());
                break;
            case SIGNATURE:
                var s = d.signature().orElseThrow();
                if (s.hashType() == HashType.UNKNOWN) {
                    return Optional.empty();
                }
                c.row("Hash Type:", s.hashType());
                if (!s.entity().isEmpty()) {
                    c.row("Entity:", s.entity());
                }
                break;
            case CRYPTO_MESSAGE:
                var m = d.cryptoMessage().orElseThrow();
                c.row("Format Type:", m.format());
                c.row("Message Type:", m.messageType());
                break;
            case SBOM:
                c.row("Format:", d.sbomFormat().orElseThrow());
                break;
            default:
                break;
        }
        return Optional.of(c.render());
    }

    /** The type name siftool 2.8.3 prints: OCI types, newer than it, are "Unknown". */
    private static String typeName(Descriptor d) {
        DataType t = d.dataType();
        return t == DataType.OCI_BLOB || t == DataType.OCI_ROOT_INDEX ? DataType.UNKNOWN.toString() : t.toString();
    }

    /** The filesystem name siftool 2.8.3 prints: gocryptfs squashfs, newer than it, is "Unknown". */
    private static String fsName(PartitionInfo p) {
        FsType fs = p.fsType();
        return fs == FsType.GOCRYPTFS_SQUASHFS ? FsType.UNKNOWN.toString() : fs.toString();
    }

    /** Go's {@code time.Time.String()} in UTC for whole seconds: {@code 2020-06-30 00:01:56 +0000 UTC}. */
    static String goTime(Instant t) {
        return goTime(t.getEpochSecond());
    }

    private static final long SECONDS_PER_DAY = 86400;
    private static final long DAYS_PER_400_YEARS = 365 * 400 + 97;
    private static final long DAYS_PER_100_YEARS = 365 * 100 + 24;
    private static final long DAYS_PER_4_YEARS = 365 * 4 + 1;
    private static final long ABSOLUTE_ZERO_YEAR = -292277022399L;
    /** Go's {@code unixToInternal + internalToAbsolute} (absoluteToInternal being -9223371966579724800). */
    private static final long UNIX_TO_ABSOLUTE = 62135596800L + 9223371966579724800L;

    private static final int[] DAYS_BEFORE = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

    /**
     * Go's {@code time.Unix(sec, 0).UTC().String()} for any 64-bit {@code sec}, computed as Go does (absolute time as
     * an unsigned 64-bit count wrapping at the ends, years of any width, {@code -0001} before year 0), so extreme
     * timestamps in a SIF print what siftool prints instead of failing.
     */
    static String goTime(long unixSeconds) {
        long abs = unixSeconds + UNIX_TO_ABSOLUTE; // wraps as Go's int64 sum; read as uint64 below
        long d = Long.divideUnsigned(abs, SECONDS_PER_DAY);
        long n = d / DAYS_PER_400_YEARS; // d < 2^64 / 86400: positive as a signed long
        long y = 400 * n;
        d -= DAYS_PER_400_YEARS * n;
        n = d / DAYS_PER_100_YEARS;
        n -= n >> 2;
        y += 100 * n;
        d -= DAYS_PER_100_YEARS * n;
        n = d / DAYS_PER_4_YEARS;
        y += 4 * n;
        d -= DAYS_PER_4_YEARS * n;
        n = d / 365;
        n -= n >> 2;
        y += n;
        d -= 365 * n;
        long year = y + ABSOLUTE_ZERO_YEAR;
        int day = (int) d;
        int month;
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        if (leap && day == 31 + 29 - 1) {
            month = 2;
            day = 29;
        } else {
            if (leap && day > 31 + 29 - 1) {
                day--;
            }
            int m = day / 31;
            int begin;
            if (day >= DAYS_BEFORE[m + 1]) {
                m++;
                begin = DAYS_BEFORE[m];
            } else {
                begin = DAYS_BEFORE[m];
            }
            month = m + 1;
            day = day - begin + 1;
        }
        int sec = (int) Long.remainderUnsigned(abs, SECONDS_PER_DAY);
        String yy = year < 0 ? "-" + String.format("%04d", -year) : String.format("%04d", year);
        return String.format(
                "%s-%02d-%02d %02d:%02d:%02d +0000 UTC", yy, month, day, sec / 3600, sec / 60 % 60, sec % 60);
    }

    /** siftool's {@code readableSize}: {@code 0 B}, {@code 27 KiB}, rounded to whole units. */
    static String readableSize(long size) {
        if (-1024 < size && size < 1024) {
            return size + " B";
        }
        String units = "KMGTPE";
        long div = 1024;
        int exp = 0;
        for (long n = size / 1024; n <= -1024 || 1024 <= n; n /= 1024) {
            div *= 1024;
            exp++;
        }
        return String.format("%.0f %ciB", (double) Math.round((double) size / div), units.charAt(exp));
    }
}
