package dev.sonde.jdi.eval;

import com.github.javaparser.TokenRange;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.ArrayCreationExpr;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.ClassExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.InstanceOfExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.MethodReferenceExpr;
import com.github.javaparser.ast.expr.Name;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.SuperExpr;
import com.github.javaparser.ast.expr.SwitchExpr;
import com.github.javaparser.ast.expr.PatternExpr;
import com.github.javaparser.ast.expr.TextBlockLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.TypePatternExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.ThrowStmt;
import com.github.javaparser.ast.stmt.YieldStmt;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns JavaParser's syntax tree into evaluation {@link Node}s, checking what can be checked without a frame. */
final class Compiler {

    /** Reference types a cast can box a primitive to. */
    private static final Set<String> BOXING_TARGETS = Set.of("Object", "Number", "Comparable", "Serializable", "Constable",
            "ConstantDesc", "Boolean", "Byte", "Short", "Character", "Integer", "Long", "Float", "Double");

    private final List<LocationPlan.Name> names = new ArrayList<>();
    private final Map<String, Integer> bindings = new HashMap<>();

    private Compiler() {
    }

    static CompiledExpression compile(Evaluator evaluator, String source, Expression expression) {
        Compiler compiler = new Compiler();
        for (TypePatternExpr pattern : expression.findAll(TypePatternExpr.class)) {
            compiler.bindings.putIfAbsent(pattern.getNameAsString(), compiler.bindings.size());
        }
        Node root = compiler.node(expression);
        return new CompiledExpression(evaluator, source, root, List.copyOf(compiler.names), compiler.bindings.size(),
                expression.findFirst(Expression.class, Compiler::runsCode).isPresent());
    }

    /** The expression as the user wrote it. */
    private static String text(com.github.javaparser.ast.Node node) {
        return node.getTokenRange().map(TokenRange::toString).orElseGet(node::toString);
    }

    private Node node(Expression expression) {
        String source = text(expression);
        return switch (expression) {
            case EnclosedExpr enclosed -> node(enclosed.getInner());
            case IntegerLiteralExpr literal -> new LiteralNode(source, Literals.intValue(literal.getValue(), false));
            case LongLiteralExpr literal -> new LiteralNode(source, Literals.longValue(literal.getValue(), false));
            case DoubleLiteralExpr literal -> new LiteralNode(source, Literals.floatingValue(literal.getValue()));
            case CharLiteralExpr literal -> new LiteralNode(source, character(literal));
            case StringLiteralExpr literal -> new LiteralNode(source, Literals.unescape(literal.getValue()));
            case TextBlockLiteralExpr literal -> new LiteralNode(source, Literals.textBlock(literal.getValue()));
            case BooleanLiteralExpr literal -> new LiteralNode(source, literal.getValue());
            case NullLiteralExpr ignored -> new LiteralNode(source, null);
            case ClassExpr literal -> new ClassLiteralNode(source, type(literal.getType(), 0));
            case NameExpr name -> name(name, source);
            case ThisExpr self -> new ThisNode(source, self.getTypeName().map(Name::asString).orElse(null));
            case FieldAccessExpr access when access.getScope() instanceof SuperExpr -> throw Errors.unsupported(source, "a field of super");
            case FieldAccessExpr access -> new FieldAccessNode(source, node(access.getScope()), text(access.getScope()), access.getNameAsString());
            case ArrayAccessExpr access -> new ArrayAccessNode(source, node(access.getName()), text(access.getName()),
                    node(access.getIndex()), text(access.getIndex()));
            case MethodCallExpr call -> call(call, source);
            case ObjectCreationExpr creation -> newObject(creation, source);
            case ArrayCreationExpr creation -> newArray(creation, source);
            case UnaryExpr unary -> unary(unary, source);
            case BinaryExpr binary when binary.getOperator() == BinaryExpr.Operator.AND || binary.getOperator() == BinaryExpr.Operator.OR ->
                    new LogicalNode(source, binary.getOperator() == BinaryExpr.Operator.AND, node(binary.getLeft()), text(binary.getLeft()),
                            node(binary.getRight()), text(binary.getRight()));
            case BinaryExpr binary -> new BinaryNode(source, binary.getOperator(), node(binary.getLeft()), text(binary.getLeft()),
                    node(binary.getRight()), text(binary.getRight()));
            case ConditionalExpr conditional -> new ConditionalNode(source, node(conditional.getCondition()),
                    text(conditional.getCondition()), node(conditional.getThenExpr()), text(conditional.getThenExpr()),
                    node(conditional.getElseExpr()), text(conditional.getElseExpr()));
            case InstanceOfExpr test -> instanceOf(test, source);
            case CastExpr cast -> new CastNode(source, type(cast.getType(), 0), node(cast.getExpression()), text(cast.getExpression()));
            case AssignExpr assign -> new AssignNode(source, assignable(assign.getTarget()), text(assign.getTarget()),
                    assign.getOperator().toBinaryOperator().orElse(null), new AssignedValue(node(assign.getValue()), constant(assign.getValue())),
                    text(assign.getValue()));
            case LambdaExpr ignored -> throw Errors.unsupported(source, "a lambda");
            case MethodReferenceExpr ignored -> throw Errors.unsupported(source, "a method reference");
            case SwitchExpr switchExpr -> switchNode(switchExpr, source);
            case VariableDeclarationExpr ignored -> throw Errors.unsupported(source, "a variable declaration");
            default -> throw Errors.unsupported(source, "a " + expression.getClass().getSimpleName().replace("Expr", "").toLowerCase() + " expression");
        };
    }

