package dev.sonde.agent.probes;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * A traced method, rewritten as a whole once read: every call it makes is wrapped in {@code traceCall} /
 * {@code traceCallEnd}, with a handler of its own put first in the exception table, so a call that throws still
 * ends its node; the traced method itself (level 0) also opens and closes the tree. Its two long slots come after
 * the method's own locals and the five a watch on the same method keeps.
 */
final class TraceAdapter extends MethodNode {

    private static final String SPY = "dev/sonde/agent/spy/SondeSpy";
    /** The slots it keeps after the method's own and a watch's: a call's token and the root's (two each). */
    static final int SLOTS = 4;

    private final MethodVisitor next;
    private final TraceProbe probe;
    private final String owner;
    private final boolean root;

    TraceAdapter(MethodVisitor next, int access, String name, String descriptor, String signature, String[] exceptions,
                 TraceProbe probe, String owner, boolean root) {
        super(Opcodes.ASM9, access, name, descriptor, signature, exceptions);
        this.next = next;
        this.probe = probe;
        this.owner = owner;
        this.root = root && !name.equals("<init>");
    }

    @Override
    public void visitEnd() {
        super.visitEnd();
        int callToken = maxLocals + WatchAdapter.SLOTS;
        int rootToken = callToken + 2;
        InsnList handlers = new InsnList();
        int line = -1;
        int index = 0;
        for (AbstractInsnNode insn : instructions.toArray()) {
            index++;
            if (insn instanceof LineNumberNode number) {
                line = number.line;
            }
            if (!(insn instanceof MethodInsnNode call) || call.owner.equals(SPY) || name.equals("<init>")) {
                continue;
            }
            int site = probe.site(owner + "." + name + desc + "#" + index, label(call, line));
            LabelNode start = new LabelNode();
            LabelNode end = new LabelNode();
            LabelNode handler = new LabelNode();
            InsnList before = new InsnList();
            before.add(new LdcInsnNode(probe.id()));
            before.add(new LdcInsnNode(site));
            before.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SPY, "traceCall", "(II)J", false));
            before.add(new VarInsnNode(Opcodes.LSTORE, callToken));
            before.add(start);
            instructions.insertBefore(call, before);
            InsnList after = new InsnList();
            after.add(end);
            after.add(callEnd(site, callToken));
            instructions.insert(call, after);
            handlers.add(handler);
            handlers.add(callEnd(site, callToken));
            handlers.add(new InsnNode(Opcodes.ATHROW));
            tryCatchBlocks.add(0, new TryCatchBlockNode(start, end, handler, null));
        }
        if (root) {
            LabelNode bodyStart = new LabelNode();
            InsnList entry = new InsnList();
            entry.add(new LdcInsnNode(probe.id()));
            entry.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SPY, "traceEnter", "(I)J", false));
            entry.add(new VarInsnNode(Opcodes.LSTORE, rootToken));
            entry.add(bodyStart);
            for (AbstractInsnNode insn : instructions.toArray()) {
                if (insn.getOpcode() >= Opcodes.IRETURN && insn.getOpcode() <= Opcodes.RETURN) {
                    instructions.insertBefore(insn, rootExit(rootToken));
                }
            }
            instructions.insert(entry);
            instructions.add(handlers);
            LabelNode bodyEnd = new LabelNode();
            LabelNode handler = new LabelNode();
            instructions.add(bodyEnd);
            instructions.add(handler);
            instructions.add(rootExit(rootToken));
            instructions.add(new InsnNode(Opcodes.ATHROW));
            tryCatchBlocks.add(new TryCatchBlockNode(bodyStart, bodyEnd, handler, null));
        } else {
            instructions.add(handlers);
        }
        maxLocals = rootToken + 2;
        accept(next);
    }

    private InsnList callEnd(int site, int slot) {
        InsnList end = new InsnList();
        end.add(new LdcInsnNode(probe.id()));
        end.add(new LdcInsnNode(site));
        end.add(new VarInsnNode(Opcodes.LLOAD, slot));
        end.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SPY, "traceCallEnd", "(IIJ)V", false));
        return end;
    }

    private InsnList rootExit(int slot) {
        InsnList exit = new InsnList();
        exit.add(new LdcInsnNode(probe.id()));
        exit.add(new VarInsnNode(Opcodes.LLOAD, slot));
        exit.add(new MethodInsnNode(Opcodes.INVOKESTATIC, SPY, "traceExit", "(IJ)V", false));
        return exit;
    }

    private static String label(MethodInsnNode call, int line) {
        String type = call.owner.substring(call.owner.lastIndexOf('/') + 1);
        Type[] arguments = Type.getArgumentTypes(call.desc);
        return type + "." + call.name + "(" + (arguments.length == 0 ? "" : "…") + ")" + (line > 0 ? " #" + line : "");
    }
}
