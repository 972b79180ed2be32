package dev.jsing.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostArchTest {
    @Test
    void jvmNamesBecomeGoNames() {
        assertEquals("amd64", HostArch.goName("amd64"));
        assertEquals("amd64", HostArch.goName("x86_64"));
        assertEquals("arm64", HostArch.goName("aarch64"));
        assertEquals("386", HostArch.goName("x86"));
        assertEquals("386", HostArch.goName("i686"));
        assertEquals("ppc64le", HostArch.goName("ppc64le"));
        assertEquals("s390x", HostArch.goName("s390x"));
        assertEquals("riscv64", HostArch.goName("riscv64"));
        assertEquals(HostArch.goName(System.getProperty("os.arch")), HostArch.goName());
    }
}