    private Node switchNode(SwitchExpr switchExpr, String source) {
        List<SwitchNode.Arm> arms = new ArrayList<>();
        List<SwitchNode.Label> pending = new ArrayList<>();
        boolean pendingDefault = false;
        for (SwitchEntry entry : switchExpr.getEntries()) {
            if (entry.getGuard().isPresent()) {
                throw Errors.unsupported(source, "a guarded case (when)");
            }
            for (Expression label : entry.getLabels()) {
                pending.add(switch (label) {
                    case NullLiteralExpr ignored -> new SwitchNode.Label(null, null);
                    case NameExpr name -> new SwitchNode.Label(null, name.getNameAsString());
                    case FieldAccessExpr access -> new SwitchNode.Label(node(access), access.getNameAsString());
                    case PatternExpr ignored -> throw Errors.unsupported(source, "a pattern case");
                    default -> new SwitchNode.Label(node(label), null);
                });
            }
            pendingDefault |= entry.isDefault();
            if (entry.getType() == SwitchEntry.Type.STATEMENT_GROUP && entry.getStatements().isEmpty()) {
                continue; // case 1: case 2: yield ... falls through to the next group
            }
            Expression result = switchResult(entry, source);
            arms.add(new SwitchNode.Arm(List.copyOf(pending), pendingDefault, node(result), text(result)));
            pending.clear();
            pendingDefault = false;
        }
        if (arms.isEmpty()) {
            throw SondeException.invalidInput(Errors.code(source) + " has no case; give it at least one.");
        }
        return new SwitchNode(source, node(switchExpr.getSelector()), text(switchExpr.getSelector()), arms);
    }

    /** The value an arm yields: {@code case 1 -> value}, {@code case 1 -> { yield value; }} or {@code case 1: yield value;}. */
    private static Expression switchResult(SwitchEntry entry, String source) {
        List<Statement> statements = entry.getStatements();
        if (statements.size() == 1 && statements.getFirst() instanceof BlockStmt block) {
            statements = block.getStatements();
        }
        if (statements.size() == 1 && statements.getFirst() instanceof ExpressionStmt expression
                && entry.getType() == SwitchEntry.Type.EXPRESSION) {
            return expression.getExpression();
        }
        if (statements.size() == 1 && statements.getFirst() instanceof YieldStmt yield) {
            return yield.getExpression();
        }
        if (statements.size() == 1 && statements.getFirst() instanceof ThrowStmt) {
            throw Errors.unsupported(source, "a case that throws");
        }
        throw Errors.unsupported(source, "a case with statements other than one yield");
    }

    private static char character(CharLiteralExpr literal) {
        String text = Literals.unescape(literal.getValue());
        if (text.length() != 1) {
            throw SondeException.invalidInput("The char literal " + text(literal) + " holds " + text.length()
                    + " characters; a char holds one.");
        }
        return text.charAt(0);
    }

