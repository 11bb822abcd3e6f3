package dev.sonde.jdi;

import dev.sonde.core.launch.HostPort;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A relay in front of a JDWP port that records every command the debugger sends, so tests can count the round trips
 * an operation costs.
 */
final class JdwpCounter implements AutoCloseable {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(key(1, 2), "VirtualMachine.ClassesBySignature"), Map.entry(key(1, 3), "VirtualMachine.AllClasses"),
            Map.entry(key(2, 1), "ReferenceType.Signature"), Map.entry(key(2, 4), "ReferenceType.Fields"),
            Map.entry(key(2, 5), "ReferenceType.Methods"), Map.entry(key(2, 6), "ReferenceType.GetValues"),
            Map.entry(key(3, 3), "ClassType.InvokeMethod"), Map.entry(key(3, 4), "ClassType.NewInstance"),
            Map.entry(key(5, 1), "InterfaceType.InvokeMethod"), Map.entry(key(6, 2), "Method.VariableTable"),
            Map.entry(key(6, 5), "Method.VariableTableWithGeneric"), Map.entry(key(9, 1), "ObjectReference.ReferenceType"),
            Map.entry(key(9, 2), "ObjectReference.GetValues"), Map.entry(key(9, 6), "ObjectReference.InvokeMethod"),
            Map.entry(key(10, 1), "StringReference.Value"), Map.entry(key(11, 6), "ThreadReference.Frames"),
            Map.entry(key(16, 1), "StackFrame.GetValues"), Map.entry(key(16, 2), "StackFrame.SetValues"),
            Map.entry(key(16, 3), "StackFrame.ThisObject"));

    private final ServerSocket server;
    private final HostPort target;
    private final List<String> commands = new ArrayList<>();
    private final List<Integer> frameReadSizes = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();

    JdwpCounter(HostPort target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("test-jdwp-counter").start(this::accept);
    }

    HostPort address() {
        return new HostPort("127.0.0.1", server.getLocalPort());
    }

    /** The commands sent since the last call, by name ("StackFrame.GetValues"), and forgets them. */
    synchronized List<String> take() {
        List<String> taken = List.copyOf(commands);
        commands.clear();
        return taken;
    }

    /** How many locals each StackFrame.GetValues sent since the last call asked for, and forgets them. */
    synchronized List<Integer> takeFrameReadSizes() {
        List<Integer> taken = List.copyOf(frameReadSizes);
        frameReadSizes.clear();
        return taken;
    }

    /** @param packet the packet after its length: id (4), flags, command set, command, then the data */
    private synchronized void record(int commandSet, int command, byte[] packet) {
        commands.add(NAMES.getOrDefault(key(commandSet, command), commandSet + "." + command));
        if (key(commandSet, command) == key(16, 1)) {
            // thread ID and frame ID (8 bytes each on HotSpot), then the number of slots
            frameReadSizes.add(java.nio.ByteBuffer.wrap(packet, 7 + 16, 4).getInt());
        }
    }

    private static int key(int commandSet, int command) {
        return commandSet * 256 + command;
    }

    private void accept() {
        try {
            Socket debugger = server.accept();
            Socket agent = new Socket(target.host(), target.port());
            debugger.setTcpNoDelay(true);
            agent.setTcpNoDelay(true);
            synchronized (this) {
                sockets.add(debugger);
                sockets.add(agent);
            }
            Thread.ofPlatform().daemon().name("test-jdwp-counter-replies").start(() -> copy(agent, debugger));
            Thread.ofPlatform().daemon().name("test-jdwp-counter-commands").start(() -> relayCommands(debugger, agent));
        } catch (IOException closed) {
            // the relay is closed
        }
    }

    /** Copies the debugger's packets to the agent, noting each command (flags 0) by its command set and number. */
    private void relayCommands(Socket debugger, Socket agent) {
        try (DataInputStream in = new DataInputStream(debugger.getInputStream()); OutputStream out = agent.getOutputStream()) {
            byte[] handshake = in.readNBytes("JDWP-Handshake".length());
            out.write(handshake);
            while (true) {
                int length = in.readInt();
                byte[] rest = in.readNBytes(length - 4);
                if (rest.length < length - 4) {
                    return;
                }
                if (rest[4] == 0) {
                    record(rest[5] & 0xff, rest[6] & 0xff, rest);
                }
                byte[] packet = new byte[length];
                packet[0] = (byte) (length >>> 24);
                packet[1] = (byte) (length >>> 16);
                packet[2] = (byte) (length >>> 8);
                packet[3] = (byte) length;
                System.arraycopy(rest, 0, packet, 4, rest.length);
                out.write(packet);
            }
        } catch (IOException gone) {
            // one side closed
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException gone) {
            // one side closed
        }
    }

    @Override
    public synchronized void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
