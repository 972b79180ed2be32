package dev.jsing.runner.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallerIdentityTest {
    @TempDir
    Path tmp;

    @Test
    void idsFromStatusAndTheRestFromPasswd() throws IOException {
        Path status = Files.writeString(
                tmp.resolve("status"),
                "Name:\tjava\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\nGroups:\t100 27 \n");
        Path passwd = Files.writeString(
                tmp.resolve("passwd"),
                "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:100:Alice A:/home/alice:/bin/zsh\n");
        assertEquals(
                new CallerIdentity(1000, 100, List.of(100, 27), "alice", "Alice A", "/home/alice", "/bin/zsh"),
                CallerIdentity.of(status, passwd, Map.of("USER", "bob", "HOME", "/tmp")));
    }

    @Test
    void withoutAPasswdEntryTheEnvironmentNamesTheUser() throws IOException {
        Path status =
                Files.writeString(tmp.resolve("status"), "Uid:\t4242 4242 4242 4242\nGid:\t4242 4242 4242 4242\n");
        assertEquals(
                new CallerIdentity(4242, 4242, List.of(), "bob", "bob", "/scratch/bob", "/bin/sh"),
                CallerIdentity.of(status, tmp.resolve("none"), Map.of("USER", "bob", "HOME", "/scratch/bob")));
        assertEquals(
                "user4242",
                CallerIdentity.of(status, tmp.resolve("none"), Map.of()).user());
    }

    @Test
    void theRunningProcess() {
        CallerIdentity me = CallerIdentity.current();
        assertEquals(new com.sun.security.auth.module.UnixSystem().getUid(), me.uid());
    }
}