    private Node name(NameExpr name, String source) {
        Integer binding = bindings.get(name.getNameAsString());
        if (binding != null) {
            return new BindingNode(source, binding);
        }
        boolean qualifier = name.getParentNode().filter(parent -> parent instanceof FieldAccessExpr access && access.getScope() == name
                || parent instanceof MethodCallExpr call && call.getScope().orElse(null) == name).isPresent();
        LocationPlan.Name slot = new LocationPlan.Name(name.getNameAsString(), qualifier);
        int index = names.indexOf(slot);
        if (index < 0) {
            index = names.size();
            names.add(slot);
        }
        return new NameNode(source, index);
    }

    private Node call(MethodCallExpr call, String source) {
        List<Node> arguments = call.getArguments().stream().map(this::node).toList();
        Expression scope = call.getScope().orElse(null);
        if (scope instanceof SuperExpr superExpr) {
            if (superExpr.getTypeName().isPresent()) {
                throw Errors.unsupported(source, "a qualified super");
            }
            return new CallNode(source, null, null, true, call.getNameAsString(), arguments);
        }
        return new CallNode(source, scope == null ? null : node(scope), scope == null ? null : text(scope), false,
                call.getNameAsString(), arguments);
    }

    private Node newObject(ObjectCreationExpr creation, String source) {
        if (creation.getAnonymousClassBody().isPresent()) {
            throw Errors.unsupported(source, "an anonymous class");
        }
        if (creation.getScope().isPresent()) {
            throw Errors.unsupported(source, "an inner class instance of a given outer instance");
        }
        return new NewObjectNode(source, type(creation.getType(), 0), creation.getArguments().stream().map(this::node).toList());
    }

    private Node newArray(ArrayCreationExpr creation, String source) {
        TypeSpec type = type(creation.getElementType(), creation.getLevels().size());
        if (creation.getInitializer().isPresent()) {
            return initialized(creation.getInitializer().get(), type, source);
        }
        List<Node> lengths = new ArrayList<>();
        for (var level : creation.getLevels()) {
            level.getDimension().ifPresent(dimension -> lengths.add(node(dimension)));
        }
        return NewArrayNode.of(source, type, lengths, null);
    }

    /** {@code {1, 2}} for an array of {@code type}; nested braces are arrays of its component type. */
    private NewArrayNode initialized(ArrayInitializerExpr initializer, TypeSpec type, String source) {
        List<AssignedValue> elements = new ArrayList<>();
        for (Expression value : initializer.getValues()) {
            if (value instanceof ArrayInitializerExpr nested) {
                if (type.dimensions() < 2) {
                    throw SondeException.invalidInput(Errors.code(source) + " nests braces deeper than the array type "
                            + type.written() + " has dimensions.");
                }
                elements.add(new AssignedValue(initialized(nested, type.component(), text(nested)), null));
            } else {
                elements.add(new AssignedValue(node(value), constant(value)));
            }
        }
        return NewArrayNode.of(source, type, List.of(), elements);
    }

    private Node unary(UnaryExpr unary, String source) {
        Expression operand = unary.getExpression();
        UnaryExpr.Operator operator = unary.getOperator();
        // -2147483648 and -9223372036854775808L are literals only with their sign.
        if (operator == UnaryExpr.Operator.MINUS && operand instanceof IntegerLiteralExpr literal) {
            return new LiteralNode(source, Literals.intValue(literal.getValue(), true));
        }
        if (operator == UnaryExpr.Operator.MINUS && operand instanceof LongLiteralExpr literal) {
            return new LiteralNode(source, Literals.longValue(literal.getValue(), true));
        }
        return switch (operator) {
            case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> new IncrementNode(source,
                    assignable(operand), text(operand),
                    operator == UnaryExpr.Operator.PREFIX_INCREMENT || operator == UnaryExpr.Operator.POSTFIX_INCREMENT,
                    operator.isPrefix());
            default -> new UnaryNode(source, operator, node(operand), text(operand));
        };
    }

    private Node instanceOf(InstanceOfExpr test, String source) {
        int binding = -1;
        if (test.getPattern().isPresent()) {
            if (!(test.getPattern().get() instanceof TypePatternExpr pattern)) {
                throw Errors.unsupported(source, "a record pattern");
            }
            binding = bindings.get(pattern.getNameAsString());
        }
        return new InstanceOfNode(source, node(test.getExpression()), text(test.getExpression()), type(test.getType(), 0), binding);
    }

    private Assignable assignable(Expression target) {
        if (node(target) instanceof Assignable place) {
            return place;
        }
        throw SondeException.invalidInput("Only a variable, a field or an array element can be assigned, not " + Errors.code(text(target)) + ".");
    }

