package dev.jsing.runner.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ld.so cache reader, the ELF class check, the shipped lists. */
class GpuFilesTest {
    /** Pins the parse of {@code ldconfig -p}: names with their paths in the cache's order, the header skipped. */
    @Test
    void ldconfigOutput() {
        LdCache c = LdCache.parse(List.of(
                "3 libs found in cache `/etc/ld.so.cache'",
                "\tlibcuda.so.1 (libc6) => /usr/lib32/libcuda.so.1",
                "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1",
                "\tlibnvidia-ml.so.1 (libc6,x86-64, OS ABI: Linux 3.2.0) => /usr/lib/libnvidia-ml.so.1"));
        assertEquals(
                List.of("/usr/lib32/libcuda.so.1", "/usr/lib/x86_64-linux-gnu/libcuda.so.1"),
                c.paths().get("libcuda.so.1"));
        assertEquals(List.of("/usr/lib/libnvidia-ml.so.1"), c.paths().get("libnvidia-ml.so.1"));
        assertEquals(2, c.paths().size());
    }

    /** Pins the ELF check: class 64 and the JVM's machine, in either byte order; 32-bit and other machines refused. */
    @Test
    void elfClassAndMachine() {
        byte[] x86 = header(2, 1, 62);
        assertTrue(Elf.matchesHost(x86, "amd64"));
        assertFalse(Elf.matchesHost(header(1, 1, 3), "amd64"), "32-bit i386");
        assertFalse(Elf.matchesHost(header(2, 1, 183), "amd64"), "aarch64 on x86_64");
        assertTrue(Elf.matchesHost(header(2, 1, 183), "aarch64"));
        assertTrue(Elf.matchesHost(header(2, 2, 21), "ppc64"), "big-endian machine field");
        assertFalse(Elf.matchesHost(new byte[] {'#', '!', '/', 'b'}, "amd64"), "not ELF");
    }

    private static byte[] header(int cls, int order, int machine) {
        byte[] h = new byte[20];
        h[0] = 0x7f;
        h[1] = 'E';
        h[2] = 'L';
        h[3] = 'F';
        h[4] = (byte) cls;
        h[5] = (byte) order;
        if (order == 1) {
            h[18] = (byte) machine;
            h[19] = (byte) (machine >> 8);
        } else {
            h[19] = (byte) machine;
            h[18] = (byte) (machine >> 8);
        }
        return h;
    }

    /** Pins the shipped lists: Apptainer's names (a few of them), comments skipped. */
    @Test
    void shippedLists() {
        List<String> nv = LibList.load(DeviceHost.REAL, "/nonexistent-site-dir", "nvliblist.conf");
        assertTrue(
                nv.containsAll(List.of("nvidia-smi", "libcuda.so", "libnvidia-ml.so", "libnvidia-ptxjitcompiler.so")));
        assertTrue(nv.stream().noneMatch(s -> s.startsWith("#")));
        List<String> rocm = LibList.load(DeviceHost.REAL, "/nonexistent-site-dir", "rocmliblist.conf");
        assertTrue(rocm.containsAll(List.of("rocm-smi", "rocminfo", "libamdocl64.so", "libdrm_amdgpu.so")));
    }
}
