package dev.sonde.cli.testagent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A second, test-only Java agent in the probed JVM, loaded with -javaagent (before Sonde's) or through the Attach API
 * (after it). Its argument is one of:
 * <ul>
 *   <li>{@code count CLASS METHOD}: rewrites CLASS so METHOD calls {@link #counted} first, and prints
 *       {@code counted METHOD N} as the count grows (at start: at class load; attached: by retransforming);</li>
 *   <li>{@code record CLASS FILE}: writes the bytes of CLASS that a retransform-capable transformer registered now
 *       is given, i.e. what the transformers before it (Sonde's) made of the class;</li>
 *   <li>{@code break CLASS} / {@code unbreak}: while on, hands back a broken class file for CLASS whenever Sonde has
 *       woven its spy into it, so Sonde's rewrite fails.</li>
 * </ul>
 */
public final class ClassBytesAgent {

    private static final byte[] SPY = "dev/sonde/agent/spy/SondeSpy".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
    private static volatile ClassFileTransformer breaker;
    /** Each loading of an agent has its own Instrumentation: only the one that added the breaker can remove it. */
    private static volatile Instrumentation breakerOwner;

    private ClassBytesAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        String[] words = args.split(" ");
        instrumentation.addTransformer(counter(words[1], words[2]), false);
        startReporter();
    }

    public static void agentmain(String args, Instrumentation instrumentation) throws Exception {
        String[] words = args.split(" ");
        switch (words[0]) {
            case "count" -> {
                instrumentation.addTransformer(counter(words[1], words[2]), true);
                instrumentation.retransformClasses(loaded(instrumentation, words[1]));
                startReporter();
            }
            case "record" -> {
                byte[][] seen = new byte[1][];
                String internal = words[1].replace('.', '/');
                ClassFileTransformer recorder = new ClassFileTransformer() {
                    @Override
                    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
                        if (internal.equals(name)) {
                            seen[0] = bytes.clone();
                        }
                        return null;
                    }
                };
                instrumentation.addTransformer(recorder, true);
                try {
                    instrumentation.retransformClasses(loaded(instrumentation, words[1]));
                } finally {
                    instrumentation.removeTransformer(recorder);
                }
                Files.write(Path.of(words[2]), seen[0]);
            }
            case "break" -> {
                String internal = words[1].replace('.', '/');
                breaker = new ClassFileTransformer() {
                    @Override
                    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
                        return internal.equals(name) && contains(bytes, SPY) ? Arrays.copyOf(bytes, 16) : null;
                    }
                };
                breakerOwner = instrumentation;
                instrumentation.addTransformer(breaker, true);
            }
            case "unbreak" -> breakerOwner.removeTransformer(breaker);
            default -> throw new IllegalArgumentException(args);
        }
    }

    /** Called first by each counted method. */
    public static void counted(String method) {
        COUNTS.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
    }

    private static ClassFileTransformer counter(String className, String method) {
        String internal = className.replace('.', '/');
        return new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
                if (!internal.equals(name)) {
                    return null;
                }
                ClassReader reader = new ClassReader(bytes);
                ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
                reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                    @Override
                    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                        if (!name.equals(method)) {
                            return next;
                        }
                        return new MethodVisitor(Opcodes.ASM9, next) {
                            @Override
                            public void visitCode() {
                                super.visitCode();
                                super.visitLdcInsn(method);
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/sonde/cli/testagent/ClassBytesAgent", "counted",
                                        "(Ljava/lang/String;)V", false);
                            }
                        };
                    }
                }, 0);
                return writer.toByteArray();
            }
        };
    }

    private static synchronized void startReporter() {
        if (COUNTS.containsKey("")) {
            return;
        }
        COUNTS.put("", new AtomicLong());
        Thread reporter = new Thread(() -> {
            Map<String, Long> printed = new ConcurrentHashMap<>();
            while (true) {
                COUNTS.forEach((method, count) -> {
                    if (!method.isEmpty() && count.get() != printed.getOrDefault(method, -1L)) {
                        printed.put(method, count.get());
                        System.out.println("counted " + method + " " + count.get());
                    }
                });
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "counted-reporter");
        reporter.setDaemon(true);
        reporter.start();
    }

    private static Class<?> loaded(Instrumentation instrumentation, String name) {
        return Arrays.stream(instrumentation.getAllLoadedClasses()).filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " is not loaded"));
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
