package dev.jsing.sif;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Reads {@code [start, start+length)} of a shared channel with positional reads; closing it leaves the channel open. */
final class ObjectStream extends InputStream {
    private final FileChannel channel;
    private long position;
    private final long end;

    ObjectStream(FileChannel channel, long start, long length) {
        this.channel = channel;
        this.position = start;
        this.end = start + length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n <= 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        long left = end - position;
        if (left <= 0) {
            return -1;
        }
        int want = (int) Math.min(len, left);
        int n = channel.read(ByteBuffer.wrap(b, off, want), position);
        if (n < 0) {
            throw new IOException("unexpected end of file at offset " + position);
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long k = Math.max(0, Math.min(n, end - position));
        position += k;
        return k;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, end - position);
    }
}
