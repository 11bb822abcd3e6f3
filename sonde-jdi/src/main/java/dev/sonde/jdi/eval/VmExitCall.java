package dev.sonde.jdi.eval;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.ClassObjectReference;
import com.sun.jdi.ClassType;
import com.sun.jdi.InvalidTypeException;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.Value;
import dev.sonde.core.error.SondeException;

import java.util.List;

/**
 * Runs a call that ends the VM (System.exit, Runtime.exit, Runtime.halt) on a new thread of the target.
 *
 * <p>Why not on the stopped thread: that thread runs evaluations inside the JDWP agent's breakpoint (or step)
 * callback, and the agent's VM-death handler waits for every active callback to finish, its own caller's included,
 * so the exit never completes; interrupting the stuck call, as a time-out did, crashed the agent (SIGSEGV in
 * threadControl_setPendingInterrupt, exit code 134). A new thread is in no callback: the exit runs the shutdown hooks
 * and ends the VM with the code asked for. The thread is made from the JDK alone, with no class of Sonde's:
 * {@code new Thread(MethodHandleProxies.asInterfaceInstance(Runnable.class, insertArguments(handle, 0, args))).start()}.
 */
final class VmExitCall {

    private static final long RELEASE_MILLIS = 10_000;

    private final Context ctx;
    private final String source;

    private VmExitCall(Context ctx, String source) {
        this.ctx = ctx;
        this.source = source;
    }

    /** Starts a target thread that calls {@code method} on {@code receiver} (null for a static method) with {@code arguments}. */
    static void start(Context ctx, String source, Method method, ObjectReference receiver, List<Value> arguments) {
        new VmExitCall(ctx, source).start(method, receiver, arguments);
    }

    private void start(Method method, ObjectReference receiver, List<Value> arguments) {
        ClassType handles = type("java.lang.invoke.MethodHandles");
        ClassType lookupType = type("java.lang.invoke.MethodHandles$Lookup");
        ClassType methodTypes = type("java.lang.invoke.MethodType");
        ClassType handleType = type("java.lang.invoke.MethodHandle");
        ClassType integers = type("java.lang.Integer");
        ClassType voids = type("java.lang.Void");
        ClassType proxies = type("java.lang.invoke.MethodHandleProxies");
        ClassType threads = type("java.lang.Thread");

        ObjectReference lookup = call(handles, null, "publicLookup", "()Ljava/lang/invoke/MethodHandles$Lookup;");
        Value voidClass = voids.getValue(voids.fieldByName("TYPE"));
        Value intClass = integers.getValue(integers.fieldByName("TYPE"));
        ObjectReference signature = call(methodTypes, null, "methodType",
                "(Ljava/lang/Class;Ljava/lang/Class;)Ljava/lang/invoke/MethodType;", voidClass, intClass);
        ClassObjectReference owner = method.declaringType().classObject();
        String find = "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;";
        ObjectReference handle;
        if (method.isStatic()) {
            handle = call(lookupType, lookup, "findStatic", find, owner, ctx.mirror(method.name()), signature);
        } else {
            handle = call(lookupType, lookup, "findVirtual", find, owner, ctx.mirror(method.name()), signature);
            handle = call(handleType, handle, "bindTo", "(Ljava/lang/Object;)Ljava/lang/invoke/MethodHandle;", receiver);
        }
        ArrayType objects = (ArrayType) ctx.requireType("java.lang.Object[]");
        ArrayReference boxed = ctx.pin(objects.newInstance(arguments.size()));
        for (int i = 0; i < arguments.size(); i++) {
            try {
                boxed.setValue(i, call(integers, null, "valueOf", "(I)Ljava/lang/Integer;", arguments.get(i)));
            } catch (InvalidTypeException | ClassNotLoadedException e) {
                throw new IllegalStateException("an Integer fits an Object[]", e);
            }
        }
        ObjectReference bound = call(handles, null, "insertArguments",
                "(Ljava/lang/invoke/MethodHandle;I[Ljava/lang/Object;)Ljava/lang/invoke/MethodHandle;", handle, ctx.vm().mirrorOf(0), boxed);
        ObjectReference runnable = call(proxies, null, "asInterfaceInstance", "(Ljava/lang/Class;Ljava/lang/invoke/MethodHandle;)Ljava/lang/Object;",
                anyType("java.lang.Runnable").classObject(), bound);
        Method constructor = threads.concreteMethodByName("<init>", "(Ljava/lang/Runnable;Ljava/lang/String;)V");
        ObjectReference thread = ctx.pin((ObjectReference) ctx.call(source, "new Thread", () -> threads.newInstance(ctx.thread(), constructor,
                List.of(runnable, ctx.mirror("sonde-exit")), ObjectReference.INVOKE_SINGLE_THREADED)));
        call(threads, thread, "start", "()V");
        release((ThreadReference) thread);
    }

    /**
     * Started while the debugger holds the whole target, the thread is held too, but only once it reaches its start
     * (the JDWP agent suspends it there, on the new thread, some time after {@code start()} returned): so it is released
     * each time it is found held, until the VM goes, which the exit does once the thread runs. A target held only in the
     * stopped thread never holds it, and the VM goes as soon as the exit has run. Bounded by {@link #RELEASE_MILLIS}: an
     * exit whose shutdown hooks block keeps the VM alive, and the evaluation returns anyway.
     */
    private static void release(ThreadReference exiting) {
        long deadline = System.nanoTime() + RELEASE_MILLIS * 1_000_000L;
        try {
            while (System.nanoTime() < deadline) {
                for (int holds = exiting.suspendCount(); holds > 0; holds--) {
                    exiting.resume();
                }
                Thread.sleep(5);
            }
        } catch (VMDisconnectedException | ObjectCollectedException | com.sun.jdi.InternalException ended) {
            // the exit has ended the VM (a dying VM answers with an error)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A class of the JDK, loaded into the target (by Class.forName) if it is not yet. */
    private ClassType type(String name) {
        return (ClassType) anyType(name);
    }

    private ReferenceType anyType(String name) {
        ReferenceType loaded = ctx.evaluator().loadedType(ctx.vm(), name);
        if (loaded == null) {
            ClassType classes = (ClassType) ctx.requireType("java.lang.Class");
            ClassObjectReference found = call(classes, null, "forName", "(Ljava/lang/String;)Ljava/lang/Class;", ctx.mirror(name));
            loaded = found.reflectedType();
        }
        return loaded;
    }

    @SuppressWarnings("unchecked")
    private <T extends Value> T call(ClassType type, ObjectReference receiver, String name, String signature, Value... arguments) {
        Method method = type.concreteMethodByName(name, signature);
        if (method == null) {
            throw SondeException.notFound(Errors.code(source) + " cannot be run on a thread of its own: the target's "
                    + Errors.display(type.name()) + " has no " + name + signature + ".");
        }
        List<Value> values = List.of(arguments);
        Value result = ctx.call(source, Errors.display(type.name()) + "." + name, receiver == null
                ? () -> type.invokeMethod(ctx.thread(), method, values, ObjectReference.INVOKE_SINGLE_THREADED)
                : () -> receiver.invokeMethod(ctx.thread(), method, values, ObjectReference.INVOKE_SINGLE_THREADED));
        return (T) (result instanceof ObjectReference object ? ctx.pin(object) : result);
    }
}
