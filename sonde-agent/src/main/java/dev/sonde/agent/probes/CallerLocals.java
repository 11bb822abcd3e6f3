package dev.sonde.agent.probes;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The locals of caller frames, read through the JDK's internal {@code java.lang.LiveStackFrame} (the stack walker
 * that also returns each frame's local slots). It is internal, so the agent opens {@code java.lang} to itself once
 * through {@link Instrumentation#redefineModule}; when that fails, {@link #open} says why and snapshots show the
 * callers without locals. Names come from each caller's LocalVariableTable at the frame's bytecode index; compiled
 * frames may report a dead local as null or 0.
 */
final class CallerLocals {

    /** One caller's local: its name, declared type descriptor, slot, value, and whether it is a parameter. */
    record Slot(String name, String descriptor, Object value, boolean argument) {
    }

    private static final String AGENT = "dev.sonde.agent.";

    private final StackWalker walker;
    private final Method getLocals;
    private final Method intValue;
    private final Method longValue;
    private final Method size;
    private final Class<?> primitiveSlot;
    private final Map<String, List<Variable>> tables = new ConcurrentHashMap<>();
    private final Map<String, Integer> argumentSlots = new ConcurrentHashMap<>();

    private CallerLocals(StackWalker walker, Method getLocals, Method intValue, Method longValue, Method size, Class<?> primitiveSlot) {
        this.walker = walker;
        this.size = size;
        this.getLocals = getLocals;
        this.intValue = intValue;
        this.longValue = longValue;
        this.primitiveSlot = primitiveSlot;
    }

    /** The reader, or the sentence saying why caller locals are not available in this JVM. */
    static Object open(Instrumentation instrumentation) {
        try {
            Module base = Object.class.getModule();
            Module agent = CallerLocals.class.getModule();
            if (!base.isOpen("java.lang", agent)) {
                instrumentation.redefineModule(base, Set.of(), Map.of(), Map.of("java.lang", Set.of(agent)), Set.of(), Map.of());
            }
            Class<?> live = Class.forName("java.lang.LiveStackFrame");
            Method factory = live.getDeclaredMethod("getStackWalker", Set.class);
            factory.setAccessible(true);
            StackWalker walker = (StackWalker) factory.invoke(null, EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE));
            Method getLocals = live.getDeclaredMethod("getLocals");
            getLocals.setAccessible(true);
            Class<?> slot = Class.forName("java.lang.LiveStackFrame$PrimitiveSlot");
            Method intValue = slot.getDeclaredMethod("intValue");
            Method longValue = slot.getDeclaredMethod("longValue");
            Method size = slot.getDeclaredMethod("size");
            intValue.setAccessible(true);
            longValue.setAccessible(true);
            size.setAccessible(true);
            return new CallerLocals(walker, getLocals, intValue, longValue, size, slot);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "caller frames' locals are not available in this JVM (" + e + "); callers are shown without locals";
        }
    }

    /** The locals of the {@code count} callers of the instrumented frame (the first frame that is not the agent's). */
    List<List<Slot>> callers(int count) {
        if (count <= 0) {
            return List.of();
        }
        List<Object> frames = walker.walk((Function<Stream<StackWalker.StackFrame>, List<Object>>) s -> s
                .dropWhile(f -> f.getClassName().startsWith(AGENT))
                .skip(1)
                .limit(count)
                .map(f -> (Object) f)
                .toList());
        List<List<Slot>> all = new ArrayList<>(frames.size());
        for (Object frame : frames) {
            all.add(slots((StackWalker.StackFrame) frame));
        }
        return all;
    }

    private List<Slot> slots(StackWalker.StackFrame frame) {
        Object[] values;
        try {
            values = (Object[]) getLocals.invoke(frame);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return List.of();
        }
        String key = frame.getClassName() + "." + frame.getMethodName() + frame.getDescriptor();
        List<Variable> table = tables.computeIfAbsent(key, k -> table(frame));
        int arguments = argumentSlots.getOrDefault(key, 0);
        int bci = frame.getByteCodeIndex();
        List<Slot> slots = new ArrayList<>();
        for (Variable variable : table) {
            if (variable.start() <= bci && bci < variable.end() && variable.index() < values.length) {
                slots.add(new Slot(variable.name(), variable.descriptor(), value(values, variable.index(), variable.descriptor()),
                        variable.index() < arguments));
            }
        }
        return slots;
    }

    /** A slot's value by its declared type; a long or double is read from its second slot, where 64-bit JVMs keep it. */
    private Object value(Object[] values, int index, String descriptor) {
        boolean wide = descriptor.equals("J") || descriptor.equals("D");
        Object slot = wide && index + 1 < values.length && primitiveSlot.isInstance(values[index + 1]) ? values[index + 1] : values[index];
        if (slot == null || !primitiveSlot.isInstance(slot)) {
            return slot;
        }
        try {
            long raw = (int) size.invoke(slot) == 4 ? (int) intValue.invoke(slot) : (long) longValue.invoke(slot);
            return switch (descriptor.charAt(0)) {
                case 'Z' -> (int) raw != 0;
                case 'B' -> (byte) raw;
                case 'C' -> (char) raw;
                case 'S' -> (short) raw;
                case 'F' -> Float.intBitsToFloat((int) raw);
                case 'J' -> raw;
                case 'D' -> Double.longBitsToDouble(raw);
                default -> (int) raw;
            };
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "<not readable>";
        }
    }

    /** A local's name, descriptor, slot and bytecode range. */
    private record Variable(String name, String descriptor, int index, int start, int end) {
    }

    /** The caller method's LocalVariableTable, with bytecode offsets; empty when it was compiled without one. */
    private List<Variable> table(StackWalker.StackFrame frame) {
        Class<?> type = frame.getDeclaringClass();
        List<Variable> variables = new ArrayList<>();
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            if (in == null) {
                return List.of();
            }
            new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    if (!name.equals(frame.getMethodName()) || !descriptor.equals(frame.getDescriptor())) {
                        return null;
                    }
                    int arguments = (Type.getArgumentsAndReturnSizes(descriptor) >> 2) - ((access & Opcodes.ACC_STATIC) != 0 ? 1 : 0);
                    argumentSlots.put(frame.getClassName() + "." + name + descriptor, arguments);
                    // the code is rewritten unchanged so that its labels learn their offsets, which visitLocalVariable then reads
                    MethodVisitor writer = new ClassWriter(0).visitMethod(access, name, descriptor, signature, exceptions);
                    return new MethodVisitor(Opcodes.ASM9, writer) {
                        @Override
                        public void visitLocalVariable(String local, String type, String signature, Label start, Label end, int index) {
                            super.visitLocalVariable(local, type, signature, start, end, index);
                            variables.add(new Variable(local, type, index, start.getOffset(), end.getOffset()));
                        }
                    };
                }
            }, ClassReader.SKIP_FRAMES);
        } catch (Exception e) {
            return List.of();
        }
        return List.copyOf(variables);
    }
}
