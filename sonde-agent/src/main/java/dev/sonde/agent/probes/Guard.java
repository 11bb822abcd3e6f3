package dev.sonde.agent.probes;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Bytecode a probe's hit runs before anything else (its {@code if EXPR} condition): it jumps to {@code skip} when
 * the hit does not count. It is compiled once for one location, so it may load that location's locals by slot. It
 * must leave the operand stack as it found it and must never let an exception of its own escape into the
 * application (an error counts as "does not hold" and is reported by the probe).
 */
public interface Guard {

    /** No condition: every hit counts. */
    Guard ALWAYS = (method, skip) -> {
    };

    void emit(MethodVisitor method, Label skip);
}
