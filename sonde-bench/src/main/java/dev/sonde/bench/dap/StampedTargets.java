package dev.sonde.bench.dap;

import dev.sonde.core.backend.Backend;
import dev.sonde.core.backend.Connector;
import dev.sonde.core.event.Event;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.dap.server.TargetFactory;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Attaches through the JVM backend and notes the moment the backend hands each stop to its session: where the
 * Session API and the DAP server start to differ, so both are timed from the same instant.
 */
final class StampedTargets implements TargetFactory {

    private volatile long lastStop;

    /** When the backend last reported a stop ({@link System#nanoTime()}). */
    long lastStop() {
        return lastStop;
    }

    @Override
    public Connector attach(HostPort address, Duration timeout) {
        Connector jdi = JdiConnector.attach(address, JdiOptions.DEFAULT.withAttachTimeout(timeout));
        return () -> jdi.connect().thenApply(this::stamped);
    }

    @Override
    public Connector launch(JvmLaunchSpec spec) {
        throw new UnsupportedOperationException("the benchmark attaches to its target");
    }

    @SuppressWarnings("unchecked")
    private Backend stamped(Backend backend) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, method, args) -> {
            Object[] arguments = args;
            if (method.getName().equals("start")) {
                Consumer<Event> events = (Consumer<Event>) args[0];
                arguments = new Object[] {(Consumer<Event>) event -> {
                    if (event instanceof Event.Stopped) {
                        lastStop = System.nanoTime();
                    }
                    events.accept(event);
                }};
            }
            try {
                return method.invoke(backend, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
