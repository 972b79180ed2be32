package dev.jsing.runner.launch;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;
import dev.jsing.runner.error.ExitCodes;
import dev.jsing.runner.error.JsingException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code execve(2)} from the JVM, through jffi, the native layer of JNR (jnr-posix and jnr-ffi sit on it). Calling
 * it directly costs about 60 ms less than {@code POSIXFactory.getNativePOSIX()} and 200 ms less than a jnr-ffi
 * interface binding, which matter here: this runs once per launch, per MPI rank. On success it does not return.
 */
public final class NativeExec {
    private NativeExec() {}

    /** Replaces this process with {@code path}; returns only by throwing. */
    public static void execve(String path, List<String> argv, List<String> env) {
        MemoryIO io = MemoryIO.getInstance();
        Library libc = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.GLOBAL);
        if (libc == null) {
            throw new JsingException(ExitCodes.INTERNAL, "cannot load libc: " + Library.getLastError());
        }
        long fn = libc.getSymbolAddress("execve");
        CallContext ctx = CallContext.getCallContext(
                Type.SINT, new Type[] {Type.POINTER, Type.POINTER, Type.POINTER}, CallingConvention.DEFAULT, true);
        System.out.flush();
        System.err.flush();
        Invoker.getInstance().invokeN3(ctx, fn, cstring(io, path), vector(io, argv), vector(io, env));
        int errno = LastError.getInstance().get();
        throw new JsingException(
                errno == 2 ? ExitCodes.UNAVAILABLE : ExitCodes.LAUNCH_FAILED,
                "cannot execute " + path + ": "
                        + (errno == 2 ? "no such file (is jsing installed completely?)" : "errno " + errno));
    }

    /** {@code kill(pid, sig)}; returns 0, or the errno of the failure (3: ESRCH, no such process; 1: EPERM). */
    public static int kill(long pid, int sig) {
        Library libc = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.GLOBAL);
        if (libc == null) {
            throw new JsingException(ExitCodes.INTERNAL, "cannot load libc: " + Library.getLastError());
        }
        long fn = libc.getSymbolAddress("kill");
        CallContext ctx = CallContext.getCallContext(
                Type.SINT, new Type[] {Type.SINT, Type.SINT}, CallingConvention.DEFAULT, true);
        long r = Invoker.getInstance().invokeN2(ctx, fn, pid, sig);
        return (int) r == 0 ? 0 : LastError.getInstance().get();
    }

    private static long cstring(MemoryIO io, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long p = io.allocateMemory(b.length + 1, true);
        io.putByteArray(p, b, 0, b.length);
        io.putByte(p + b.length, (byte) 0);
        return p;
    }

    private static long vector(MemoryIO io, List<String> items) {
        long p = io.allocateMemory(8L * (items.size() + 1), true);
        for (int i = 0; i < items.size(); i++) {
            io.putAddress(p + 8L * i, cstring(io, items.get(i)));
        }
        io.putAddress(p + 8L * items.size(), 0);
        return p;
    }
}
