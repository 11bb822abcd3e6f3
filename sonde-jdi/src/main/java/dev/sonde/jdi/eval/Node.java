package dev.sonde.jdi.eval;

/** A compiled sub-expression. Nodes are immutable apart from caches of what they resolve, and shared by threads. */
sealed interface Node permits Assignable, LiteralNode, ClassLiteralNode, BindingNode, ThisNode, CallNode, NewObjectNode,
        NewArrayNode, UnaryNode, IncrementNode, BinaryNode, LogicalNode, ConditionalNode, InstanceOfNode, CastNode, AssignNode,
        SwitchNode {

    /** The sub-expression as written, for messages. */
    String source();

    Operand eval(Context ctx);

    /**
     * The type Java gives this sub-expression, found without running code in the target (reading a field or local is
     * allowed); null when Sonde cannot tell without evaluating it.
     */
    default StaticType type(Context ctx) {
        return null;
    }

    /** The class this sub-expression names ({@code Order} in {@code Order.count}), or null when it is a value. */
    default com.sun.jdi.ReferenceType namedClass(Context ctx) {
        return null;
    }

    /** The int value of an int constant written as a literal ({@code 1}, {@code -3}), or null. */
    default Integer intConstant() {
        return null;
    }
}
