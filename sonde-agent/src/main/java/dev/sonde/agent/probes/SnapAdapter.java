package dev.sonde.agent.probes;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.util.List;

/**
 * Before the first instruction of each snapshot's line: its guard, then its budget, then the top frame's locals in
 * scope there (boxed, by slot) handed to the spy.
 */
final class SnapAdapter extends MethodVisitor {

    private static final String SPY = "dev/sonde/agent/spy/SondeSpy";

    private final List<SnapProbe> probes;
    private final boolean[] done;

    SnapAdapter(MethodVisitor next, List<SnapProbe> probes) {
        super(Opcodes.ASM9, next);
        this.probes = probes;
        this.done = new boolean[probes.size()];
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

    private void emit(SnapProbe probe) {
        Label skip = new Label();
        probe.guard().emit(mv, skip);
        super.visitLdcInsn(probe.id());
        super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "admitSnap", "(I)Z", false);
        super.visitJumpInsn(Opcodes.IFEQ, skip);
        super.visitLdcInsn(probe.id());
        List<SnapProbe.Captured> locals = probe.captured();
        super.visitLdcInsn(locals.size());
        super.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
        for (int i = 0; i < locals.size(); i++) {
            super.visitInsn(Opcodes.DUP);
            super.visitLdcInsn(i);
            Type type = Type.getType(locals.get(i).descriptor());
            super.visitVarInsn(type.getOpcode(Opcodes.ILOAD), locals.get(i).index());
            Boxing.box(mv, type);
            super.visitInsn(Opcodes.AASTORE);
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, SPY, "snap", "(I[Ljava/lang/Object;)V", false);
        super.visitLabel(skip);
    }
}
