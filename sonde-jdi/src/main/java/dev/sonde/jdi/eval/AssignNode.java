package dev.sonde.jdi.eval;

import com.github.javaparser.ast.expr.BinaryExpr;
import com.sun.jdi.Value;

/** {@code target = value} and the compound forms ({@code +=}, {@code <<=}, ...); its value is what was stored. */
record AssignNode(String source, Assignable target, String targetSource, BinaryExpr.Operator operator, AssignedValue value,
                  String valueSource) implements Node {

    @Override
    public Operand eval(Context ctx) {
        Place place = target.place(ctx);
        if (place.isFinal()) {
            throw Errors.mismatch(Errors.code(source) + " assigns " + targetSource + ", which is final.");
        }
        Value stored;
        if (operator == null) {
            Operand given = value.node().eval(ctx);
            stored = Conversions.assignment(ctx, source, given, value.constant(), place.typeName(), targetSource);
        } else {
            Operand old = place.read(ctx);
            Operand given = value.node().eval(ctx);
            Operand result = Operators.binary(ctx, source, operator, old, targetSource, given, valueSource);
            stored = Conversions.compound(ctx, source, result, place, targetSource);
        }
        Place.store(ctx, place, stored, source);
        return Operand.of(stored, place.typeName(), place.type());
    }

    @Override
    public StaticType type(Context ctx) {
        return target.type(ctx);
    }
}
