package dev.sonde.agent.probes;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Around a watched method: the start time and the arguments on entry, and on each exit (a return, or the handler
 * around the whole body) the boxed result or the exception, kept in slots after the method's own, then the guard,
 * then the spy. The slots are fixed when the probe is set ({@link WatchProbe.Site#firstFreeSlot}), so a condition
 * compiled then can read {@code returnValue} and {@code exception} from them. Constructors are not watched.
 */
final class WatchAdapter extends MethodVisitor {

    private static final String SPY = "dev/sonde/agent/spy/SondeSpy";
    /**
     * The slots it keeps after the method's own: the start time (two), the arguments, the boxed result, the exception,
     * and the result as returned (two), so the stack is empty while the guard runs (its handlers clear the stack).
     */
    static final int SLOTS = 7;

    private final int probe;
    private final int site;
    private final WatchProbe.Site at;
    private final boolean isStatic;
    private final Type[] arguments;
    private final Type returns;
    private final int start;
    private final int args;
    private final int result;
    private final int thrown;
    private final int raw;
    private final Label bodyStart = new Label();
    private final Label handler = new Label();

    WatchAdapter(MethodVisitor next, int access, String descriptor, int probe, int site, WatchProbe.Site at) {
        super(Opcodes.ASM9, next);
        this.probe = probe;
        this.site = site;
        this.at = at;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        this.arguments = Type.getArgumentTypes(descriptor);
        this.returns = Type.getReturnType(descriptor);
        this.start = at.firstFreeSlot();
        this.args = start + 2;
        this.result = start + 3;
        this.thrown = start + 4;
        this.raw = start + 5;
    }

    /** The slot the boxed return value is kept in, for a condition; the exception's is the next one. */
    static int resultSlot(int firstFreeSlot) {
        return firstFreeSlot + 3;
    }

    @Override
    public void visitCode() {
        super.visitCode();
        super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "nanoTime", "()J", false);
        super.visitVarInsn(Opcodes.LSTORE, start);
        super.visitLdcInsn(arguments.length);
        super.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < arguments.length; i++) {
            super.visitInsn(Opcodes.DUP);
            super.visitLdcInsn(i);
            super.visitVarInsn(arguments[i].getOpcode(Opcodes.ILOAD), slot);
            Boxing.box(mv, arguments[i]);
            super.visitInsn(Opcodes.AASTORE);
            slot += arguments[i].getSize();
        }
        super.visitVarInsn(Opcodes.ASTORE, args);
        super.visitInsn(Opcodes.ACONST_NULL);
        super.visitVarInsn(Opcodes.ASTORE, result);
        super.visitInsn(Opcodes.ACONST_NULL);
        super.visitVarInsn(Opcodes.ASTORE, thrown);
        super.visitLabel(bodyStart);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            if (returns.getSort() == Type.VOID) {
                super.visitInsn(Opcodes.ACONST_NULL);
            } else {
                super.visitVarInsn(returns.getOpcode(Opcodes.ISTORE), raw);
                super.visitVarInsn(returns.getOpcode(Opcodes.ILOAD), raw);
                Boxing.box(mv, returns);
            }
            super.visitVarInsn(Opcodes.ASTORE, result);
            report("watchReturn", result);
            if (returns.getSort() != Type.VOID) {
                super.visitVarInsn(returns.getOpcode(Opcodes.ILOAD), raw);
            }
        }
        super.visitInsn(opcode);
    }

    private void report(String call, int valueSlot) {
        Label skip = new Label();
        at.guard().emit(mv, skip);
        super.visitVarInsn(Opcodes.ALOAD, valueSlot);
        super.visitLdcInsn(probe);
        super.visitLdcInsn(site);
        super.visitVarInsn(Opcodes.ALOAD, args);
        super.visitVarInsn(Opcodes.LLOAD, start);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, call, "(" + (call.equals("watchThrow") ? "Ljava/lang/Throwable;" : "Ljava/lang/Object;")
                + "II[Ljava/lang/Object;J)V", false);
        super.visitLabel(skip);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        Label bodyEnd = new Label();
        super.visitLabel(bodyEnd);
        super.visitTryCatchBlock(bodyStart, bodyEnd, handler, null);
        super.visitLabel(handler);
        super.visitVarInsn(Opcodes.ASTORE, thrown);
        // a condition reads returnValue as the method's type: here it is null, which every type accepts
        super.visitInsn(Opcodes.ACONST_NULL);
        super.visitVarInsn(Opcodes.ASTORE, result);
        report("watchThrow", thrown);
        super.visitVarInsn(Opcodes.ALOAD, thrown);
        super.visitInsn(Opcodes.ATHROW);
        super.visitMaxs(maxStack, Math.max(maxLocals, raw + 2));
    }
}
