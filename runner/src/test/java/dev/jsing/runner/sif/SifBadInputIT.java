package dev.jsing.runner.sif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.testing.Result;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken images give one line on stderr and BAD_IMAGE, never a stack trace; a missing file gives NOT_FOUND. */
class SifBadInputIT {
    @TempDir
    Path tmp;

    private Path corrupt(String name, Consumer<ByteBuffer> edit) throws Exception {
        byte[] good = Files.readAllBytes(SifFixtures.dir().resolve("one-group.sif"));
        ByteBuffer b = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
        edit.accept(b);
        Path bad = tmp.resolve(name);
        Files.write(bad, java.util.Arrays.copyOf(good, b.limit()));
        return bad;
    }

    private static void assertOneLine(Result r, int exit, String contains) {
        assertEquals(exit, r.exitCode(), r.describe());
        assertEquals("", r.stdout());
        String err = r.stderr();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("jsing: error: "), err);
        assertTrue(err.contains(contains), err);
        assertFalse(err.contains("Exception"), err);
    }

    @Test
    void corruptedImagesAreBadImages() throws Exception {
        record Case(String name, Consumer<ByteBuffer> edit, String problem) {}
        var cases = java.util.List.of(
                new Case("truncated.sif", b -> b.limit(64), "truncated file: 64 bytes"),
                new Case("magic.sif", b -> b.put(32, (byte) 'X'), "not a SIF file (bad magic)"),
                new Case("version.sif", b -> b.put(43, (byte) '9'), "unsupported SIF version \"09\""),
                new Case("count.sif", b -> b.putLong(88, 1L << 31), "absurd descriptor count 2147483648"),
                new Case("past-eof.sif", b -> b.putLong(4096 + 585 + 17, 1L << 40), "extends past the end of the file"),
                new Case("overlap.sif", b -> b.putLong(4096 + 585 + 17, 32770), "overlap"));
        for (Case c : cases) {
            Path bad = corrupt(c.name(), c.edit());
            for (String cmd : new String[] {"list", "header"}) {
                Result r = SifFixtures.jsing("sif", cmd, bad.toString());
                assertOneLine(r, ExitCodes.BAD_IMAGE, c.problem());
                assertTrue(r.stderr().startsWith("jsing: error: " + bad + ": "), r.stderr());
            }
            assertOneLine(SifFixtures.jsing("sif", "info", "1", bad.toString()), ExitCodes.BAD_IMAGE, c.problem());
            assertOneLine(SifFixtures.jsing("sif", "dump", "1", bad.toString()), ExitCodes.BAD_IMAGE, c.problem());
        }
    }

    @Test
    void unknownDataTypeIsListedAsUnknownLikeSiftool() throws Exception {
        Path odd = corrupt("unknown-type.sif", b -> b.putInt(4096, 0x4777));
        Result r = SifFixtures.jsing("sif", "list", odd.toString());
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(dev.jsing.runner.testing.Commands.ok("siftool", "list", odd.toString()), r.stdout());
        assertTrue(r.stdout().contains("|Unknown\n"));
    }

    @Test
    void missingFileAndObject() {
        Path missing = tmp.resolve("missing.sif");
        assertOneLine(SifFixtures.jsing("sif", "list", missing.toString()), ExitCodes.NOT_FOUND, missing.toString());
        Path good = SifFixtures.dir().resolve("one-group.sif");
        assertOneLine(
                SifFixtures.jsing("sif", "info", "7", good.toString()), ExitCodes.NOT_FOUND, "object 7 not found");
    }

    @Test
    void badAddArgumentsAreUsageErrors() throws Exception {
        Path img = tmp.resolve("a.sif");
        assertEquals(0, SifFixtures.jsing("sif", "new", img.toString()).exitCode());
        Path obj = Files.writeString(tmp.resolve("x"), "x");
        assertOneLine(
                SifFixtures.jsing("sif", "add", "--datatype", "4", img.toString(), obj.toString()),
                ExitCodes.USAGE,
                "--partfs, --parttype and --partarch must be passed");
        assertOneLine(
                SifFixtures.jsing("sif", "add", "--datatype", "12", img.toString(), obj.toString()),
                ExitCodes.USAGE,
                "--datatype");
    }
}
