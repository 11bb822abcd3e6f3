package dev.sonde.jdi.eval;

import com.sun.jdi.ClassType;
import com.sun.jdi.Location;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StringReference;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A switch expression on an int (or char, byte, short and their wrappers), a String or an enum:
 * {@code switch (x) { case 1 -> "a"; case 2, 3 -> "b"; default -> "c"; }}. Only the chosen arm is evaluated; an enum's
 * constants are matched by name, read from the object, so no code runs to choose. Numeric results take their common
 * type as a conditional's do.
 */
final class SwitchNode implements Node {

    /**
     * One case label: a constant expression, or a name an enum constant may be matched by ({@code PAID}, or the last
     * part of {@code Status.PAID}), or {@code null} when both are null (the label {@code case null}).
     */
    record Label(Node constant, String name) {
        boolean isNull() {
            return constant == null && name == null;
        }
    }

    /** The labels of one arm (none for {@code default} alone), and its result. */
    record Arm(List<Label> labels, boolean isDefault, Node result, String resultSource) {
    }

    private final String source;
    private final Node selector;
    private final String selectorSource;
    private final List<Arm> arms;
    private final Memo<Location, Optional<PrimitiveKind>> resultKinds = new Memo<>();

    SwitchNode(String source, Node selector, String selectorSource, List<Arm> arms) {
        this.source = source;
        this.selector = selector;
        this.selectorSource = selectorSource;
        this.arms = List.copyOf(arms);
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Operand eval(Context ctx) {
        Operand value = selector.eval(ctx);
        Arm chosen = choose(ctx, value);
        return Results.converted(ctx, resultKind(ctx).orElse(null), chosen.result().eval(ctx), chosen.resultSource());
    }

    @Override
    public StaticType type(Context ctx) {
        PrimitiveKind kind = resultKind(ctx).orElse(null);
        if (kind != null) {
            return kind;
        }
        StaticType first = arms.getFirst().result().type(ctx);
        for (Arm arm : arms) {
            StaticType type = arm.result().type(ctx);
            if (first == null || !first.equals(type)) {
                return null;
            }
        }
        return first;
    }

    private Arm choose(Context ctx, Operand value) {
        boolean isNull = value instanceof Operand.Reference reference && reference.value() == null;
        String enumName = isNull ? null : enumConstantName(ctx, value);
        String text = isNull || enumName != null ? null : text(value);
        Operand.Primitive number = isNull || enumName != null || text != null ? null : Conversions.unboxed(ctx, value, selectorSource);
        if (!isNull && enumName == null && text == null && (number == null || number.kind().promoted() != PrimitiveKind.INT)) {
            throw Errors.mismatch(Errors.code(source) + " switches on " + Errors.describe(value) + "; Sonde's switch takes an int,"
                    + " a char, a String or an enum.");
        }
        Arm fallback = null;
        for (Arm arm : arms) {
            for (Label label : arm.labels()) {
                if (label.isNull() ? isNull : !isNull && matches(ctx, label, enumName, text, number)) {
                    return arm;
                }
            }
            if (arm.isDefault()) {
                fallback = arm;
            }
        }
        if (isNull) {
            throw Errors.nullDereference(selectorSource + " is null, so " + Errors.code(source)
                    + " throws a NullPointerException; add `case null` to match it.");
        }
        if (fallback == null) {
            throw SondeException.invalidInput(Errors.code(source) + " has no case for " + (enumName != null ? enumName
                    : text != null ? "\"" + text + "\"" : number.kind().text(number.value())) + " and no default.");
        }
        return fallback;
    }

    private boolean matches(Context ctx, Label label, String enumName, String text, Operand.Primitive number) {
        if (enumName != null) {
            return enumName.equals(label.name());
        }
        if (label.constant() == null) {
            throw SondeException.invalidInput("The case label " + label.name() + " in " + Errors.code(source)
                    + " names no enum constant, as " + selectorSource + " is no enum; write the constant's value.");
        }
        Operand constant = label.constant().eval(ctx);
        if (text != null) {
            return text.equals(text(constant));
        }
        Operand.Primitive labelNumber = Conversions.unboxed(ctx, constant, label.constant().source());
        if (labelNumber == null || !labelNumber.kind().isIntegral()) {
            throw Errors.mismatch("The case label " + label.constant().source() + " in " + Errors.code(source) + " is "
                    + Errors.describe(constant) + ", but " + selectorSource + " is a number.");
        }
        return labelNumber.value().longValue() == number.value().longValue();
    }

    /** The text of a String operand, or null for anything else. */
    private static String text(Operand value) {
        return switch (value) {
            case Operand.HostString string -> string.text();
            case Operand.Reference reference when reference.value() instanceof StringReference string -> string.value();
            default -> null;
        };
    }

    /** The name of an enum constant (read from its field, running no code), or null when the value is no enum. */
    private static String enumConstantName(Context ctx, Operand value) {
        if (!(value instanceof Operand.Reference reference) || !(reference.value() instanceof ObjectReference object)
                || !(object.referenceType() instanceof ClassType type)) {
            return null;
        }
        boolean isEnum = type.isEnum() || type.superclass() != null && type.superclass().isEnum();
        if (!isEnum) {
            return null;
        }
        var enumClass = ctx.requireType("java.lang.Enum");
        return ((StringReference) object.getValue(enumClass.fieldByName("name"))).value();
    }

    private Optional<PrimitiveKind> resultKind(Context ctx) {
        Optional<PrimitiveKind> known = resultKinds.get(ctx.location());
        if (known != null) {
            return known;
        }
        List<StaticType> types = new ArrayList<>(arms.size());
        List<Integer> constants = new ArrayList<>(arms.size());
        for (Arm arm : arms) {
            types.add(arm.result().type(ctx));
            constants.add(arm.result().intConstant());
        }
        return resultKinds.put(ctx.location(), Optional.ofNullable(StaticTypes.resultKind(types, constants)));
    }
}
