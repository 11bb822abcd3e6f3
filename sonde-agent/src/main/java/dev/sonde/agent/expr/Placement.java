package dev.sonde.agent.expr;

import dev.sonde.agent.probes.ProbeRefused;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Where compiled expressions may go: their exception handlers need an empty operand stack, which javac leaves at
 * the start of a statement but not where a line continues an expression begun on an earlier line.
 */
public final class Placement {

    private Placement() {
    }

    /**
     * Refuses, with one sentence naming a line to use instead, when the operand stack is not empty at
     * {@code instruction} (the start of {@code line} in {@code method} of the class {@code owner}, internal name).
     */
    public static void requireStatementStart(String owner, MethodNode method, int instruction, int line) {
        Frame<BasicValue>[] frames;
        try {
            frames = new Analyzer<>(new BasicInterpreter()).analyze(owner, method);
        } catch (AnalyzerException | RuntimeException e) {
            return; // the class will be verified when rewritten; its own failure is reported then
        }
        Frame<BasicValue> frame = frames[instruction];
        if (frame == null || frame.getStackSize() == 0) {
            return;
        }
        int earlier = nearest(method, frames, instruction, line, -1);
        int later = nearest(method, frames, instruction, line, 1);
        String instead = earlier > 0 && later > 0 ? "line " + earlier + " or " + later : earlier > 0 ? "line " + earlier
                : later > 0 ? "line " + later : "another line";
        throw new ProbeRefused("Line " + line + " starts inside an expression begun earlier (or at a catch clause), where the"
                + " operand stack holds values and a probe's expressions cannot run; probe " + instead + ".");
    }

    /** The closest line before (direction -1) or after (+1) {@code line} that starts with an empty stack; -1 if none. */
    private static int nearest(MethodNode method, Frame<BasicValue>[] frames, int instruction, int line, int direction) {
        for (int i = instruction + direction; i >= 0 && i < method.instructions.size(); i += direction) {
            if (method.instructions.get(i) instanceof LineNumberNode number && (direction < 0 ? number.line < line : number.line > line)) {
                int at = method.instructions.indexOf(number.start);
                if (frames[at] != null && frames[at].getStackSize() == 0) {
                    return number.line;
                }
            }
        }
        return -1;
    }
}
