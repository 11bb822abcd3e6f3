package dev.sonde.jdi.eval;

/** {@code condition ? a : b}, evaluating only the branch taken. */
record ConditionalNode(String source, Node condition, String conditionSource, Node then, Node otherwise) implements Node {

    @Override
    public Operand eval(Context ctx) {
        Operand test = condition.eval(ctx);
        Boolean truth = Operators.booleanValue(ctx, test, conditionSource);
        if (truth == null) {
            throw Errors.mismatch(Errors.code(source) + " needs a boolean before ?, but " + conditionSource + " is "
                    + Errors.describe(test) + ".");
        }
        return truth ? then.eval(ctx) : otherwise.eval(ctx);
    }
}
