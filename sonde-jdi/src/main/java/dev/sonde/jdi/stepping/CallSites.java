package dev.sonde.jdi.stepping;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Rendering;
import dev.sonde.core.model.StepTarget;
import dev.sonde.jdi.frames.LambdaMethods;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The calls on a line, read from the method's bytecode at that line (JDI {@code Method.bytecodes()} and the class's
 * constant pool): invoke instructions name their method; an invokedynamic that makes a lambda is matched with the
 * {@code lambda$} method holding its body, found by where that body's lines are.
 */
public final class CallSites {

    private static final int TABLESWITCH = 0xaa;
    private static final int LOOKUPSWITCH = 0xab;
    private static final int WIDE = 0xc4;
    private static final int INVOKESPECIAL = 0xb7;
    private static final int INVOKEDYNAMIC = 0xba;

    private final StepFilters filters;

    public CallSites(StepFilters filters) {
        this.filters = filters;
    }

    /** The calls made on the line of {@code here}, in bytecode order, lambdas whose body is on the statement included. */
    public List<StepTarget> at(Location here) {
        Method method = here.method();
        ReferenceType type = method.declaringType();
        if (!type.virtualMachine().canGetBytecodes() || !type.virtualMachine().canGetConstantPool()) {
            throw new SondeException(ErrorKind.UNSUPPORTED, "This JVM does not give out bytecode, so Sonde cannot list the calls on the line; step in instead.");
        }
        int line = here.lineNumber();
        List<Location> lines;
        try {
            lines = method.allLineLocations().stream().sorted(Comparator.comparingLong(Location::codeIndex)).toList();
        } catch (AbsentInformationException e) {
            return List.of();
        }
        byte[] code = method.bytecodes();
        ConstantPool pool = ConstantPool.read(type.constantPool(), type.constantPoolCount());
        List<Method> lambdas = new ArrayList<>(lambdasOnStatement(method, line, lines));
        List<StepTarget> targets = new ArrayList<>();
        for (int at = 0; at < code.length; at = next(code, at)) {
            int opcode = code[at] & 0xff;
            if (opcode < 0xb6 || opcode > INVOKEDYNAMIC || lineAt(lines, at) != line) {
                continue;
            }
            ConstantPool.MethodRef called = pool.method(((code[at + 1] & 0xff) << 8) | (code[at + 2] & 0xff));
            if (called == null) {
                continue;
            }
            if (called.dynamic()) {
                if (!lambdas.isEmpty() && !called.name().startsWith("makeConcat")) {
                    Method body = lambdas.remove(0);
                    targets.add(new StepTarget(body.name() + " (" + Rendering.simpleName(returnType(called.descriptor())) + "." + called.name() + ")",
                            type.name(), body.name(), body.signature()));
                }
                continue;
            }
            String owner = called.owner().replace('/', '.');
            if (filters.excludes(owner) || opcode == INVOKESPECIAL && called.name().equals("<init>") && owner.equals("java.lang.Object")) {
                continue;
            }
            String parameters = String.join(", ", parameterTypes(called.descriptor()));
            String label = called.name().equals("<init>")
                    ? "new " + Rendering.simpleName(owner) + "(" + parameters + ")"
                    : Rendering.simpleName(owner) + "." + called.name() + "(" + parameters + ")";
            targets.add(new StepTarget(label, owner, called.name(), called.descriptor()));
        }
        // Lambdas nested in a lambda on this line are made by that lambda's code: they come last.
        for (Method body : lambdas) {
            targets.add(new StepTarget(body.name(), type.name(), body.name(), body.signature()));
        }
        return targets;
    }

    /**
     * The {@code lambda$} methods of the enclosing method whose body starts on this statement: on the line itself or
     * on the lines after it where the enclosing method has no code of its own (a lambda body spread over lines).
     */
    private static List<Method> lambdasOnStatement(Method method, int line, List<Location> lines) {
        int nextLine = lines.stream().mapToInt(Location::lineNumber).filter(l -> l > line).min().orElse(Integer.MAX_VALUE);
        String prefix = "lambda$" + method.name() + "$";
        List<Method> found = new ArrayList<>();
        for (Method candidate : method.declaringType().methods()) {
            int first = candidate.name().startsWith(prefix) ? LambdaMethods.firstLine(candidate) : -1;
            if (first >= line && first < nextLine) {
                found.add(candidate);
            }
        }
        found.sort(Comparator.comparingInt(LambdaMethods::number));
        return found;
    }

    /** The line of the instruction at {@code codeIndex}: that of the last line entry at or before it. */
    private static int lineAt(List<Location> lines, int codeIndex) {
        int line = -1;
        for (Location location : lines) {
            if (location.codeIndex() > codeIndex) {
                break;
            }
            line = location.lineNumber();
        }
        return line;
    }

    /** The index of the instruction after the one at {@code at} (JVMS 6.5). */
    static int next(byte[] code, int at) {
        int opcode = code[at] & 0xff;
        if (opcode == TABLESWITCH || opcode == LOOKUPSWITCH) {
            int operands = (at + 4) & ~3;
            if (opcode == TABLESWITCH) {
                int low = readInt(code, operands + 4);
                int high = readInt(code, operands + 8);
                return operands + 12 + (high - low + 1) * 4;
            }
            return operands + 8 + readInt(code, operands + 4) * 8;
        }
        if (opcode == WIDE) {
            return at + ((code[at + 1] & 0xff) == 0x84 ? 6 : 4);
        }
        // Past the table (an opcode no class file holds): end the walk rather than misread the rest.
        return opcode < LENGTHS.length() ? at + LENGTHS.charAt(opcode) - '0' : code.length;
    }

    /** Instruction lengths by opcode, 0x00 to 0xc9; switches and wide are worked out above. */
    private static final String LENGTHS =
            "1111111111111111" + "2323322222111111" + "1111111111111111" + "1111112222211111" // 0x00-0x3f
            + "1111111111111111" + "1111111111111111" + "1111111111111111" + "1111111111111111" // 0x40-0x7f
            + "1111311111111111" + "1111111113333333" + "3333333332001111" + "1133333335532311" // 0x80-0xbf
            + "3311043355";                                                                     // 0xc0-0xc9

    private static int readInt(byte[] code, int at) {
        return ((code[at] & 0xff) << 24) | ((code[at + 1] & 0xff) << 16) | ((code[at + 2] & 0xff) << 8) | (code[at + 3] & 0xff);
    }

    private static String returnType(String descriptor) {
        return typeNames(descriptor.substring(descriptor.indexOf(')') + 1)).get(0);
    }

    private static List<String> parameterTypes(String descriptor) {
        return typeNames(descriptor.substring(1, descriptor.indexOf(')'))).stream().map(Rendering::simpleName).toList();
    }

    private static List<String> typeNames(String descriptors) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < descriptors.length()) {
            int dimensions = 0;
            while (descriptors.charAt(i) == '[') {
                dimensions++;
                i++;
            }
            String name;
            char kind = descriptors.charAt(i);
            if (kind == 'L') {
                int end = descriptors.indexOf(';', i);
                name = descriptors.substring(i + 1, end).replace('/', '.');
                i = end + 1;
            } else {
                name = switch (kind) {
                    case 'Z' -> "boolean";
                    case 'B' -> "byte";
                    case 'C' -> "char";
                    case 'S' -> "short";
                    case 'I' -> "int";
                    case 'J' -> "long";
                    case 'F' -> "float";
                    case 'D' -> "double";
                    default -> "void";
                };
                i++;
            }
            names.add(name + "[]".repeat(dimensions));
        }
        return names;
    }
}
