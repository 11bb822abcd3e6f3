package dev.sonde.jdi.eval;

import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.InvalidTypeException;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.InvocationException;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.SondeException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs code in the target for evaluations, bounded in time, and knows which threads are running such code, so the
 * event loop can let events that code triggers pass without reporting a stop.
 */
final class TargetCalls {

    /** How long an interrupted call gets to end before the evaluation reports it as still running. */
    private static final Duration GRACE_AFTER_INTERRUPT = Duration.ofMillis(500);

    /** One call in the target through JDI (an invokeMethod or newInstance). */
    @FunctionalInterface
    interface Call {
        Value run() throws InvocationException, IncompatibleThreadStateException, InvalidTypeException, ClassNotLoadedException;
    }

    /** How long a refused call that would end the VM stays confirmable by evaluating it again. */
    static final Duration EXIT_CONFIRMATION = Duration.ofSeconds(30);

    private final Set<ThreadReference> busy = ConcurrentHashMap.newKeySet();
    /** Calls that would end the VM, refused once, by their source, with when they were refused (System.nanoTime). */
    private final Map<String, Long> refusedExits = new ConcurrentHashMap<>();
    private volatile boolean vmDying;

    /** Whether {@code method} ends the VM: System.exit, Runtime.exit, Runtime.halt (run by {@link VmExitCall}). */
    static boolean endsTheVm(Method method) {
        String owner = method.declaringType().name();
        return owner.equals("java.lang.System") && method.name().equals("exit")
                || owner.equals("java.lang.Runtime") && List.of("exit", "halt").contains(method.name());
    }

    /**
     * Refuses a call that would end the VM the first time it is evaluated, and lets it run when the same call is
     * evaluated again within {@link #EXIT_CONFIRMATION}: an insistence a stray evaluation does not give.
     */
    void requireExitConfirmed(String source, String what) {
        long now = System.nanoTime();
        Long refused = refusedExits.remove(source);
        if (refused != null && now - refused <= EXIT_CONFIRMATION.toNanos()) {
            return;
        }
        refusedExits.put(source, now);
        throw SondeException.badState(Errors.code(source) + " calls " + what + ", which ends the target VM, so Sonde did not run it;"
                + " evaluate the same expression again within " + EXIT_CONFIRMATION.toSeconds() + " s to run it anyway.");
    }

    /** The target is dying or gone (VMDeath or VMDisconnect seen): no thread of it may be interrupted any more. */
    void vmDying() {
        vmDying = true;
    }

    boolean isBusy(ThreadReference thread) {
        return busy.contains(thread);
    }

    /**
     * Runs {@code call} on {@code thread} and waits at most {@code timeout}. JDI blocks until the target returns, so
     * the call runs on a thread of its own: past the timeout the target thread is interrupted and left to finish,
     * and the evaluation fails.
     */
    Value run(ThreadReference thread, String source, Duration timeout, Call call) {
        if (!busy.add(thread)) {
            throw SondeException.badState("Thread " + thread.name() + " is still running a method an earlier evaluation called;"
                    + " wait for it to return, then evaluate again.");
        }
        CompletableFuture<Value> outcome = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("sonde-eval-call").start(() -> {
            try {
                Value value = call.run();
                busy.remove(thread);
                outcome.complete(value);
            } catch (Throwable failure) {
                busy.remove(thread);
                outcome.completeExceptionally(failure);
            }
        });
        try {
            return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            // Interrupting a thread of a VM that shuts down crashes the JDWP agent (see VmExitCall).
            if (vmDying || shuttingDown(thread.virtualMachine())) {
                throw SondeException.timeout(Errors.code(source) + " began shutting the target VM down, which cannot finish inside an"
                        + " evaluation (the JDWP agent waits for the evaluation to end) and would crash if interrupted;"
                        + " Sonde leaves it alone, so end the target with kill.");
            }
            throw timedOut(thread, source, timeout, outcome);
        } catch (ExecutionException failed) {
            throw failure(thread, source, failed.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SondeException.badState("Sonde was interrupted while " + Errors.code(source) + " ran in the target.");
        }
    }

    private SondeException timedOut(ThreadReference thread, String source, Duration timeout, CompletableFuture<Value> outcome) {
        thread.interrupt();
        boolean ended;
        try {
            outcome.get(Math.min(timeout.toNanos(), GRACE_AFTER_INTERRUPT.toNanos()), TimeUnit.NANOSECONDS);
            ended = true;
        } catch (ExecutionException threw) {
            ended = true;
        } catch (TimeoutException | InterruptedException stillRunning) {
            ended = false;
        }
        return SondeException.timeout(Errors.code(source) + " did not return within " + shown(timeout)
                + ", so Sonde interrupted the thread, " + (ended
                ? "which ended the call; raise the invoke timeout if the method is just slow."
                : "which is still running the call; the thread stays busy until the call returns."));
    }

    /**
     * Whether the target has begun to shut down: {@code java.lang.Shutdown.currentRunningHook} leaves -1 as the first
     * shutdown hook runs (JDK 9 to 25). Read as a field, without running code; false when the field is not there.
     */
    private static boolean shuttingDown(VirtualMachine vm) {
        try {
            for (ReferenceType shutdown : vm.classesByName("java.lang.Shutdown")) {
                Field hook = shutdown.fieldByName("currentRunningHook");
                if (hook != null && shutdown.getValue(hook) instanceof IntegerValue running) {
                    return running.value() != -1;
                }
            }
            return false;
        } catch (VMDisconnectedException gone) {
            return true;
        } catch (RuntimeException unknown) {
            return false;
        }
    }

    private static String shown(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    private static RuntimeException failure(ThreadReference thread, String source, Throwable failure) {
        return switch (failure) {
            case InvocationException threw -> Errors.threw(source, threw.exception().referenceType().name(), detailMessage(threw.exception()));
            case IncompatibleThreadStateException notStopped -> SondeException.badState("Thread " + thread.name()
                    + " is suspended but did not stop at a breakpoint or step, so " + Errors.code(source)
                    + " cannot run code in it; evaluate in a thread stopped by a breakpoint or step.");
            case ClassNotLoadedException missing -> SondeException.notFound(Errors.code(source) + " needs the class "
                    + missing.className() + ", which the target has not loaded yet.");
            case InvalidTypeException mismatch -> SondeException.invalidInput(Errors.code(source)
                    + " passes a value the method cannot take (" + mismatch.getMessage() + ").");
            case RuntimeException unchecked -> unchecked;
            default -> new IllegalStateException(failure);
        };
    }

    /** The exception's message as stored, read without running {@code getMessage()}. */
    private static String detailMessage(ObjectReference exception) {
        try {
            Field detail = exception.referenceType().fieldByName("detailMessage");
            return detail != null && exception.getValue(detail) instanceof StringReference message ? message.value() : null;
        } catch (ObjectCollectedException gone) {
            return null;
        }
    }
}
