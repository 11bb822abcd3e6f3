package dev.sonde.agent.probes;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AdviceAdapter;
import org.objectweb.asm.commons.TryCatchBlockSorter;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Rewrites a class for its probes. It is registered once, retransform-capable, so each retransformation starts from
 * the class's original bytes: a class with no probes left gets them back unchanged. A class it cannot rewrite is
 * left as it was, and the reason is kept for the probe that asked.
 */
final class Weaver implements ClassFileTransformer {

    private static final String SPY = "dev/sonde/agent/spy/SondeSpy";

    private final Function<Class<?>, List<Probe>> probesOf;
    private final Map<Class<?>, Throwable> failures = new ConcurrentHashMap<>();

    Weaver(Function<Class<?>, List<Probe>> probesOf) {
        this.probesOf = probesOf;
    }

    /** The error of the last rewrite of {@code type}, removed once read. */
    Throwable takeFailure(Class<?> type) {
        return failures.remove(type);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] original) {
        if (redefined == null) {
            return null;
        }
        List<Probe> probes = probesOf.apply(redefined);
        if (probes.isEmpty()) {
            return null;
        }
        try {
            return weave(original, loader, probes);
        } catch (Throwable e) {
            failures.put(redefined, e);
            return null;
        }
    }

    static byte[] weave(byte[] original, ClassLoader loader, List<Probe> probes) {
        ClassReader reader = new ClassReader(original);
        Map<String, Integer> maxLocals = maxLocals(reader);
        ClassWriter writer = new LoaderAwareWriter(reader, loader);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                MethodVisitor visitor = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return visitor;
                }
                for (Probe probe : probes) {
                    if (probe instanceof MonitorProbe monitor && monitor.method().equals(name)) {
                        visitor = new MonitorAdapter(visitor, access, name, descriptor, monitor.id());
                    }
                }
                List<LogProbe> logs = probes.stream().filter(p -> p instanceof LogProbe l && l.method().equals(name)
                        && l.descriptor().equals(descriptor)).map(LogProbe.class::cast).toList();
                if (logs.isEmpty()) {
                    return visitor;
                }
                // the handlers of the probes' expressions come before the method's own, so theirs never catch ours
                MethodVisitor sorted = new TryCatchBlockSorter(visitor, access, name, descriptor, signature, exceptions);
                return new LogAdapter(sorted, logs, maxLocals.getOrDefault(name + descriptor, 0));
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }

    /** The local variable slots each method uses (name + descriptor), so that inserted code can take the ones above. */
    private static Map<String, Integer> maxLocals(ClassReader reader) {
        Map<String, Integer> sizes = new java.util.HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int maxLocals) {
                        sizes.put(name + descriptor, maxLocals);
                    }
                };
            }
        }, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
        return sizes;
    }

    /**
     * Before the first instruction of each logpoint's line: if its condition holds and its budget admits it, hand over
     * the values of its text's holes.
     */
    private static final class LogAdapter extends MethodVisitor {
        private final List<LogProbe> probes;
        private final boolean[] done;
        private final int freeLocal;

        LogAdapter(MethodVisitor next, List<LogProbe> probes, int freeLocal) {
            super(Opcodes.ASM9, next);
            this.probes = probes;
            this.done = new boolean[probes.size()];
            this.freeLocal = freeLocal;
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            super.visitLineNumber(line, start);
            for (int i = 0; i < probes.size(); i++) {
                if (!done[i] && probes.get(i).line() == line) {
                    done[i] = true;
                    emit(probes.get(i));
                }
            }
        }

        private void emit(LogProbe probe) {
            Label skip = new Label();
            probe.condition().emit(mv, skip);
            super.visitLdcInsn(probe.id());
            super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "admit", "(I)Z", false);
            super.visitJumpInsn(Opcodes.IFEQ, skip);
            probe.template().emitValues(mv, freeLocal);
            super.visitLdcInsn(probe.id());
            super.visitInsn(Opcodes.SWAP);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "log", "(I[Ljava/lang/Object;)V", false);
            super.visitLabel(skip);
        }
    }

    /** Times every call: a start time on entry, the end on each return and in a handler around the whole body. */
    private static final class MonitorAdapter extends AdviceAdapter {
        private final int probe;
        private final Label bodyStart = new Label();
        private final Label handler = new Label();
        private int startNanos;

        MonitorAdapter(MethodVisitor next, int access, String name, String descriptor, int probe) {
            super(Opcodes.ASM9, next, access, name, descriptor);
            this.probe = probe;
        }

        @Override
        protected void onMethodEnter() {
            push(probe);
            invokeStatic(Type.getObjectType(SPY), new org.objectweb.asm.commons.Method("enter", "(I)J"));
            startNanos = newLocal(Type.LONG_TYPE);
            storeLocal(startNanos);
            visitLabel(bodyStart);
        }

        @Override
        protected void onMethodExit(int opcode) {
            if (opcode != ATHROW) {
                exitCall(false);
            }
        }

        private void exitCall(boolean threw) {
            push(probe);
            loadLocal(startNanos);
            push(threw);
            invokeStatic(Type.getObjectType(SPY), new org.objectweb.asm.commons.Method("exit", "(IJZ)V"));
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            Label bodyEnd = new Label();
            visitLabel(bodyEnd);
            visitTryCatchBlock(bodyStart, bodyEnd, handler, null);
            visitLabel(handler);
            exitCall(true);
            throwException();
            super.visitMaxs(maxStack, maxLocals);
        }
    }

    /** Computes frames with the class's own loader, and falls back to Object where a type cannot be loaded. */
    private static final class LoaderAwareWriter extends ClassWriter {
        private final ClassLoader loader;

        LoaderAwareWriter(ClassReader reader, ClassLoader loader) {
            super(reader, ClassWriter.COMPUTE_FRAMES);
            this.loader = loader;
        }

        @Override
        protected ClassLoader getClassLoader() {
            return loader == null ? ClassLoader.getPlatformClassLoader() : loader;
        }

        @Override
        protected String getCommonSuperClass(String first, String second) {
            try {
                return super.getCommonSuperClass(first, second);
            } catch (RuntimeException | LinkageError e) {
                return "java/lang/Object";
            }
        }
    }
}
