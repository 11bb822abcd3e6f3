package dev.sonde.core.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * The output a detached debuggee appends to its log file, read as a stream while the debuggee runs: at the end of
 * the file it waits for more, and it ends when the debuggee has exited and everything is read.
 */
final class LogTail extends InputStream {

    private static final long POLL_MILLIS = 20;

    private final RandomAccessFile file;
    private final Process process;

    LogTail(Path log, Process process) throws IOException {
        this.file = new RandomAccessFile(log.toFile(), "r");
        this.process = process;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        while (true) {
            boolean exited = !process.isAlive();
            int n = file.read(buffer, offset, length);
            if (n > 0 || exited) {
                return n;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
