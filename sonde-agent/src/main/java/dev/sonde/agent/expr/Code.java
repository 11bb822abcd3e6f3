package dev.sonde.agent.expr;

import org.objectweb.asm.commons.InstructionAdapter;

/**
 * A resolved expression: its static Java type and the bytecode that leaves its value on the operand stack (a boolean
 * as an int 0 or 1). The bytecode is emitted again for each rewrite of the class, from the same resolution.
 */
record Code(Class<?> type, Emitter emitter) {

    @FunctionalInterface
    interface Emitter {
        void emit(InstructionAdapter method);
    }

    void emit(InstructionAdapter method) {
        emitter.emit(method);
    }
}
