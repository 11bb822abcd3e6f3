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
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
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

    /** One caller's local: its name, declared type name, value, and kind ({@code this}, {@code argument} or {@code local}). */
    record Slot(String name, String typeName, Object value, String kind) {
    }

    private static final String AGENT = "dev.sonde.agent.";
    /** Deeper walks than this share the default walker, whose first batch holds 8 frames. */
    private static final int MAX_SIZED_DEPTH = 64;

    /** The default walker (first batch of 8 frames), for depths not known yet. */
    private final StackWalker walker;
    /** StackWalker's private constructor that takes a depth estimate, or null when this JDK has none we know. */
    private final Constructor<?> sizedWalker;
    private final Object localsAndOperands;
    private final Object[] sizedWalkerArguments;
    /** Walkers whose first batch holds as many frames as their index, made when first needed. */
    private final AtomicReferenceArray<StackWalker> walkers = new AtomicReferenceArray<>(MAX_SIZED_DEPTH + 1);
    private final MethodHandle getLocals;
    private final MethodHandle intValue;
    private final MethodHandle longValue;
    private final MethodHandle size;
    private final Class<?> primitiveSlot;
    /** The LocalVariableTables of callers' methods, by class name, then method name, then descriptor. */
    private final Map<String, Map<String, Map<String, List<Variable>>>> tables = new ConcurrentHashMap<>();

    private CallerLocals(StackWalker walker, Constructor<?> sizedWalker, Object localsAndOperands, Method getLocals, Method intValue,
                         Method longValue, Method size, Class<?> primitiveSlot) throws IllegalAccessException {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        this.walker = walker;
        this.sizedWalker = sizedWalker;
        this.localsAndOperands = localsAndOperands;
        this.sizedWalkerArguments = sizedWalker == null ? null : new Object[sizedWalker.getParameterCount()];
        this.getLocals = lookup.unreflect(getLocals).asType(MethodType.methodType(Object[].class, Object.class));
        this.intValue = lookup.unreflect(intValue).asType(MethodType.methodType(int.class, Object.class));
        this.longValue = lookup.unreflect(longValue).asType(MethodType.methodType(long.class, Object.class));
        this.size = lookup.unreflect(size).asType(MethodType.methodType(int.class, Object.class));
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
            Constructor<?> sized = null;
            Object localsAndOperands = null;
            try {
                // StackWalker(options, estimateDepth, extendedOption, ...): the LiveStackFrame walker with its first batch sized
                Class<?> extended = Class.forName("java.lang.StackWalker$ExtendedOption");
                Field option = extended.getDeclaredField("LOCALS_AND_OPERANDS");
                option.setAccessible(true);
                localsAndOperands = option.get(null);
                for (Constructor<?> candidate : StackWalker.class.getDeclaredConstructors()) {
                    Class<?>[] parameters = candidate.getParameterTypes();
                    if (parameters.length >= 3 && parameters[0] == EnumSet.class && parameters[1] == int.class && parameters[2] == extended) {
                        candidate.setAccessible(true);
                        sized = candidate;
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                sized = null; // every walk then fetches the default first batch of 8 frames
            }
            return new CallerLocals(walker, sized, localsAndOperands, getLocals, intValue, longValue, size, slot);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "caller frames' locals are not available in this JVM (" + e + "); callers are shown without locals";
        }
    }

    /**
     * The reading of the {@code count} callers of an instrumented frame (the first frame that is not the agent's), made
     * once per probe: the spy's sink calls {@code reading.walker().walk(reading)} itself, so that as few of the agent's
     * frames as possible are in the walk (the JVM fills the locals and operands of every frame of a walk's batch, calling
     * back into Java once per primitive slot), and the walk fetches a first batch just deep enough, stopping at the last
     * caller.
     */
    Reading reading(int count) {
        return new Reading(count);
    }

    /** A walk's function: the callers' locals, by caller; it learns how deep its walks go to size the next ones' batch. */
    final class Reading implements Function<Stream<StackWalker.StackFrame>, List<List<Slot>>> {
        private final int count;
        /** The frames a walk takes, from the hit's own to the last caller; 0 until a walk has counted them. */
        private volatile int depth;

        private Reading(int count) {
            this.count = count;
        }

        /** The walker for this reading's next walk: its first batch holds the frames the last walk took. */
        StackWalker walker() {
            return CallerLocals.this.walker(depth);
        }

        @Override
        public List<List<Slot>> apply(Stream<StackWalker.StackFrame> frames) {
            List<List<Slot>> all = new ArrayList<>(count);
            boolean inAgent = true;
            int seen = 0;
            for (Iterator<StackWalker.StackFrame> it = frames.iterator(); all.size() < count && it.hasNext(); ) {
                StackWalker.StackFrame frame = it.next();
                seen++;
                if (inAgent) {
                    // the agent's frames, then the instrumented frame itself, whose locals the probe has already
                    inAgent = frame.getDeclaringClass().getName().startsWith(AGENT);
                    continue;
                }
                all.add(slots(frame));
            }
            if (seen != depth && all.size() == count) {
                depth = seen;
            }
            return all;
        }
    }

    /** A LiveStackFrame walker whose first batch holds {@code depth} frames (the default walker for 0 or too deep). */
    private StackWalker walker(int depth) {
        if (depth <= 0 || depth > MAX_SIZED_DEPTH || sizedWalker == null) {
            return walker;
        }
        StackWalker sized = walkers.get(depth);
        if (sized == null) {
            Object[] arguments = sizedWalkerArguments.clone();
            arguments[0] = EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE);
            arguments[1] = depth;
            arguments[2] = localsAndOperands;
            try {
                sized = (StackWalker) sizedWalker.newInstance(arguments);
            } catch (ReflectiveOperationException | RuntimeException e) {
                sized = walker;
            }
            walkers.set(depth, sized);
        }
        return sized;
    }

    private List<Slot> slots(StackWalker.StackFrame frame) {
        Object[] values;
        try {
            values = (Object[]) getLocals.invokeExact((Object) frame);
        } catch (Throwable e) {
            return List.of();
        }
        List<Variable> table = table(frame);
        int bci = frame.getByteCodeIndex();
        List<Slot> slots = new ArrayList<>(table.size());
        for (Variable variable : table) {
            if (variable.start() <= bci && bci < variable.end() && variable.index() < values.length) {
                slots.add(new Slot(variable.name(), variable.typeName(), value(values, variable.index(), variable.descriptor()), variable.kind()));
            }
        }
        return slots;
    }

    /** The frame's method's variables: looked up by name alone when the class has one method of that name. */
    private List<Variable> table(StackWalker.StackFrame frame) {
        Class<?> type = frame.getDeclaringClass();
        Map<String, Map<String, List<Variable>>> methods = tables.get(type.getName());
        if (methods == null) {
            methods = tables.computeIfAbsent(type.getName(), name -> new ConcurrentHashMap<>());
        }
        String name = frame.getMethodName();
        Map<String, List<Variable>> byDescriptor = methods.get(name);
        if (byDescriptor == null) {
            byDescriptor = methods.computeIfAbsent(name, n -> read(type, n));
        }
        if (byDescriptor.size() == 1) {
            return byDescriptor.values().iterator().next();
        }
        return byDescriptor.getOrDefault(frame.getDescriptor(), List.of());
    }

    /** A slot's value by its declared type; a long or double is read from its second slot, where 64-bit JVMs keep it. */
    private Object value(Object[] values, int index, String descriptor) {
        boolean wide = descriptor.equals("J") || descriptor.equals("D");
        Object slot = wide && index + 1 < values.length && primitiveSlot.isInstance(values[index + 1]) ? values[index + 1] : values[index];
        if (slot == null || !primitiveSlot.isInstance(slot)) {
            return slot;
        }
        try {
            long raw = (int) size.invokeExact(slot) == 4 ? (int) intValue.invokeExact(slot) : (long) longValue.invokeExact(slot);
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
        } catch (Throwable e) {
            return "<not readable>";
        }
    }

    /** A local's name, descriptor, slot and bytecode range, with its declared type's name and its kind. */
    private record Variable(String name, String descriptor, int index, int start, int end, String typeName, String kind) {
    }

    /**
     * The LocalVariableTables, with bytecode offsets, of {@code type}'s methods named {@code name}, by descriptor; a
     * method compiled without one has an empty list.
     */
    private static Map<String, List<Variable>> read(Class<?> type, String name) {
        Map<String, List<Variable>> tables = new HashMap<>();
        try (InputStream in = type.getResourceAsStream("/" + type.getName().replace('.', '/') + ".class")) {
            if (in == null) {
                return Map.of();
            }
            new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String method, String descriptor, String signature, String[] exceptions) {
                    if (!method.equals(name)) {
                        return null;
                    }
                    int arguments = (Type.getArgumentsAndReturnSizes(descriptor) >> 2) - ((access & Opcodes.ACC_STATIC) != 0 ? 1 : 0);
                    List<Variable> variables = new ArrayList<>();
                    tables.put(descriptor, variables);
                    // the code is rewritten unchanged so that its labels learn their offsets, which visitLocalVariable then reads
                    MethodVisitor writer = new ClassWriter(0).visitMethod(access, method, descriptor, signature, exceptions);
                    return new MethodVisitor(Opcodes.ASM9, writer) {
                        @Override
                        public void visitLocalVariable(String local, String localType, String localSignature, Label start, Label end, int index) {
                            super.visitLocalVariable(local, localType, localSignature, start, end, index);
                            String kind = local.equals("this") ? "this" : index < arguments ? "argument" : "local";
                            variables.add(new Variable(local, localType, index, start.getOffset(), end.getOffset(),
                                    Type.getType(localType).getClassName(), kind));
                        }
                    };
                }
            }, ClassReader.SKIP_FRAMES);
        } catch (Exception e) {
            return Map.of();
        }
        Map<String, List<Variable>> copy = new HashMap<>();
        tables.forEach((descriptor, variables) -> copy.put(descriptor, List.copyOf(variables)));
        return Map.copyOf(copy);
    }
}
