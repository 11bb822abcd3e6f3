package dev.sonde.jdi.eval;

/** A compiled sub-expression. Nodes are immutable apart from caches of what they resolve, and shared by threads. */
sealed interface Node permits Assignable, LiteralNode, ClassLiteralNode, BindingNode, ThisNode, CallNode, NewObjectNode,
        NewArrayNode, UnaryNode, IncrementNode, BinaryNode, LogicalNode, ConditionalNode, InstanceOfNode, CastNode, AssignNode {

    /** The sub-expression as written, for messages. */
    String source();

    Operand eval(Context ctx);
}