    /** An int or char constant written as a literal, which assignments may narrow to byte, short or char. */
    private static Long constant(Expression value) {
        return switch (value) {
            case EnclosedExpr enclosed -> constant(enclosed.getInner());
            case IntegerLiteralExpr literal -> (long) Literals.intValue(literal.getValue(), false);
            case CharLiteralExpr literal -> (long) character(literal);
            case UnaryExpr unary when unary.getOperator() == UnaryExpr.Operator.MINUS
                    && unary.getExpression() instanceof IntegerLiteralExpr literal -> (long) Literals.intValue(literal.getValue(), true);
            default -> null;
        };
    }

    private static TypeSpec type(Type type, int extraDimensions) {
        int dimensions = extraDimensions;
        while (type instanceof ArrayType array) {
            dimensions++;
            type = array.getComponentType();
        }
        String name = switch (type) {
            case PrimitiveType primitive -> primitive.asString();
            case ClassOrInterfaceType named -> named.getNameWithScope();
            default -> throw SondeException.invalidInput("The type " + text(type) + " cannot be used here; name a class or a primitive type.");
        };
        return new TypeSpec(name, dimensions);
    }

    // ---- may it run code in the target? (conservative, from the text alone) ----

    private static boolean runsCode(Expression expression) {
        return switch (expression) {
            case MethodCallExpr ignored -> true;
            case ObjectCreationExpr ignored -> true;
            // Assignments and increments may box (Integer.valueOf) or concatenate.
            case AssignExpr ignored -> true;
            case UnaryExpr unary -> switch (unary.getOperator()) {
                case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> true;
                default -> false;
            };
            case BinaryExpr binary -> switch (binary.getOperator()) {
                case PLUS -> mayBeString(binary.getLeft()) && mayNeedToString(binary.getRight())
                        || mayBeString(binary.getRight()) && mayNeedToString(binary.getLeft());
                // A string literal compared with an object asks the target's String.intern().
                case EQUALS, NOT_EQUALS -> isStringLiteral(binary.getLeft()) && !(binary.getRight() instanceof LiteralExpr)
                        || isStringLiteral(binary.getRight()) && !(binary.getLeft() instanceof LiteralExpr);
                default -> false;
            };
            case CastExpr cast -> cast.getType() instanceof ClassOrInterfaceType target
                    && BOXING_TARGETS.contains(target.getNameAsString()) && mayBePrimitive(cast.getExpression());
            default -> false;
        };
    }

    private static boolean isStringLiteral(Expression expression) {
        return expression instanceof StringLiteralExpr || expression instanceof TextBlockLiteralExpr
                || expression instanceof EnclosedExpr enclosed && isStringLiteral(enclosed.getInner());
    }

    private static boolean mayBeString(Expression expression) {
        return switch (expression) {
            case StringLiteralExpr ignored -> true;
            case TextBlockLiteralExpr ignored -> true;
            case LiteralExpr ignored -> false;
            case EnclosedExpr enclosed -> mayBeString(enclosed.getInner());
            case BinaryExpr binary -> binary.getOperator() == BinaryExpr.Operator.PLUS && (mayBeString(binary.getLeft()) || mayBeString(binary.getRight()));
            case UnaryExpr ignored -> false;
            case InstanceOfExpr ignored -> false;
            case CastExpr cast -> !(cast.getType() instanceof PrimitiveType);
            default -> true;
        };
    }

    /** Whether a concatenation operand may be an object whose text only its toString() gives. */
    private static boolean mayNeedToString(Expression expression) {
        return switch (expression) {
            case LiteralExpr ignored -> false;
            case EnclosedExpr enclosed -> mayNeedToString(enclosed.getInner());
            case BinaryExpr ignored -> false;
            case UnaryExpr ignored -> false;
            case InstanceOfExpr ignored -> false;
            case CastExpr cast -> !(cast.getType() instanceof PrimitiveType);
            default -> true;
        };
    }

    private static boolean mayBePrimitive(Expression expression) {
        return switch (expression) {
            case StringLiteralExpr ignored -> false;
            case TextBlockLiteralExpr ignored -> false;
            case NullLiteralExpr ignored -> false;
            case ObjectCreationExpr ignored -> false;
            case ArrayCreationExpr ignored -> false;
            default -> true;
        };
    }
}
