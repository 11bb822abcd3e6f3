package dev.sonde.agent.async;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The straight-line calls {@link SchedulingPoints} adds to the JDK's scheduling methods. */
final class Advice {

    private static final String SPY = SchedulingPoints.SPY;

    private Advice() {
    }

    private static boolean isReturn(int opcode) {
        return opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN;
    }

    /** {@code SondeSpyAsync.capture(this)} (or {@code captureStart}): at entry, or for a constructor before it returns. */
    static final class CaptureThis extends MethodVisitor {
        private final String method;
        private final boolean constructor;

        CaptureThis(MethodVisitor next, String method) {
            super(Opcodes.ASM9, next);
            this.method = method;
            this.constructor = false;
        }

        CaptureThis(MethodVisitor next, String method, boolean constructor) {
            super(Opcodes.ASM9, next);
            this.method = method;
            this.constructor = constructor;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (!constructor) {
                call();
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (constructor && opcode == Opcodes.RETURN) {
                call();
            }
            super.visitInsn(opcode);
        }

        private void call() {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            String descriptor = method.equals("captureStart") ? "(Ljava/lang/Thread;)V" : "(Ljava/lang/Object;)V";
            super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, method, descriptor, false);
        }
    }

    /** {@code SondeSpyAsync.capture(firstArgument)} at entry: the task handed to an executor. */
    static final class CaptureArgument extends MethodVisitor {
        CaptureArgument(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitVarInsn(Opcodes.ALOAD, 1);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "capture", "(Ljava/lang/Object;)V", false);
        }
    }

    /**
     * {@code SondeSpyAsyncRelays.allOf(dep, src, snd)} (or {@code anyOf}) at entry of a relay's {@code tryFire}: the relay
     * completing an {@code allOf}/{@code anyOf} future, with its inputs. The fields are read where they are declared in the
     * rewritten class or its superclasses; an {@code AnyOf} relay has no second input ({@code null} is passed).
     */
    static final class RelayFires extends MethodVisitor {
        private static final String FUTURE = "Ljava/util/concurrent/CompletableFuture;";
        private final String owner;
        private final String method;
        private final boolean second;

        RelayFires(MethodVisitor next, String owner, String method, boolean second) {
            super(Opcodes.ASM9, next);
            this.owner = owner;
            this.method = method;
            this.second = second;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            for (String field : new String[] {"dep", "src"}) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, field, FUTURE);
            }
            if (second) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, owner, "snd", FUTURE);
            } else {
                super.visitInsn(Opcodes.ACONST_NULL);
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, SchedulingPoints.RELAYS_SPY, method,
                    "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)V", false);
        }
    }

    /**
     * {@code SondeSpyAsyncRelays.join(this, src)} at entry, after what the visitors before it add (the stage's
     * {@code begin}): a stage whose input is an {@code allOf}/{@code anyOf} future chains to the input that completed it.
     */
    static final class JoinSource extends MethodVisitor {
        private final String owner;

        JoinSource(MethodVisitor next, String owner) {
            super(Opcodes.ASM9, next);
            this.owner = owner;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitFieldInsn(Opcodes.GETFIELD, owner, "src", "Ljava/util/concurrent/CompletableFuture;");
            super.visitMethodInsn(Opcodes.INVOKESTATIC, SchedulingPoints.RELAYS_SPY, "join", "(Ljava/lang/Object;Ljava/lang/Object;)V", false);
        }
    }

    /**
     * {@code begin(this)} at entry and {@code end(this)} before each return. An exception thrown out skips the end; the
     * enclosing task's end or the executor's {@code SondeSpyAsync.run} around the task drops what it left.
     */
    static final class BeginEnd extends MethodVisitor {
        BeginEnd(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "begin", "(Ljava/lang/Object;)V", false);
        }

        @Override
        public void visitInsn(int opcode) {
            if (isReturn(opcode)) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "end", "(Ljava/lang/Object;)V", false);
            }
            super.visitInsn(opcode);
        }
    }

    /** An executor's {@code task.run()} / {@code task.call()} becomes {@code SondeSpyAsync.run(task)} / {@code call(task)}. */
    static final class RunThroughSpy extends MethodVisitor {
        RunThroughSpy(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKEINTERFACE && owner.equals("java/lang/Runnable") && name.equals("run") && descriptor.equals("()V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "run", "(Ljava/lang/Runnable;)V", false);
            } else if (opcode == Opcodes.INVOKEINTERFACE && owner.equals("java/util/concurrent/Callable") && name.equals("call")
                    && descriptor.equals("()Ljava/lang/Object;")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "call", "(Ljava/util/concurrent/Callable;)Ljava/lang/Object;", false);
            } else {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }
        }
    }

    /** A thread's body: the capture of its start current around the call that runs its task. */
    static final class BeginThreadBeforeRun extends MethodVisitor {
        BeginThreadBeforeRun(MethodVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            boolean runs = opcode == Opcodes.INVOKEVIRTUAL && owner.startsWith("java/lang/") && name.equals("runWith")
                    || opcode == Opcodes.INVOKEINTERFACE && owner.equals("java/lang/Runnable") && name.equals("run");
            if (runs) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Thread", "currentThread", "()Ljava/lang/Thread;", false);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "begin", "(Ljava/lang/Object;)V", false);
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            if (runs) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Thread", "currentThread", "()Ljava/lang/Thread;", false);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "end", "(Ljava/lang/Object;)V", false);
            }
        }
    }
}
