package dev.sonde.jdi;

import com.sun.jdi.connect.spi.ClosedConnectionException;
import com.sun.jdi.connect.spi.Connection;
import dev.sonde.core.launch.HostPort;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JDWP connection over a socket, opened by Sonde rather than by JDI's socket connector, because that
 * connector waits for the handshake without a time limit: a port that accepts but never answers would
 * hold an attach forever. JDI builds its {@link com.sun.jdi.VirtualMachine} on top of this connection.
 */
final class JdwpSocketConnection extends Connection {

    private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);

    /** Something accepted the connection but did not answer like a JDWP agent. */
    static final class NotJdwpException extends IOException {
        NotJdwpException(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Object readLock = new Object();
    private final Object writeLock = new Object();
    private volatile boolean closed;

    private JdwpSocketConnection(Socket socket) throws IOException {
        this.socket = socket;
        // Buffered: a packet's length and body (and often the next packets) in one read from the socket, where
        // unbuffered reads cost a system call for each byte of the length.
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.out = socket.getOutputStream();
    }

    /** Connects and exchanges the handshake, each within {@code timeoutMillis}. */
    static JdwpSocketConnection open(HostPort address, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(HANDSHAKE);
            socket.getOutputStream().flush();
            byte[] reply = new byte[HANDSHAKE.length];
            try {
                new DataInputStream(socket.getInputStream()).readFully(reply);
            } catch (EOFException | SocketTimeoutException e) {
                throw new NotJdwpException("no JDWP handshake from " + address);
            }
            if (!Arrays.equals(reply, HANDSHAKE)) {
                throw new NotJdwpException("handshake failed with " + address);
            }
            socket.setSoTimeout(0);
            return new JdwpSocketConnection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public byte[] readPacket() throws IOException {
        if (closed) {
            throw new ClosedConnectionException("connection is closed");
        }
        synchronized (readLock) {
            int first;
            try {
                first = in.read();
            } catch (IOException e) {
                if (closed) {
                    throw new ClosedConnectionException("connection is closed");
                }
                throw e;
            }
            if (first < 0) {
                return new byte[0];
            }
            try {
                int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                if (length < 11) {
                    throw new IOException("protocol error: JDWP packet of " + length + " bytes");
                }
                byte[] packet = new byte[length];
                packet[0] = (byte) (length >>> 24);
                packet[1] = (byte) (length >>> 16);
                packet[2] = (byte) (length >>> 8);
                packet[3] = (byte) length;
                in.readFully(packet, 4, length - 4);
                return packet;
            } catch (EOFException e) {
                return new byte[0];
            } catch (IOException e) {
                if (closed) {
                    throw new ClosedConnectionException("connection is closed");
                }
                throw e;
            }
        }
    }

    @Override
    public void writePacket(byte[] packet) throws IOException {
        if (closed) {
            throw new ClosedConnectionException("connection is closed");
        }
        if (packet.length < 11) {
            throw new IllegalArgumentException("JDWP packet too short: " + packet.length + " bytes");
        }
        int length = ((packet[0] & 0xff) << 24) | ((packet[1] & 0xff) << 16) | ((packet[2] & 0xff) << 8) | (packet[3] & 0xff);
        if (length != packet.length) {
            throw new IllegalArgumentException("JDWP packet length field " + length + " does not match " + packet.length + " bytes");
        }
        synchronized (writeLock) {
            try {
                out.write(packet);
                out.flush();
            } catch (IOException e) {
                if (closed) {
                    throw new ClosedConnectionException("connection is closed");
                }
                throw e;
            }
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }
}
