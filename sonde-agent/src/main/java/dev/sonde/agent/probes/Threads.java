package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** The thread of a hit as the JDWP events show it ({@code id}, {@code name}, {@code virtual}); the agent is built for 17. */
final class Threads {

    private static final MethodHandle IS_VIRTUAL = isVirtual();

    private Threads() {
    }

    @SuppressWarnings("deprecation")
    static Json.Obj ref(Thread thread) {
        return new Json.Obj().put("id", thread.getId()).put("name", thread.getName()).put("virtual", virtual(thread));
    }

    static boolean virtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle isVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
