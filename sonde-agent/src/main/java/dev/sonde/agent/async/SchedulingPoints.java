package dev.sonde.agent.async;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rewrites the JDK's scheduling points to call {@code SondeSpyAsync}: where work is scheduled (a stage is made, a task
 * is handed to an executor, a thread is started) and where it begins to run. Only straight-line code is added (a call
 * before a call, a call at entry and before returns, one call swapped for another), so the classes' stack map frames
 * stay valid as they are and no class has to be loaded to recompute them while java.base is being rewritten.
 */
final class SchedulingPoints implements ClassFileTransformer {

    static final String SPY = "dev/sonde/agent/spy/SondeSpyAsync";
    static final String RELAYS_SPY = "dev/sonde/agent/spy/SondeSpyAsyncRelays";

    /** CompletableFuture's task and completion classes: captured when made, current while they run or fire. */
    static final List<String> STAGES = List.of("AsyncSupply", "AsyncRun", "UniApply", "UniAccept", "UniRun", "UniWhenComplete",
            "UniHandle", "UniExceptionally", "UniComposeExceptionally", "UniCompose", "BiApply", "BiAccept", "BiRun",
            "OrApply", "OrAccept", "OrRun");

    /**
     * The completions that complete an {@code allOf} ({@code BiRelay}) or {@code anyOf} ({@code AnyOf}; {@code OrRelay}
     * before JDK 21) future: not hand-offs of their own, they tell which input completed the combined future.
     */
    static final Map<String, String> RELAYS = Map.of("BiRelay", "allOf", "AnyOf", "anyOf", "OrRelay", "anyOf");

    /** ForkJoinPool's scheduling methods (JDK 25+) and its public ways to hand it a task: the task is their first argument. */
    private static final Set<String> FORK_JOIN_SUBMITS = Set.of("execute", "submit", "schedule", "scheduleAtFixedRate",
            "scheduleWithFixedDelay", "submitWithTimeout");

    private static final String CF = "java/util/concurrent/CompletableFuture$";
    private static final String DELAYED_TASK = "java/util/concurrent/DelayScheduler$ScheduledForkJoinTask";
    private static final String FORK_JOIN_TASK = "java/util/concurrent/ForkJoinTask$";

    /** Classes this transformer rewrites, in internal form; ForkJoinTask's nested adapters are matched by prefix. */
    static final Set<String> CLASSES = classes();

    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
    private final Set<String> rewritten = ConcurrentHashMap.newKeySet();

    static boolean targets(String internalName) {
        return internalName != null && (CLASSES.contains(internalName) || internalName.startsWith(FORK_JOIN_TASK));
    }

    Map<String, Throwable> failures() {
        return failures;
    }

    Set<String> rewritten() {
        return rewritten;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] original) {
        if (loader != null || !targets(className)) {
            return null;
        }
        try {
            byte[] result = rewrite(className, original);
            if (result != null) {
                rewritten.add(className);
            }
            return result;
        } catch (Throwable e) {
            failures.put(className, e);
            return null;
        }
    }

    static byte[] rewrite(String className, byte[] original) {
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        boolean[] changed = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return next;
                }
                MethodVisitor adapted = adapt(className, access, name, descriptor, next);
                changed[0] |= adapted != next;
                return adapted;
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : null;
    }

    private static MethodVisitor adapt(String owner, int access, String name, String descriptor, MethodVisitor next) {
        boolean instance = (access & Opcodes.ACC_STATIC) == 0;
        if (owner.startsWith(CF)) {
            String stage = owner.substring(CF.length());
            boolean fires = name.equals("tryFire") && descriptor.equals("(I)Ljava/util/concurrent/CompletableFuture;");
            if (RELAYS.containsKey(stage)) {
                return fires ? new Advice.RelayFires(next, owner, RELAYS.get(stage), !stage.equals("AnyOf")) : next;
            }
            if (!STAGES.contains(stage)) {
                return next;
            }
            if (fires && !stage.startsWith("Async")) {
                // every stage but supplyAsync/runAsync has an input future (UniCompletion.src)
                return new Advice.JoinSource(new Advice.BeginEnd(next), owner);
            }
            if (name.equals("<init>")) {
                return new Advice.CaptureThis(next, "capture", true);
            }
            if (name.equals("run") && descriptor.equals("()V") || name.equals("tryFire") && descriptor.equals("(I)Ljava/util/concurrent/CompletableFuture;")) {
                return new Advice.BeginEnd(next);
            }
            return next;
        }
        if (owner.startsWith(FORK_JOIN_TASK)) {
            if (name.equals("<init>") && descriptor.startsWith("(Ljava/util/concurrent/Callable;")) {
                // a Callable adapted to a ForkJoinTask: how ForkJoinPool.invokeAll hands its tasks to the pool
                return new Advice.CaptureArgument(next);
            }
            return instance ? new Advice.RunThroughSpy(next) : next;
        }
        if (owner.equals(DELAYED_TASK)) {
            return instance ? new Advice.RunThroughSpy(next) : next;
        }
        switch (owner) {
            case "java/util/concurrent/ThreadPoolExecutor":
                if (name.equals("execute") && descriptor.equals("(Ljava/lang/Runnable;)V")) {
                    return new Advice.CaptureArgument(next);
                }
                return name.equals("runWorker") ? new Advice.RunThroughSpy(next) : next;
            case "java/util/concurrent/ScheduledThreadPoolExecutor":
                return name.equals("delayedExecute") ? new Advice.CaptureArgument(next) : next;
            case "java/util/concurrent/ForkJoinPool":
                boolean submits = (access & Opcodes.ACC_PUBLIC) != 0 && instance && FORK_JOIN_SUBMITS.contains(name)
                        && descriptor.startsWith("(L");
                return submits ? new Advice.CaptureArgument(next) : next;
            case "java/lang/Thread":
            case "java/lang/VirtualThread":
                if (name.equals("start") && instance) {
                    return new Advice.CaptureThis(next, "captureStart");
                }
                if (name.equals("run") && (descriptor.equals("()V") || descriptor.equals("(Ljava/lang/Runnable;)V"))) {
                    return new Advice.BeginThreadBeforeRun(next);
                }
                return next;
            default:
                return next;
        }
    }

    private static Set<String> classes() {
        Set<String> names = new java.util.HashSet<>();
        for (String stage : STAGES) {
            names.add(CF + stage);
        }
        for (String relay : RELAYS.keySet()) {
            names.add(CF + relay);
        }
        names.add(DELAYED_TASK);
        names.addAll(List.of("java/util/concurrent/ThreadPoolExecutor", "java/util/concurrent/ScheduledThreadPoolExecutor",
                "java/util/concurrent/ForkJoinPool", "java/lang/Thread", "java/lang/VirtualThread"));
        return Set.copyOf(names);
    }
}
