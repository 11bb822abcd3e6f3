package dev.sonde.agent.probes;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.List;
import java.util.Optional;

/** Finds the method that holds a source line in a class's bytes, and the local variables in scope there. */
public final class LineScan {

    /** The method with code at the line, and whether the class has any line at all (for the refusal). */
    public record Found(String method, String descriptor, boolean isStatic, MethodNode node, int instruction) {

        public Optional<Template.Local> local(String name) {
            if (node.localVariables == null) {
                return Optional.empty();
            }
            for (LocalVariableNode variable : node.localVariables) {
                if (variable.name.equals(name) && node.instructions.indexOf(variable.start) <= instruction
                        && instruction < node.instructions.indexOf(variable.end)) {
                    return Optional.of(new Template.Local(name, variable.index, variable.desc));
                }
            }
            return Optional.empty();
        }

        /** The names of the locals in scope at the line, in slot order. */
        public List<String> localNames() {
            if (node.localVariables == null) {
                return List.of();
            }
            return node.localVariables.stream().filter(v -> !v.name.equals("this") && node.instructions.indexOf(v.start) <= instruction
                    && instruction < node.instructions.indexOf(v.end)).sorted(java.util.Comparator.comparingInt(v -> v.index))
                    .map(v -> v.name).distinct().toList();
        }

        public boolean hasLocalNames() {
            return node.localVariables != null && !node.localVariables.isEmpty();
        }
    }

    private LineScan() {
    }

    public static ClassNode read(byte[] classBytes) {
        ClassNode node = new ClassNode();
        new ClassReader(classBytes).accept(node, ClassReader.SKIP_FRAMES);
        return node;
    }

    public static Optional<Found> find(ClassNode type, int line) {
        for (MethodNode method : type.methods) {
            for (AbstractInsnNode instruction : method.instructions) {
                if (instruction instanceof LineNumberNode number && number.line == line) {
                    return Optional.of(new Found(method.name, method.desc, (method.access & Opcodes.ACC_STATIC) != 0, method,
                            method.instructions.indexOf(number.start)));
                }
            }
        }
        return Optional.empty();
    }

    /** The first and last line with code, for a refusal that says where the code is; empty when compiled without lines. */
    public static Optional<int[]> lineRange(ClassNode type) {
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        for (MethodNode method : type.methods) {
            for (AbstractInsnNode instruction : method.instructions) {
                if (instruction instanceof LineNumberNode number) {
                    first = Math.min(first, number.line);
                    last = Math.max(last, number.line);
                }
            }
        }
        return first == Integer.MAX_VALUE ? Optional.empty() : Optional.of(new int[] {first, last});
    }
}
