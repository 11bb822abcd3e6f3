package dev.sonde.jdi.asyncstacks;

import com.sun.jdi.BooleanValue;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.core.agent.AsyncStacksAttach;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.launch.HostPort;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * When a session attaches to a JVM of this machine, loads the Sonde agent capturing async stacks into it, in the
 * background, and says once how that went: hand-offs made from then on are captured, or why not (a remote target,
 * attach refused), in which case stacks are what JDWP alone gives. The load waits while every thread of the target is
 * held (the JVM's attach listener is held with them) and gives up after {@link #LOAD_SECONDS} of the target running.
 *
 * <p>Whether capture runs is also read through JDWP (the spy's {@code enabled} field), before loading (a target started
 * with the agent needs no Attach API) and while the load's answer is awaited: a breakpoint that stops every thread
 * right after the agent started would otherwise hold that answer, and the sentence, until the target runs again.
 */
public final class AsyncAttach implements AutoCloseable {

    /** Seconds of the target running (not held) that the load may take before the session is told it failed. */
    static final long LOAD_SECONDS = 20;
    private static final String PLAIN = "; `where` shows what JDWP alone gives.";

    /** The JDK classes the agent rewrites (by name prefix); JDI must forget what it read of them before. */
    private static final List<String> REWRITTEN = List.of("java.util.concurrent.CompletableFuture$",
            "java.util.concurrent.ForkJoinTask$", "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ScheduledThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool", "java.lang.Thread", "java.lang.VirtualThread");

    private final Supplier<OptionalLong> localPid;
    private final BooleanSupplier held;
    private final BooleanSupplier captureOn;
    private final Consumer<Predicate<String>> classesRewritten;
    private final String address;
    private final Consumer<Event> events;
    private final AtomicBoolean announced = new AtomicBoolean();
    /** The target's pid while the load runs and has not been announced; -1 otherwise. */
    private volatile long loadingPid = -1;
    private volatile boolean closed;

    /**
     * @param localPid       the target's pid when it runs on this machine, else empty
     * @param held           whether every thread of the target is suspended
     * @param captureOn      whether the agent's async capture runs in the target (see {@link #captureOn(VirtualMachine)})
     * @param classesRewritten told which loaded classes the agent rewrote (by name), so JDI reads them anew; runs later
     * @param address        the target's debug address, for the sentence about a remote target
     * @param events         where the sentence goes, as the session's console output
     */
    public AsyncAttach(Supplier<OptionalLong> localPid, BooleanSupplier held, BooleanSupplier captureOn,
                       Consumer<Predicate<String>> classesRewritten, String address, Consumer<Event> events) {
        this.localPid = localPid;
        this.held = held;
        this.captureOn = captureOn;
        this.classesRewritten = classesRewritten;
        this.address = address;
        this.events = events;
    }

    /** Whether the Sonde agent's async capture runs in {@code vm}: the spy's static {@code enabled}, read with JDWP alone. */
    public static boolean captureOn(VirtualMachine vm) {
        for (ReferenceType type : vm.classesByName(AsyncStackReader.SPY)) {
            if (type.classLoader() == null && type instanceof ClassType spy && spy.isInitialized()) {
                Field enabled = spy.fieldByName("enabled");
                return enabled != null && spy.getValue(enabled) instanceof BooleanValue on && on.value();
            }
        }
        return false;
    }

    /** Starts loading on a thread of its own; the session goes on at once. */
    public void start() {
        Thread loader = new Thread(this::load, "sonde-async-attach");
        loader.setDaemon(true);
        loader.start();
    }

    @Override
    public void close() {
        closed = true;
    }

    private void load() {
        try {
            OptionalLong pid = localPid.get();
            if (pid.isEmpty()) {
                say("async stacks: off, since " + (loopback() ? "the process serving " + address + " could not be found (it may run as"
                        + " another OS user)" : "the target at " + address + " is not reached through loopback, so it is taken for"
                        + " another machine's") + ", and the Sonde agent loads only into JVMs of this machine and your user" + PLAIN);
                return;
            }
            if (captureOn()) {
                loaded(AsyncStacksAttach.Outcome.ALREADY_ON, pid.getAsLong());
                return;
            }
            waitWhileHeld();
            if (closed) {
                return;
            }
            CompletableFuture<AsyncStacksAttach.Outcome> loading = new CompletableFuture<>();
            Thread attach = new Thread(() -> {
                try {
                    loading.complete(AsyncStacksAttach.start(pid.getAsLong()));
                } catch (Throwable e) {
                    loading.completeExceptionally(e);
                }
            }, "sonde-async-attach-" + pid.getAsLong());
            attach.setDaemon(true);
            loadingPid = pid.getAsLong();
            attach.start();
            awaitLoad(loading, pid.getAsLong());
        } catch (RuntimeException e) {
            if (!closed) {
                say("async stacks: off, since loading the Sonde agent failed (" + e + ")" + PLAIN);
            }
        }
    }

    private void awaitLoad(CompletableFuture<AsyncStacksAttach.Outcome> loading, long pid) {
        long runningNanos = 0;
        long budget = TimeUnit.SECONDS.toNanos(LOAD_SECONDS);
        while (!closed) {
            long before = System.nanoTime();
            try {
                loaded(loading.get(250, TimeUnit.MILLISECONDS), pid);
                return;
            } catch (TimeoutException e) {
                if (captureOn()) {
                    loaded(AsyncStacksAttach.Outcome.STARTED, pid);
                    return;
                }
                if (!held()) {
                    runningNanos += System.nanoTime() - before;
                }
                if (runningNanos >= budget) {
                    say("async stacks: off for now, since the Sonde agent did not load into " + pid + " within " + LOAD_SECONDS
                            + " s; it is said here if it does" + PLAIN);
                    loading.thenAccept(outcome -> loaded(outcome, pid));
                    return;
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String why = cause instanceof AgentClient.AgentUnavailable unavailable ? clause(unavailable.getMessage()) : String.valueOf(cause);
                say("async stacks: off, since " + why + PLAIN);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Said once, whichever sees it first: the load's answer or the spy's field. */
    private void loaded(AsyncStacksAttach.Outcome outcome, long pid) {
        if (closed || !announced.compareAndSet(false, true)) {
            return;
        }
        loadingPid = -1;
        if (outcome == AsyncStacksAttach.Outcome.ALREADY_ON) {
            say("async stacks: the Sonde agent in " + pid + " captures hand-offs already.");
            return;
        }
        classesRewritten.accept(name -> REWRITTEN.stream().anyMatch(name::startsWith));
        say("async stacks: capturing hand-offs from now on (the Sonde agent loaded into " + pid
                + "); work scheduled before shows its own thread's frames only.");
    }

    /**
     * Called before a stop is reported: when the load is under way and capture already runs, says so first, so the
     * sentence comes before the stop whose stack it explains (the load's own answer may be held by that stop).
     */
    public void beforeStop() {
        long pid = loadingPid;
        if (pid > 0 && !announced.get() && captureOn()) {
            loaded(AsyncStacksAttach.Outcome.STARTED, pid);
        }
    }

    private boolean captureOn() {
        try {
            return captureOn.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Every thread held (a stop, or a JVM started with suspend=y): its attach listener cannot answer, so wait. */
    private void waitWhileHeld() {
        long pause = 50;
        while (!closed && held()) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            pause = Math.min(2_000, pause * 2);
        }
    }

    private boolean held() {
        try {
            return held.getAsBoolean();
        } catch (RuntimeException gone) {
            closed = true;
            return false;
        }
    }

    private boolean loopback() {
        try {
            return InetAddress.getByName(HostPort.parse(address).host()).isLoopbackAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return false;
        }
    }

    /** A sentence of AgentClient's as a clause: no capital, no full stop. */
    private static String clause(String sentence) {
        String text = sentence.strip();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private void say(String sentence) {
        if (!closed) {
            events.accept(new Event.Output(OutputCategory.CONSOLE, sentence + System.lineSeparator()));
        }
    }
}
