package dev.sonde.jdi.eval;

import com.github.javaparser.ast.expr.BinaryExpr;
import com.sun.jdi.Value;

/** {@code ++x}, {@code x++}, {@code --x}, {@code x--}. */
record IncrementNode(String source, Assignable target, String targetSource, boolean increment, boolean prefix) implements Node {

    @Override
    public Operand eval(Context ctx) {
        Place place = target.place(ctx);
        if (place.isFinal()) {
            throw Errors.mismatch(Errors.code(source) + " changes " + targetSource + ", which is final.");
        }
        Operand old = place.read(ctx);
        Operand.Primitive number = Conversions.unboxed(ctx, old, targetSource);
        if (number == null || !number.kind().isNumeric()) {
            throw Errors.mismatch(Errors.code(source) + " needs a number, but " + targetSource + " is " + Errors.describe(old) + ".");
        }
        Operand one = new Operand.Primitive(PrimitiveKind.INT, ctx.vm().mirrorOf(1));
        Operand result = Operators.binary(ctx, source, increment ? BinaryExpr.Operator.PLUS : BinaryExpr.Operator.MINUS,
                number, targetSource, one, "1");
        Value stored = Conversions.compound(ctx, source, result, place, targetSource);
        Place.store(ctx, place, stored, source);
        return prefix ? Operand.of(stored, place.typeName(), place.type()) : old;
    }

    @Override
    public StaticType type(Context ctx) {
        return target.type(ctx);
    }
}
