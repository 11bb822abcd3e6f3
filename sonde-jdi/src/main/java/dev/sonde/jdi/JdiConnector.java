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
            return new JdiBackend(vm, address.toString(), null, consumeStartEvent(vm, ATTACH_START_EVENT_MILLIS), options);
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
                vm = attachWithRetries(server.address(), options.attachTimeout());
            } catch (RuntimeException e) {
                server.kill();
                throw e;
            }
            // Launched held, with us its first debugger: the start event is on its way.
            boolean held = consumeStartEvent(vm, Math.max(ATTACH_START_EVENT_MILLIS, options.attachTimeout().toMillis()));
            JdiBackend created = new JdiBackend(vm, server.address().toString(), server, held, options);
            output.deliverTo(created::output);
            return created;
        });
    }

    private static CompletableFuture<Backend> async(String what, java.util.function.Supplier<Backend> work) {
        return Connectors.async(what, work, failure -> failure instanceof SondeException ? failure : JdiErrors.translate(failure));
    }

    static VirtualMachine attachWithRetries(HostPort address, Duration timeout) {
        VirtualMachineManager machines = Bootstrap.virtualMachineManager();
        ConnectRetry.Wording wording = new ConnectRetry.Wording("start the target with -agentlib:jdwp=transport=dt_socket,server=y,address="
                + address.port() + " (or use sonde launch), and check that no other debugger is attached", "the target");
        return ConnectRetry.connect(address, timeout, wording, (host, timeoutMillis) -> {
            JdwpSocketConnection connection;
            try {
                connection = JdwpSocketConnection.open(address, timeoutMillis);
            } catch (JdwpSocketConnection.NotJdwpException e) {
                throw new SondeException(ErrorKind.CONNECTION, address + " answered, but not as a JDWP debug agent; check the port number.", e);
            }
            try {
                return machines.createVirtualMachine(connection);
            } catch (IOException | RuntimeException e) {
                connection.close();
                throw e;
            }
        });
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
