package dev.sonde.jdi.eval;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import dev.sonde.core.error.SondeException;

import java.util.stream.Collectors;

/**
 * {@code scope.name}: a field of an object or a class, an array's {@code length}, a nested class, or the next part
 * of a qualified class name. Field lookups are cached per type.
 */
final class FieldAccessNode implements Assignable {

    /** What {@code name} is in a given type. */
    private sealed interface Member permits FieldMember, NestedClass {
    }

    private record FieldMember(Field field, StaticType type) implements Member {
    }

    private record NestedClass(ReferenceType type) implements Member {
    }

    private final String source;
    private final Node scope;
    private final String scopeSource;
    private final String name;
    private final Memo<ReferenceType, Member> members = new Memo<>();
    private final Memo<String, Operand> qualifiedNames = new Memo<>();

    FieldAccessNode(String source, Node scope, String scopeSource, String name) {
        this.source = source;
        this.scope = scope;
        this.scopeSource = scopeSource;
        this.name = name;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Operand eval(Context ctx) {
        Operand target = scope.eval(ctx);
        return switch (target) {
            case Operand.ClassName className -> switch (staticMember(ctx, className.type())) {
                case FieldMember member -> Operand.of(className.type().getValue(member.field()), member.field().typeName(), member.type());
                case NestedClass nested -> new Operand.ClassName(nested.type());
            };
            case Operand.PackageName packageName -> qualified(ctx, packageName.name());
            case Operand.Reference reference when reference.value() instanceof ArrayReference array && name.equals("length") ->
                    new Operand.Primitive(PrimitiveKind.INT, ctx.vm().mirrorOf(array.length()));
            case Operand.Reference reference -> {
                ObjectReference object = object(reference);
                FieldMember member = instanceField(reference);
                Field field = member.field();
                yield Operand.of(field.isStatic() ? field.declaringType().getValue(field) : object.getValue(field), field.typeName(), member.type());
            }
            default -> throw Errors.mismatch(scopeSource + " is " + Errors.describe(target) + ", which has no fields.");
        };
    }

    @Override
    public StaticType type(Context ctx) {
        ReferenceType owner = scope.namedClass(ctx);
        if (owner != null) {
            Field field = owner.fieldByName(name);
            return field != null && field.isStatic() ? fieldMember(field).type() : null;
        }
        StaticType scopeType = scope.type(ctx);
        if (!(scopeType instanceof StaticType.Reference reference)) {
            return null;
        }
        if (reference.type() instanceof com.sun.jdi.ArrayType) {
            return name.equals("length") ? PrimitiveKind.INT : null;
        }
        Field field = reference.type().fieldByName(name);
        return field == null ? null : fieldMember(field).type();
    }

    /** A class named by a qualified name ({@code java.util.List}) or a nested one ({@code EvalFixture.Order}); reads no field. */
    @Override
    public ReferenceType namedClass(Context ctx) {
        if (!(scope instanceof NameNode || scope instanceof FieldAccessNode)) {
            return null;
        }
        ReferenceType outer = scope.namedClass(ctx);
        if (outer != null) {
            Field field = outer.fieldByName(name);
            return field != null && field.isStatic() ? null : ctx.evaluator().loadedType(ctx.vm(), outer.name() + "$" + name);
        }
        if (scope instanceof NameNode named && ctx.plan().binding(named.slot()) instanceof NameBinding.Package start) {
            return qualified(ctx, start.name()) instanceof Operand.ClassName found ? found.type() : null;
        }
        String packageName = scope instanceof FieldAccessNode access ? access.packageName(ctx) : null;
        return packageName != null && qualified(ctx, packageName) instanceof Operand.ClassName found ? found.type() : null;
    }

    /** The package this access names ({@code java.util} in {@code java.util.List}), or null. */
    private String packageName(Context ctx) {
        if (scope instanceof NameNode named && ctx.plan().binding(named.slot()) instanceof NameBinding.Package start) {
            return qualified(ctx, start.name()) instanceof Operand.PackageName found ? found.name() : null;
        }
        String outer = scope instanceof FieldAccessNode access ? access.packageName(ctx) : null;
        return outer != null && qualified(ctx, outer) instanceof Operand.PackageName found ? found.name() : null;
    }

    @Override
    public Place place(Context ctx) {
        Operand target = scope.eval(ctx);
        if (target instanceof Operand.ClassName className && staticMember(ctx, className.type()) instanceof FieldMember member
                && className.type() instanceof ClassType holder) {
            return new Place.StaticField(holder, member.field(), member.type());
        }
        if (target instanceof Operand.Reference reference && !(reference.value() instanceof ArrayReference)) {
            ObjectReference object = object(reference);
            FieldMember member = instanceField(reference);
            if (member.field().isStatic() && member.field().declaringType() instanceof ClassType holder) {
                return new Place.StaticField(holder, member.field(), member.type());
            }
            return new Place.InstanceField(object, member.field(), member.type());
        }
        throw SondeException.invalidInput(Errors.code(source) + " is not a field, so it cannot be assigned.");
    }

    private ObjectReference object(Operand.Reference reference) {
        if (reference.value() == null) {
            throw Errors.nullDereference(scopeSource + " is null, so ." + name + " cannot be read.");
        }
        if (reference.value() instanceof ArrayReference) {
            throw SondeException.notFound("Arrays have only 'length', not '" + name + "'.");
        }
        return reference.value();
    }

    /** The field, looked up in the static type first (as javac does), then in the object's own class. */
    private FieldMember instanceField(Operand.Reference reference) {
        ReferenceType declared = reference.type();
        if (declared != null) {
            FieldMember member = (FieldMember) members.get(declared);
            if (member != null) {
                return member;
            }
            Field field = declared.fieldByName(name);
            if (field != null) {
                return (FieldMember) members.put(declared, fieldMember(field));
            }
        }
        ReferenceType runtime = reference.value().referenceType();
        FieldMember member = (FieldMember) members.get(runtime);
        if (member != null) {
            return member;
        }
        Field field = runtime.fieldByName(name);
        if (field == null) {
            String fields = runtime.allFields().stream().map(Field::name).distinct().collect(Collectors.joining(", "));
            throw SondeException.notFound(runtime.name() + " has no field '" + name + "'" + (fields.isEmpty() ? "." : "; its fields are: " + fields + "."));
        }
        return (FieldMember) members.put(runtime, fieldMember(field));
    }

    private Member staticMember(Context ctx, ReferenceType type) {
        Member member = members.get(type);
        if (member != null) {
            return member;
        }
        Field field = type.fieldByName(name);
        if (field != null && field.isStatic()) {
            return members.put(type, fieldMember(field));
        }
        ReferenceType nested = ctx.evaluator().loadedType(ctx.vm(), type.name() + "$" + name);
        if (nested != null) {
            return members.put(type, new NestedClass(nested));
        }
        if (field != null) {
            throw SondeException.invalidInput(Errors.code(source) + " reads the instance field " + name + " without an instance;"
                    + " read it from an object of " + Errors.display(type.name()) + ".");
        }
        throw SondeException.notFound("Class " + type.name() + " has no static field '" + name + "'.");
    }

    private static FieldMember fieldMember(Field field) {
        return new FieldMember(field, StaticType.declared(field.typeName(), field.genericSignature(), field::type));
    }

    /** {@code pkg.name}: a class of that package, or a longer package name. */
    private Operand qualified(Context ctx, String packageName) {
        Operand known = qualifiedNames.get(packageName);
        if (known != null) {
            return known;
        }
        String qualified = packageName + "." + name;
        ReferenceType type = ctx.evaluator().loadedType(ctx.vm(), qualified);
        return qualifiedNames.put(packageName, type != null ? new Operand.ClassName(type) : new Operand.PackageName(qualified));
    }
}
