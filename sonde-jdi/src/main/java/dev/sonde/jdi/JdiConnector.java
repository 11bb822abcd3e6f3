package dev.sonde.jdi;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.VirtualMachineManager;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMStartEvent;
import com.sun.jdi.request.EventRequest;
import dev.sonde.core.backend.ConnectRetry;
import dev.sonde.core.backend.Connectors;
import dev.sonde.core.backend.EarlyOutput;
import dev.sonde.core.backend.Backend;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Connects the JVM backend to a target: attach to a listening JDWP port, or launch a JVM and attach. */
public final class JdiConnector {

    /**
     * How long an attach waits for a start event. The agent sends one only when it holds the target for its first
     * debugger (suspend=y), right after the handshake; a running target sends none, so waiting long would delay every
     * attach. A start event that comes later still becomes the entry stop, in the backend's event loop.
     */
    private static final long ATTACH_START_EVENT_MILLIS = 250;

    private JdiConnector() {
    }

    /**
     * Attaches to {@code address}, retrying with backoff while nothing listens there yet, for up to
     * {@link JdiOptions#attachTimeout()}.
     */
    public static dev.sonde.core.backend.Connector attach(HostPort address, JdiOptions options) {
        return () -> async("attach " + address, () -> {
            VirtualMachine vm = attachWithRetries(address, options.attachTimeout());
            return disposedOnFailure(vm, () -> new JdiBackend(vm, address.toString(), null,
                    consumeStartEvent(vm, ATTACH_START_EVENT_MILLIS), options));
        });
    }

    /**
     * Starts a JVM held before {@code main} under a debug server of {@code servers}, and attaches to it.
     * The backend owns the server: ending the session ends the JVM, and its output becomes session events.
     */
    public static dev.sonde.core.backend.Connector launch(JvmLaunchSpec spec, ServerManager servers, JdiOptions options) {
        return () -> async("launch", () -> {
            EarlyOutput output = new EarlyOutput();
            DebugServer server = servers.start(spec.withSuspend(true), output);
            VirtualMachine vm;
            try {
                vm = attachWithRetries(server.address(), options.attachTimeout(), server);
            } catch (RuntimeException e) {
                server.kill();
                throw e;
            }
            // Launched held, with us its first debugger: the start event is on its way.
            JdiBackend created;
            try {
                created = disposedOnFailure(vm, () -> new JdiBackend(vm, server.address().toString(), server,
                        consumeStartEvent(vm, Math.max(ATTACH_START_EVENT_MILLIS, options.attachTimeout().toMillis())), options));
            } catch (RuntimeException e) {
                server.kill();
                throw e;
            }
            output.deliverTo(created::output);
            return created;
        });
    }

    private static CompletableFuture<Backend> async(String what, java.util.function.Supplier<Backend> work) {
        return Connectors.async(what, work, failure -> failure instanceof SondeException ? failure : JdiErrors.translate(failure));
    }

    static VirtualMachine attachWithRetries(HostPort address, Duration timeout) {
        return attachWithRetries(address, timeout, null);
    }

    /** Like {@link #attachWithRetries(HostPort, Duration)}, giving up at once when {@code launched} (if any) has exited. */
    static VirtualMachine attachWithRetries(HostPort address, Duration timeout, DebugServer launched) {
        VirtualMachineManager machines = Bootstrap.virtualMachineManager();
        ConnectRetry.Wording wording = new ConnectRetry.Wording("start the target with -agentlib:jdwp=transport=dt_socket,server=y,address="
                + address.port() + " (or use sonde launch), and check that no other debugger is attached", "the target");
        return ConnectRetry.connect(address, timeout, wording, (host, timeoutMillis) -> {
            JdwpSocketConnection connection;
            try {
                connection = JdwpSocketConnection.open(address, timeoutMillis);
            } catch (JdwpSocketConnection.NotJdwpException e) {
                throw new SondeException(ErrorKind.CONNECTION, address + " answered, but not as a JDWP debug agent; check the port number.", e);
            } catch (IOException e) {
                exitedBeforeAttach(launched);
                throw e;
            }
            try {
                return machines.createVirtualMachine(connection);
            } catch (IOException | RuntimeException e) {
                connection.close();
                if (e instanceof IOException) {
                    exitedBeforeAttach(launched);
                }
                throw e;
            }
        });
    }

    /**
     * Makes the backend of a freshly attached VM; if that fails (the target died right after the handshake, say), lets
     * go of the VM so that JDI's threads for it end.
     */
    private static JdiBackend disposedOnFailure(VirtualMachine vm, java.util.function.Supplier<JdiBackend> backend) {
        try {
            return backend.get();
        } catch (RuntimeException e) {
            try {
                vm.dispose();
            } catch (RuntimeException alreadyGone) {
                // disconnected already: nothing more to let go of
            }
            throw e;
        }
    }

    /** A launched target that died (killed, or its main class missing) will never accept a debugger: say so now. */
    private static void exitedBeforeAttach(DebugServer launched) {
        if (launched != null && !launched.isAlive()) {
            Integer code = launched.exit().getNow(null);
            throw SondeException.targetGone("The target exited" + (code == null ? "" : " with code " + code)
                    + " before a debugger could attach; its output says why.");
        }
    }

    /**
     * An agent holding its target for the first debugger sends a start event as that debugger connects. Taking it
     * here, before the backend's event loop starts, tells whether the target is held at entry, and keeps a resume
     * issued right after connecting from racing with it.
     */
    private static boolean consumeStartEvent(VirtualMachine vm, long waitMillis) {
        try {
            EventSet first = vm.eventQueue().remove(waitMillis);
            if (first == null) {
                return false;
            }
            boolean start = first.stream().anyMatch(VMStartEvent.class::isInstance);
            if (start) {
                return first.suspendPolicy() == EventRequest.SUSPEND_ALL;
            }
            first.resume();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
